"""The command line's uses of the rules: each reads its arguments through the boundary into a
``WhatIf``, calls one use case (``openfisca_grants.use_cases``) and renders the result
(``openfisca_grants.render``); and the maintainers' commands, which write a determination's home
or take it out (``openfisca_grants.scaffold``). ``cli.py`` builds the parser and runs them.
"""

from __future__ import annotations

import datetime
import sys

from openfisca_grants import boundary
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.register import register

EXIT_DIFFERENCES = 1
MAX_EXCEL_SWEEP_VALUES = 100_000


def cmd_reconcile(args) -> int:
    from openfisca_grants import use_cases
    from openfisca_grants.render import csv, json, text

    output = _output_path(args)
    year = None if args.year is None else use_cases.year_of(args.year, "--year", governed=True)
    results = use_cases.reconcile(year, args.determination)
    if output:
        _write_output(output, "reconciliation_workbook", results)
    _print(
        args.format,
        lambda: json.reconciliations(results),
        lambda out: csv.reconciliations(out, results),
        lambda: text.reconciliations(results),
    )
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
        from openfisca_grants.render import json

        sys.stdout.write(
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
                }
            )
        )
        return 0
    print(f"Local authorities with children's services duties on {on.isoformat()}:")
    from openfisca_grants.render.text import table

    print(
        table(
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


# ---- what-ifs ---------------------------------------------------------------------------------


def _whatif(args, changes_needed: bool = False):
    """The what-if a command was given: its year (read once, here), a reform file, --set changes,
    --budget-neutral (else as the reform file says), --determination."""
    from openfisca_grants import use_cases

    year = use_cases.year_of(args.year, "--year")
    reform = getattr(args, "reform", None)
    sets = args.set or []
    if changes_needed and reform is None and not sets:
        raise RulesCannotAnswer("compare needs a reform: a file, or one or more --set PATH=VALUE.")
    return use_cases.what_if(
        year,
        changes=sets,
        reform=reform,
        budget_neutral=True if getattr(args, "budget_neutral", False) else None,
        determination=getattr(args, "determination", None),
    )


def cmd_parameters(args) -> int:
    from openfisca_grants import use_cases
    from openfisca_grants.render import csv, text

    year = None if args.year is None else use_cases.year_of(args.year, "--year", governed=True)
    rows = use_cases.parameters(year)
    _print(
        args.format,
        lambda: rows,
        lambda out: csv.parameters(out, rows),
        lambda: text.parameters(rows),
    )
    return 0


def cmd_compare(args) -> int:
    from openfisca_grants import use_cases
    from openfisca_grants.render import csv, text

    chart = _chart_path(args)
    output = _output_path(args)
    whatif = _whatif(args, changes_needed=True)
    results = use_cases.compare(whatif)
    if output:
        _write_output(output, "comparison_workbook", results, whatif.spec)
    if chart:
        from openfisca_grants.charts import comparison_chart

        for result in results:
            boundary.write_file(chart, lambda path, result=result: comparison_chart(result, path))
    _print(
        args.format,
        lambda: [r.as_dict() for r in results],
        lambda out: csv.comparisons(out, results),
        lambda: text.comparisons(whatif.spec, results, whatif.budget_neutral),
    )
    for result in results:
        if result.changes_nothing:
            print(
                f"openfisca-grants: warning: {text.changes_nothing_warning(whatif.spec, result)}",
                file=sys.stderr,
            )
    if chart:
        print(f"Chart written to {chart}", file=sys.stderr)
    return 0


def cmd_statement(args) -> int:
    from openfisca_grants import use_cases
    from openfisca_grants.render import csv, text

    output = _output_path(args)
    result = use_cases.statement(_whatif(args), args.body)
    if output:
        _write_output(output, "statement_workbook", result)
    _print(
        args.format,
        lambda: result.as_dict(),
        lambda out: csv.statement(out, result),
        lambda: text.statement(result),
    )
    return 0


def _chart_path(args):
    """Where --chart will write, checked before any work is done (None without --chart)."""
    if args.chart is None:
        return None
    from openfisca_grants.charts import FORMATS

    return boundary.output_path(args.chart, force=args.force, suffixes=FORMATS, what="chart")


def cmd_sweep(args) -> int:
    from openfisca_grants import use_cases
    from openfisca_grants.render import csv, text
    from openfisca_grants.sweep import values_between

    chart = _chart_path(args)
    output = _output_path(args)
    values = values_between(args.start, args.stop, args.steps)
    if output and len(values) > MAX_EXCEL_SWEEP_VALUES:
        raise RulesCannotAnswer(
            f"--output: a workbook holds a sweep of at most {MAX_EXCEL_SWEEP_VALUES:,} values "
            f"(an Excel sheet has 1,048,576 rows); this one has {len(values):,}.",
            hint="Sweep fewer values, or write them with --format csv.",
        )
    whatif = _whatif(args)
    result = use_cases.sweep(whatif, args.parameter, values)
    if output:
        _write_output(output, "sweep_workbook", result, whatif.spec)
    if result.note:
        print(f"openfisca-grants: warning: sweep {result.note}.", file=sys.stderr)
    if chart:
        from openfisca_grants.charts import sweep_chart

        boundary.write_file(chart, lambda path: sweep_chart(result, path))
        print(f"Chart written to {chart}", file=sys.stderr)
    _print(
        args.format,
        lambda: result.as_dict(),
        lambda out: csv.sweep(out, result),
        lambda: text.sweep(result, whatif.budget_neutral),
    )
    return 0


def cmd_grid(args) -> int:
    from openfisca_grants import use_cases
    from openfisca_grants.render import csv, text
    from openfisca_grants.sweep import values_between

    chart = _chart_path(args)
    if args.body is not None and chart is None:
        raise RulesCannotAnswer(
            "--body chooses the body the heatmap shows: give --chart too, or leave it out."
        )
    axes = [
        (path, values_between(start, stop, steps, where=option))
        for option, (path, start, stop, steps) in (("--first", args.first), ("--second", args.second))
    ]
    whatif = _whatif(args)
    result = use_cases.grid(whatif, [axes[0][0], axes[1][0]], [axes[0][1], axes[1][1]])
    if result.note:
        print(f"openfisca-grants: warning: grid sweep {result.note}.", file=sys.stderr)
    if chart:
        from openfisca_grants.charts import grid_chart

        boundary.write_file(chart, lambda path: grid_chart(result, path, body=args.body))
        print(f"Chart written to {chart}", file=sys.stderr)
    _print(
        args.format,
        lambda: result.as_dict(),
        lambda out: csv.grid(out, result),
        lambda: text.grid(result),
    )
    return 0


def cmd_explain(args) -> int:
    from openfisca_grants import use_cases
    from openfisca_grants.explain import as_text
    from openfisca_grants.render import json

    explanation = use_cases.explain(_whatif(args), region=args.region, authority=args.authority)
    if args.format == "json":
        sys.stdout.write(json.dumps(explanation))
    else:
        print(as_text(explanation))
    return 0


def _print(form: str, as_data, write_csv, as_text) -> None:
    """A result in the format asked (``--format``): JSON, CSV (streamed as it is written) or a
    text table; each made only if asked for (a sweep's text table of a million rows is not)."""
    from openfisca_grants.render import json

    if form == "json":
        sys.stdout.write(json.dumps(as_data()))
    elif form == "csv":
        write_csv(sys.stdout)
    else:
        print(as_text())


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


# ---- for maintainers: a determination's home written or taken out (scaffold) -----------------


def cmd_new_determination(args) -> int:
    from openfisca_grants.scaffold import DryRunRefused, describe, dry_run, new_determination

    adjustments = tuple(boundary.adjustment(text) for text in args.adjustment)
    named = [adjustment.name for adjustment in adjustments]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:  # one would silently replace the other
        raise RulesCannotAnswer(f"--adjustment {twice[0]} is given twice: give each named adjustment once.")
    if args.dry_run:
        try:
            print(dry_run(args.letter, args.annex, args.sheet, adjustments, args.root))
        except DryRunRefused as refused:
            print(refused.shown)
            raise refused.reason from None
        return 0
    print(describe(new_determination(args.letter, args.root, args.annex, args.sheet, adjustments)))
    return 0


def cmd_roll_forward(args) -> int:
    from openfisca_grants.scaffold import describe, roll_forward

    print(describe(roll_forward(args.number, args.to_year, args.root)))
    return 0


def cmd_remove_determination(args) -> int:
    from openfisca_grants.scaffold import describe_removal, remove_determination

    print(describe_removal(remove_determination(args.number, args.root, force=args.force)))
    return 0
