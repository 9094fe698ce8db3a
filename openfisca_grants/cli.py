"""The command line: the uses of the rules, and the two commands that write a determination's home.

reconcile, register, resolve, parameters, compare, sweep, grid and explain; for maintainers,
new-determination and roll-forward (``scaffold``), and ``--version``.

Questions the rules cannot answer (a year with no determination, an unknown name) print the
error's message, without a traceback, and exit with status 2.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import functools
import io
import json
import os
import re
import sys
from typing import TYPE_CHECKING

from openfisca_grants import boundary
from openfisca_grants.determinations import DRAFT_LABEL
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import format_pounds
from openfisca_grants.register import register

if TYPE_CHECKING:
    from openfisca_grants.reconcile import Reconciliation

# Each command imports what it needs when it runs: a cold ``reconcile`` should not pay for
# reforms, sweeps or charts.

EXIT_DIFFERENCES = 1
EXIT_CANNOT_ANSWER = 2
EXIT_INTERNAL_ERROR = 70
MAX_EXCEL_SWEEP_VALUES = 100_000  # EX_SOFTWARE: a fault of this program, never of the input


def _money(pence: int | None) -> str:
    return "" if pence is None else format_pounds(pence)


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        return "  ".join(
            str(cell).rjust(width) if index in right else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _reconciliation_text(result: Reconciliation) -> str:
    d = result.determination
    has_formula = any(line.formula_pence is not None for line in result.lines)
    headers = ["row", "body (as Annex A names it)", "GSS code", "published", "computed", "difference"]
    if has_formula:
        headers += ["formula", "adjustment"]
    rows = []
    for line in result.lines:
        cells = [
            str(line.row) if line.row is not None else ("total" if line.kind == "total" else "-"),
            line.body,
            line.gss_code,
            _money(line.published_pence),
            _money(line.computed_pence),
            _money(line.difference_pence),
        ]
        if has_formula:
            cells += [_money(line.formula_pence), _money(line.adjustment_pence)]
        rows.append(cells)
    out = [
        f"Determination {d.label}: {d.title}",
        _table(headers, rows, right={3, 4, 5, 6, 7}),
    ]
    adjusted = [line for line in result.lines if line.adjustment_pence]
    if adjusted:
        out.append("Named adjustments (Annex A figure minus the letter's formula):")
        out += [
            f"  row {line.row}: {line.adjustment_name} {_money(line.adjustment_pence)}. {line.note}"
            for line in adjusted
        ]
    if result.checks:
        out.append("Checks of the letter's own figures:")
        for check in result.checks:
            out.append(
                f"  {check.name}: stated {_money(check.stated_pence)}, worked out "
                f"{_money(check.worked_out_pence)} ({check.working}): {check.status}"
                + (f", difference {_money(check.difference_pence)}" if check.difference_pence else "")
            )
    matched = sum(1 for line in result.lines if line.published_pence is not None and line.matches)
    published = sum(1 for line in result.lines if line.published_pence is not None)
    if d.is_draft:
        out.append(f"A {DRAFT_LABEL}: no published figures to match; the amounts are the rules' own.")
        out += [f"  Not carried from {d.draft_of}: {what}" for what in d.not_carried]
        return "\n".join(out)
    out.append(
        f"{matched} of {published} published figures matched to the penny: "
        + ("reconciled." if result.reconciled else "NOT RECONCILED.")
    )
    return "\n".join(out)


def _csv(fields: list[str], rows) -> str:
    """CSV text of dict rows, with the given columns (others ignored)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


RECONCILIATION_COLUMNS = [
    "determination",
    "financial_year",
    "kind",
    "row",
    "body",
    "gss_code",
    "published",
    "computed",
    "difference",
    "formula",
    "adjustment",
    "adjustment_name",
]


def _reconciliation_csv(results: list[Reconciliation]) -> str:
    rows = []
    for result in results:
        data = result.as_dict()
        year = {"determination": data["determination"], "financial_year": data["financial_year"]}
        rows += [{**year, **line} for line in data["lines"]]
        rows += [
            {
                **year,
                "kind": "check",
                "body": f"{check['name']} ({check['working']}): {check['status']}",
                "published": check["stated"],
                "computed": check["worked_out"],
                "difference": check["difference"],
            }
            for check in data["checks"]
        ]
    return _csv(RECONCILIATION_COLUMNS, rows)


def reconcile(year=None):
    from openfisca_grants.reconcile import reconcile as reconcile_determinations

    return reconcile_determinations(None if year is None else boundary.financial_year(year, "--year"))


def cmd_reconcile(args) -> int:
    output = _output_path(args)
    results = reconcile(args.year)
    if output:
        _write_output(output, "reconciliation_workbook", results)
    if args.format == "json":
        payload = {
            "reconciled": all(r.reconciled for r in results),
            "determinations": [r.as_dict() for r in results],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        sys.stdout.write(_reconciliation_csv(results))
    else:
        print("\n\n".join(_reconciliation_text(result) for result in results))
        figures = sum(1 for result in results for line in result.lines if line.published_pence is not None)
        unmatched = sum(
            1
            for result in results
            for line in result.lines
            if line.published_pence is not None and not line.matches
        )
        print(f"\n{figures - unmatched} of {figures} published figures matched to the penny.")
    return 0 if all(result.reconciled for result in results) else EXIT_DIFFERENCES


def _date_asked(args) -> datetime.date:
    if args.on is not None:
        return boundary.date(args.on, "--on")
    on = boundary.financial_year(args.year, "--year").start
    register().require_covered(on, "--year")
    return on


def cmd_register(args) -> int:
    on = _date_asked(args)
    authorities = register().authorities_on(on)
    regions = [register().region(args.region)] if args.region is not None else register().regions
    rows = []
    for region in regions:
        members = [a for a in authorities if a.region_code == region.code]
        rows.append((region, members))
    if args.format == "json":
        print(
            json.dumps(
                {
                    "date": on.isoformat(),
                    "regions": [
                        {
                            "code": r.code,
                            "name": r.name,
                            "count": len(m),
                            "authorities": [{"code": a.code, "name": a.name} for a in m],
                        }
                        for r, m in rows
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return 0
    print(f"Local authorities with children's services duties on {on.isoformat()}:")
    print(
        _table(
            ["region", "code", "authorities"],
            [[r.name, r.code, str(len(m))] for r, m in rows]
            + [["England", "", str(sum(len(m) for _, m in rows))]],
            right={2},
        )
    )
    if args.list:
        for region, members in rows:
            print(f"\n{region.name} ({region.code})")
            for a in members:
                print(f"  {a.code}  {a.name}")
    return 0


def cmd_resolve(args) -> int:
    on = _date_asked(args)
    body = register().resolve(args.name, on)
    region = register().region_of_code(body.region_code)
    print(
        f"'{args.name}' on {on.isoformat()}: {body.name} ({body.code}), {body.kind}, "
        f"{region.name}, existed {body.lifetime}"
    )
    return 0


# ---- reforms ---------------------------------------------------------------------------------


def _reform_from_args(args):
    """The reform a command was given (a ``ReformSpec``): a file, --set changes, or both."""
    from openfisca_grants import reforms

    spec = reforms.load(args.reform) if args.reform is not None else None
    year = None if args.year is None else boundary.financial_year(args.year, "--year")
    sets = [reforms.parse_set(text, year=year) for text in args.set or []]
    if not sets:
        return spec
    if spec is None:
        reforms.refuse_changed_twice(sets)
        return reforms.from_changes(", ".join(args.set), sets)
    reforms.refuse_changed_twice([*spec.changes, *sets])
    spec.changes.extend(sets)
    spec.name += " with " + ", ".join(args.set)
    return spec


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:+.2f}%"


def cmd_parameters(args) -> int:
    from openfisca_grants import reforms

    year = None if args.year is None else boundary.financial_year(args.year, "--year")
    rows = reforms.changeable_parameters(year=year)
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return 0
    if args.format == "csv":
        sys.stdout.write(_csv(list(rows[0]), rows))
        return 0
    for row in rows:
        value = row["value"]
        shown = _money(round(value * 100)) if row["unit"] == "currency-GBP" else str(value)
        print(
            f"{row['parameter']} = {shown}  [{row['unit'] or 'text'}; {row['determination']}, {row['year']}]"
        )
        print(f"    {row['description']}")
        print(f"    source: {row['reference']}")
    return 0


def cmd_compare(args) -> int:
    from openfisca_grants import reforms
    from openfisca_grants.compare import compare

    chart = _chart_path(args)
    output = _output_path(args)
    spec = _reform_from_args(args)
    if spec is None:
        raise RulesCannotAnswer("compare needs a reform: a file, or one or more --set PATH=VALUE.")
    year = boundary.financial_year(args.year, "--year")
    # A reform file may say it is budget neutral (budget_neutral: true); --budget-neutral says so too.
    budget_neutral = args.budget_neutral or spec.budget_neutral
    with reforms.computing_under(spec):
        results = compare(spec, year, budget_neutral=budget_neutral)
    if output:
        _write_output(output, "comparison_workbook", results, spec)
    if chart:
        from openfisca_grants.charts import comparison_chart

        for result in results:
            boundary.write_file(chart, lambda path, result=result: comparison_chart(result, path))
    if args.format == "json":
        print(json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False))
    elif args.format == "csv":
        columns = [
            "determination",
            "financial_year",
            "code",
            "name",
            "baseline",
            "reform",
            "difference",
            "difference_percent",
        ]
        rows = []
        for result in results:
            data = result.as_dict()
            year = {"determination": data["determination"], "financial_year": data["financial_year"]}
            rows += [{**year, **row} for row in [*data["rows"], data["total"]]]
        sys.stdout.write(_csv(columns, rows))
    else:
        for result in results:
            d = result.determination
            print(
                f"Reform: {spec.name}"
                + (f" ({spec.source})" if spec.source and spec.source != "--set" else "")
            )
            if spec.description:
                print(f"  {' '.join(spec.description.split())}")
            for change in spec.changes:
                print(f"  {change.path} = {change.value} for {change.year.label}")
            paid_per = result.paid_per.replace("_", " ")
            print(f"Determination {d.label}, per {paid_per}:")
            rows = [
                [
                    row.code,
                    row.name,
                    _money(row.baseline_pence),
                    _money(row.reform_pence),
                    _money(row.difference_pence),
                    _percent(row.difference_percent),
                ]
                for row in [*result.rows, result.total]
            ]
            print(_table(["code", "name", "baseline", "reform", "difference", "%"], rows, right={2, 3, 4, 5}))
            if result.budget_neutral_factor is not None:
                print(
                    f"Budget neutral: reformed amounts scaled by {result.budget_neutral_factor:.9f} "
                    "to the baseline total (pennies from rounding to the largest remainders)."
                )
    for result in results:
        if result.changes_nothing:
            unread = "".join(
                f" No formula reads {path}: it records the letter's own working, which "
                "'openfisca-grants reconcile' checks."
                for path in result.unread_changes
            )
            if result.other_years_changes:
                unread += (
                    " It changes the rules of another determination: "
                    + ", ".join(result.other_years_changes)
                    + "."
                )
            print(
                f"openfisca-grants: warning: the reform '{spec.name}' changes no figure of "
                f"{result.determination.number} in {result.determination.financial_year.label}: "
                f"every amount equals the baseline.{unread}",
                file=sys.stderr,
            )
    if chart:
        print(f"Chart written to {chart}", file=sys.stderr)
    return 0


def _swept(value: float) -> str:
    """A swept value as typed: every digit it has (1000000.01, not 1e+06), no trailing zeros."""
    return f"{value:.15g}"


def _chart_path(args):
    """Where --chart will write, checked before any work is done (None without --chart)."""
    if args.chart is None:
        return None
    from openfisca_grants.charts import FORMATS

    return boundary.output_path(args.chart, force=args.force, suffixes=FORMATS, what="chart")


def cmd_sweep(args) -> int:
    from openfisca_grants import reforms
    from openfisca_grants.sweep import sweep, values_between

    chart = _chart_path(args)
    output = _output_path(args)
    values = values_between(args.start, args.stop, args.steps)
    if output and len(values) > MAX_EXCEL_SWEEP_VALUES:
        raise RulesCannotAnswer(
            f"--output: a workbook holds a sweep of at most {MAX_EXCEL_SWEEP_VALUES:,} values "
            f"(an Excel sheet has 1,048,576 rows); this one has {len(values):,}.",
            hint="Sweep fewer values, or write them with --format csv.",
        )
    year = boundary.financial_year(args.year, "--year")
    spec = _reform_from_args(args)
    with reforms.computing_under(spec):
        result = sweep(args.parameter, values, year, reform=spec, budget_neutral=args.budget_neutral)
    if output:
        _write_output(output, "sweep_workbook", result, spec)
    if result.note:
        print(f"openfisca-grants: warning: sweep {result.note}.", file=sys.stderr)
    if chart:
        from openfisca_grants.charts import sweep_chart

        boundary.write_file(chart, lambda path: sweep_chart(result, path))
        print(f"Chart written to {chart}", file=sys.stderr)
    status = _status_of_year(year)
    if args.format == "json":
        print(json.dumps({**result.as_dict(), "status": status}, indent=2, ensure_ascii=False))
        return 0
    headers = ["value", *result.codes]
    rows = [
        [_swept(value), *(f"{p / 100:.2f}" for p in amounts)]
        for value, amounts in zip(result.values.tolist(), result.pence.tolist(), strict=True)
    ]
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["value", *result.names])
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
        return 0
    if status != "published":
        print(f"{result.year.label}: {status}.")
    scaled = ", each value's amounts scaled to the baseline total" if args.budget_neutral else ""
    print(f"Sweep of {result.parameter} for {result.year.label} ({result.method}{scaled}); amounts in £:")
    for code, name in zip(result.codes, result.names, strict=True):
        print(f"  {code}  {name}")
    print(_table(headers, rows, right=set(range(len(headers)))))
    return 0


def cmd_grid(args) -> int:
    import numpy

    from openfisca_grants.sweep import grid_sweep

    chart = _chart_path(args)
    if args.body is not None and chart is None:
        raise RulesCannotAnswer(
            "--body chooses the body the heatmap shows: give --chart too, or leave it out."
        )
    axes = []
    for option, (path, start, stop, steps) in (("--first", args.first), ("--second", args.second)):
        values = numpy.round(
            numpy.linspace(
                boundary.finite_float(start, f"{option} FROM"),
                boundary.finite_float(stop, f"{option} TO"),
                boundary.whole_number(
                    steps, f"{option} STEPS", 1, boundary.MAX_SWEEP_VALUES, "a number of steps"
                ),
            ),
            12,
        )
        axes.append((path, values))
    year = boundary.financial_year(args.year, "--year")
    spec = _reform_from_args(args)
    from openfisca_grants import reforms

    with reforms.computing_under(spec):
        result = grid_sweep(
            (axes[0][0], axes[1][0]),
            (axes[0][1], axes[1][1]),
            year,
            reform=spec,
            budget_neutral=args.budget_neutral,
        )
    if result.note:
        print(f"openfisca-grants: warning: grid sweep {result.note}.", file=sys.stderr)
    if chart:
        from openfisca_grants.charts import grid_chart

        boundary.write_file(chart, lambda path: grid_chart(result, path, body=args.body))
        print(f"Chart written to {chart}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        return 0
    first, second = result.parameters
    rows = [
        [
            _swept(a),
            _swept(b),
            *(f"{p / 100:.2f}" for p in result.pence[i, j]),
            f"{result.pence[i, j].sum() / 100:.2f}",
        ]
        for i, a in enumerate(result.values[0].tolist())
        for j, b in enumerate(result.values[1].tolist())
    ]
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([first, second, *result.names, "total"])
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
        return 0
    print(f"Grid sweep for {result.year.label} ({result.method}); amounts in £:")
    print(f"  first:  {first}")
    print(f"  second: {second}")
    for code, name in zip(result.codes, result.names, strict=True):
        print(f"  {code}  {name}")
    headers = ["first", "second", *result.codes, "total"]
    print(_table(headers, rows, right=set(range(len(headers)))))
    return 0


def cmd_explain(args) -> int:
    from openfisca_grants import reforms
    from openfisca_grants.explain import as_text, explain

    spec = _reform_from_args(args)
    with reforms.computing_under(spec):
        explanation = explain(
            boundary.financial_year(args.year, "--year"),
            region=args.region,
            authority=args.authority,
            reform=spec,
            number=args.determination,
        )
    if args.format == "json":
        print(json.dumps(explanation, indent=2, ensure_ascii=False))
    else:
        print(as_text(explanation))
    return 0


def _output_path(args):
    """Where --output will write its workbook, checked before any work is done (None without)."""
    if getattr(args, "output", None) is None:
        return None
    return boundary.output_path(
        args.output, force=getattr(args, "force", False), suffixes=(".xlsx",), what="workbook"
    )


def _write_output(path, workbook: str, *results) -> None:
    """Write an Excel workbook of the results (openfisca_grants.excel), and say where."""
    from openfisca_grants import excel

    boundary.write_file(path, lambda temporary: getattr(excel, workbook)(*results, temporary))
    print(f"Workbook written to {path}", file=sys.stderr)


def _add_output_argument(command) -> None:
    command.add_argument("--output", metavar="FILE.xlsx", help="also write the tables to an Excel workbook")


def _add_reform_arguments(command, positional: bool) -> None:
    if positional:
        command.add_argument("reform", nargs="?", help="a reform file: .yaml (parameter changes) or .py")
    else:
        command.add_argument("--reform", help="apply a reform file first: .yaml or .py")
    command.add_argument(
        "--set",
        action="append",
        metavar="PATH=VALUE",
        help="change a parameter (repeatable); see 'openfisca-grants parameters'",
    )


@functools.cache
def parser() -> argparse.ArgumentParser:
    """The command line's parser, built once: argparse keeps no state between parses."""
    root = argparse.ArgumentParser(
        prog="openfisca-grants",
        description="DfE Section 31 children's social care grant determinations, as rules.",
    )
    commands = root.add_subparsers(dest="command", required=True)

    rec = commands.add_parser("reconcile", help="Annex A figures against the encoded rules")
    rec.add_argument("--year", help='one financial year, e.g. "2024-25" (default: every encoded year)')
    rec.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _add_output_argument(rec)
    rec.add_argument("--force", action="store_true", help="replace the workbook if it exists")
    rec.set_defaults(run=cmd_reconcile)

    reg = commands.add_parser("register", help="authorities by region on a date")
    when = reg.add_mutually_exclusive_group()
    when.add_argument("--year", default="2024-25", help="on 1 April of this financial year")
    when.add_argument("--on", help="on this date (YYYY-MM-DD)")
    reg.add_argument("--region", help="one region, by name or ONS code")
    reg.add_argument("--list", action="store_true", help="list the authorities too")
    reg.add_argument("--format", choices=["table", "json"], default="table")
    reg.set_defaults(run=cmd_register)

    res = commands.add_parser("resolve", help="what a name in a letter means on a date")
    res.add_argument("name")
    when = res.add_mutually_exclusive_group()
    when.add_argument("--year", default="2024-25", help="on 1 April of this financial year")
    when.add_argument("--on", help="on this date (YYYY-MM-DD)")
    res.set_defaults(run=cmd_resolve)

    par = commands.add_parser("parameters", help="the parameters a reform can change")
    par.add_argument("--year", help='one financial year, e.g. "2024-25" (default: all)')
    par.add_argument("--format", choices=["table", "csv", "json"], default="table")
    par.set_defaults(run=cmd_parameters)

    com = commands.add_parser("compare", help="baseline against a reform, per region or authority")
    _add_reform_arguments(com, positional=True)
    com.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    com.add_argument("--format", choices=["table", "csv", "json"], default="table")
    com.add_argument("--chart", metavar="FILE", help="also draw a bar chart (.png or .svg)")
    com.add_argument("--force", action="store_true", help="replace the chart or workbook if it exists")
    com.add_argument(
        "--budget-neutral",
        action="store_true",
        help="scale the reformed amounts to add up to the baseline total",
    )
    _add_output_argument(com)
    com.set_defaults(run=cmd_compare)

    swe = commands.add_parser("sweep", help="each body's grant across a range of one parameter")
    swe.add_argument("parameter", help="a parameter path, as 'openfisca-grants parameters' lists them")
    swe.add_argument("--from", dest="start", required=True, help="first value")
    swe.add_argument("--to", dest="stop", required=True, help="last value")
    swe.add_argument(
        "--steps",
        required=True,
        help=f"number of values, ends included (1 to {boundary.MAX_SWEEP_VALUES:,})",
    )
    swe.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    _add_reform_arguments(swe, positional=False)
    swe.add_argument("--format", choices=["table", "csv", "json"], default="table")
    swe.add_argument("--chart", metavar="FILE", help="also draw a line chart (.png or .svg)")
    swe.add_argument("--force", action="store_true", help="replace the chart or workbook if it exists")
    swe.add_argument(
        "--budget-neutral",
        action="store_true",
        help="scale each value's amounts to add up to the baseline total",
    )
    _add_output_argument(swe)
    swe.set_defaults(run=cmd_sweep)

    gri = commands.add_parser("grid", help="each body's grant across a grid of values of two parameters")
    for option, which in (("--first", "first"), ("--second", "second")):
        gri.add_argument(
            option,
            nargs=4,
            required=True,
            metavar=("PATH", "FROM", "TO", "STEPS"),
            help=f"the {which} parameter and its values (ends included)",
        )
    gri.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    _add_reform_arguments(gri, positional=False)
    gri.add_argument("--format", choices=["table", "csv", "json"], default="table")
    gri.add_argument("--chart", metavar="FILE", help="also draw a heatmap (.png or .svg)")
    gri.add_argument("--force", action="store_true", help="replace the chart file if it exists")
    gri.add_argument("--body", help="the heatmap of this region or authority (default: the total)")
    gri.add_argument(
        "--budget-neutral",
        action="store_true",
        help="scale each pair's amounts to add up to the baseline total",
    )
    gri.set_defaults(run=cmd_grid)

    exp = commands.add_parser("explain", help="why a body's grant is what it is, with sources")
    exp.add_argument("--year", required=True, help='the financial year, e.g. "2024-25"')
    body = exp.add_mutually_exclusive_group(required=True)
    body.add_argument("--region", help="a region, by name or ONS code")
    body.add_argument("--authority", help="an authority, by name or GSS code")
    _add_reform_arguments(exp, positional=False)
    exp.add_argument("--format", choices=["text", "json"], default="text")
    exp.add_argument("--determination", help="its number, where several determinations govern the year")
    exp.set_defaults(run=cmd_explain)
    _add_maintainer_commands(root, commands)
    _add_web_command(commands)
    return root


def _values_beginning_with_a_dash(root: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """``--from -0.1`` as ``--from=-0.1``: argparse reads a value such as "-2024-25" as an option.

    Only for options that take a value, and only when the next word is not itself an option.
    """
    options = {}
    for command in root._subparsers._group_actions[0].choices.values():  # argparse has no public walk
        options.update(command._option_string_actions)
    takes_value = {option for option, action in options.items() if action.nargs != 0}
    joined: list[str] = []
    words = iter(argv)
    for word in words:
        if word in takes_value:
            following = next(words, None)
            if following is None:
                joined.append(word)
            elif following.startswith("-") and following not in options:
                joined.append(f"{word}={following}")
            else:
                joined += [word, following]
        else:
            joined.append(word)
    return joined


def _one_line(message: str) -> str:
    """A message on one line, whatever was typed: control characters shown as escapes."""
    return _CONTROL.sub(lambda match: repr(match.group())[1:-1], message)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _refuse_options_given_twice(root: argparse.ArgumentParser, argv: list[str]) -> None:
    """``--year 2024-25 --year 2016-17``: refused, as a reform file's key given twice is."""
    options = {}
    for command in root._subparsers._group_actions[0].choices.values():
        options.update(command._option_string_actions)
    seen: dict[str, str] = {}
    for word in argv:
        option, _, value = word.partition("=")
        action = options.get(option)
        if action is None or isinstance(action, argparse._AppendAction) or not option.startswith("--"):
            continue
        key = action.dest
        if key in seen:
            raise RulesCannotAnswer(f"{option} is given twice ({seen[key]} and {word}): say which you mean.")
        seen[key] = word


def main(argv: list[str] | None = None) -> int:
    root = parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    argv = _values_beginning_with_a_dash(root, argv)
    try:
        _refuse_options_given_twice(root, argv)
    except RulesCannotAnswer as error:
        print(f"openfisca-grants: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_CANNOT_ANSWER
    args = root.parse_args(argv)
    try:
        return args.run(args)
    except RulesCannotAnswer as error:
        print(f"openfisca-grants: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_CANNOT_ANSWER
    except BrokenPipeError:
        # The reader (| head, say) stopped reading: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # writing the output failed: a full disk, say
        print(f"openfisca-grants: cannot write the output: {error.strerror or error}.", file=sys.stderr)
        return EXIT_CANNOT_ANSWER
    except KeyboardInterrupt:
        return 130
    except (Exception, SystemExit) as error:
        from openfisca_grants import reforms

        if reforms.raised_by_reform_code(error):
            failed = reforms.reform_code_failed(error, "computing")
            print(f"openfisca-grants: {_one_line(str(failed))}", file=sys.stderr)
            return EXIT_CANNOT_ANSWER
        if isinstance(error, SystemExit):
            raise
        if os.environ.get("OPENFISCA_GRANTS_DEBUG"):
            raise
        # Not a question the rules refuse but a fault of this program: say so in one line.
        print(
            f"openfisca-grants: internal error, not a problem with your input: "
            f"{type(error).__name__}: {str(error)[:300]}. Please report it with the command you ran "
            "(OPENFISCA_GRANTS_DEBUG=1 shows the traceback).",
            file=sys.stderr,
        )
        return EXIT_INTERNAL_ERROR


def _status_of_year(year) -> str:
    """ "published", or the label of the draft(s) modelling the year."""
    from openfisca_grants import determinations

    drafts = [d.number for d in determinations.for_year(year) if d.is_draft]
    return f"{determinations.DRAFT_LABEL} ({', '.join(drafts)})" if drafts else "published"


# ---- for maintainers: a new letter's home, next year's draft, the version ---------------------


def _add_maintainer_commands(root: argparse.ArgumentParser, commands) -> None:
    from openfisca_grants import __version__

    root.add_argument("--version", action="version", version=f"openfisca-grants {__version__}")
    new = commands.add_parser(
        "new-determination",
        help="write a new letter's determination: letter, parameters, variables, cases",
        description="Read a determination letter (in the format of those in openfisca_grants/sources/), "
        "resolve every Annex A name on 1 April of its year, and write its home. Nothing is written "
        "if any row fails, and an existing determination is never overwritten.",
    )
    new.add_argument("letter", help="the letter, as UTF-8 text")
    new.add_argument("--root", default=".", help="the repository's root (default: here)")
    new.set_defaults(run=cmd_new_determination)
    roll = commands.add_parser(
        "roll-forward",
        help="write a draft determination for a later year from an encoded one",
        description="Write a draft, not a published determination: the rules of an encoded "
        "determination dated from 1 April of a later year, authorities counted from the register "
        "then, a draft number; named adjustments are not carried.",
    )
    roll.add_argument(
        "number", help="the encoded determination's number, as 'openfisca-grants reconcile' shows it"
    )
    roll.add_argument("--to", dest="to_year", required=True, help='the later financial year, e.g. "2025-26"')
    roll.add_argument("--root", default=".", help="the repository's root (default: here)")
    roll.set_defaults(run=cmd_roll_forward)


def cmd_new_determination(args) -> int:
    from openfisca_grants.scaffold import describe, new_determination

    print(describe(new_determination(args.letter, args.root)))
    return 0


def cmd_roll_forward(args) -> int:
    from openfisca_grants.scaffold import describe, roll_forward

    print(describe(roll_forward(args.number, args.to_year, args.root)))
    return 0


# ---- the what-if web page, its JSON API and OpenFisca's Web API, in one server ----------------


def _add_web_command(commands) -> None:
    web = commands.add_parser(
        "web",
        help="serve the what-if page, its JSON API and OpenFisca's Web API",
        description="Serve the what-if web page (/), its JSON API (/api/...) and OpenFisca's Web API "
        "(/calculate, /trace, /variables...) in one process, under gunicorn. Loopback only by default.",
    )
    web.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"
    )
    web.add_argument("--port", default="8000", help="port (default: 8000)")
    web.add_argument("--workers", default="2", help="worker processes (default: 2)")
    web.set_defaults(run=cmd_web)


def cmd_web(args) -> int:
    from openfisca_grants.web.serve import serve

    port = boundary.whole_number(args.port, "--port", 1, 65535, "a port")
    workers = boundary.whole_number(args.workers, "--workers", 1, 64, "a number of workers")
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"openfisca-grants: warning: listening on {args.host}: anyone who can reach this machine "
            "can use the page.",
            file=sys.stderr,
        )
    return serve(args.host, port, workers)


if __name__ == "__main__":
    sys.exit(main())
