"""Plain-text tables, as the command line prints them: a reconciliation, a comparison, a sweep,
a grid, the parameters a what-if can change."""

from __future__ import annotations

from openfisca_grants.determinations import DRAFT_LABEL
from openfisca_grants.money import decimal_pounds, format_pounds
from openfisca_grants.render.values import change as shown_change
from openfisca_grants.render.values import in_units, percent_change, status_line, swept


def money(pence: int | None) -> str:
    return "" if pence is None else format_pounds(pence)


def table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells):
        return "  ".join(
            str(cell).rjust(width) if index in right else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def reconciliation(result) -> str:
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
            money(line.published_pence),
            money(line.computed_pence),
            money(line.difference_pence),
        ]
        if has_formula:
            cells += [money(line.formula_pence), money(line.adjustment_pence)]
        rows.append(cells)
    out = [f"Determination {d.label}: {d.title}", table(headers, rows, right={3, 4, 5, 6, 7})]
    adjusted = [line for line in result.lines if line.adjustment_pence]
    if adjusted:
        out.append("Named adjustments (Annex A figure minus the letter's formula):")
        out += [
            f"  row {line.row}: {line.adjustment_name} {money(line.adjustment_pence)}. {line.note}"
            for line in adjusted
        ]
    if result.checks:
        out.append("Checks of the letter's own figures:")
        for check in result.checks:
            out.append(
                f"  {check.name}: stated {money(check.stated_pence)}, worked out "
                f"{money(check.worked_out_pence)} ({check.working}): {check.status}"
                + (f", difference {money(check.difference_pence)}" if check.difference_pence else "")
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


def reconciliations(results) -> str:
    figures = sum(1 for result in results for line in result.lines if line.published_pence is not None)
    unmatched = sum(
        1
        for result in results
        for line in result.lines
        if line.published_pence is not None and not line.matches
    )
    return (
        "\n\n".join(reconciliation(result) for result in results)
        + f"\n\n{figures - unmatched} of {figures} published figures matched to the penny."
    )


def reform_heading(spec, year_label: str, budget_neutral: bool) -> list[str]:
    """What a what-if changes, as its file or --set says it."""
    lines = [f"Reform: {spec.name}" + (f" ({spec.source})" if spec.source and spec.source != "--set" else "")]
    if spec.description:
        lines.append(f"  {' '.join(spec.description.split())}")
    lines += [f"  {c.path} = {shown_change(c)} for {c.year.label}" for c in spec.changes]
    if budget_neutral:
        lines.append("  budget neutral: reformed amounts scaled to the baseline total")
    return lines


def comparison(result) -> str:
    d = result.determination
    out = []
    if d.is_draft:
        out.append(status_line(f"{DRAFT_LABEL} ({d.number})", d.financial_year.label))
    out.append(f"Determination {d.label}, per {d.payee.words}:")
    rows = [
        [
            row.code,
            row.name,
            money(row.baseline_pence),
            money(row.reform_pence),
            money(row.difference_pence),
            percent_change(row.difference_percent),
        ]
        for row in [*result.rows, result.total]
    ]
    out.append(table(["code", "name", "baseline", "reform", "difference", "%"], rows, right={2, 3, 4, 5}))
    if result.budget_neutral_factor is not None:
        out.append(
            f"Budget neutral: reformed amounts scaled by {result.budget_neutral_factor:.9f} "
            "to the baseline total (pennies from rounding to the largest remainders)."
        )
    return "\n".join(out)


def comparisons(spec, results, budget_neutral: bool) -> str:
    out = []
    for result in results:
        out += reform_heading(spec, result.determination.financial_year.label, budget_neutral)
        out.append(comparison(result))
    return "\n".join(out)


def changes_nothing_warning(spec, result) -> str:
    """Why a what-if that changes no figure changes none: which changes no formula reads."""
    unread = "".join(
        f" No formula reads {path}: it records the letter's own working, which "
        "'openfisca-grants reconcile' checks."
        for path in result.unread_changes
    )
    if result.other_years_changes:
        unread += (
            " It changes the rules of another determination: " + ", ".join(result.other_years_changes) + "."
        )
    return (
        f"the reform '{spec.name}' changes no figure of "
        f"{result.determination.number} in {result.determination.financial_year.label}: "
        f"every amount equals the baseline.{unread}"
    )


def _swept_heading(result) -> str:
    unit = getattr(result, "unit", "")
    current = getattr(result, "current_value", None)
    shown = f" (now {in_units(current, unit)})" if current is not None else ""
    return f"{result.parameter}{shown}"


def sweep(result, budget_neutral: bool) -> str:
    out = []
    if result.status != "published":
        out.append(status_line(result.status, result.year.label))
    scaled = ", each value's amounts scaled to the baseline total" if budget_neutral else ""
    out.append(
        f"Sweep of {_swept_heading(result)} for {result.year.label} ({result.method}{scaled}); amounts in £:"
    )
    out += [f"  {code}  {name}" for code, name in zip(result.codes, result.names, strict=True)]
    headers = ["value", *result.codes]
    rows = [
        [_value(value, result.unit), *(decimal_pounds(p) for p in amounts)]
        for value, amounts in zip(result.values.tolist(), result.pence.tolist(), strict=True)
    ]
    out.append(table(headers, rows, right=set(range(len(headers)))))
    return "\n".join(out)


def _value(value: float, unit: str) -> str:
    """A swept value in a table: a rate as a percentage, as the letter writes it; else as typed."""
    return in_units(value, unit) if unit == "/1" else swept(value)


def grid(result) -> str:
    first, second = result.parameters
    out = []
    if result.status != "published":
        out.append(status_line(result.status, result.year.label))
    out += [
        f"Grid sweep for {result.year.label} ({result.method}); amounts in £:",
        f"  first:  {first}",
        f"  second: {second}",
    ]
    out += [f"  {code}  {name}" for code, name in zip(result.codes, result.names, strict=True)]
    rows = [
        [
            _value(a, result.units[0]),
            _value(b, result.units[1]),
            *(decimal_pounds(p) for p in result.pence[i, j].tolist()),
            decimal_pounds(int(result.pence[i, j].sum())),
        ]
        for i, a in enumerate(result.values[0].tolist())
        for j, b in enumerate(result.values[1].tolist())
    ]
    headers = ["first", "second", *result.codes, "total"]
    out.append(table(headers, rows, right=set(range(len(headers)))))
    return "\n".join(out)


def parameters(rows: list[dict]) -> str:
    out = []
    for row in rows:
        out.append(
            f"{row['parameter']} = {in_units(row['value'], row['unit'])}  "
            f"[{row['unit'] or 'text'}; {row['determination']}, {row['year']}]"
        )
        out.append(f"    {row['description']}")
        out.append(f"    source: {row['reference']}")
    return "\n".join(out)


def statement(result) -> str:
    """Each payment to one body in a year, with its source, and the total."""
    out = [
        f"{result.name} ({result.code}), {result.year_label}"
        + (f", under the reform '{result.reform}'" if result.reform else "")
    ]
    if not result.lines:
        out.append(f"No encoded determination pays {result.name} in {result.year_label}.")
        return "\n".join(out)
    rows = [
        [
            line.determination.number + (f" ({DRAFT_LABEL})" if line.determination.is_draft else ""),
            line.paid_as,
            money(line.pence),
            line.source,
        ]
        for line in result.lines
    ]
    rows.append(["Total", "", money(result.total_pence), ""])
    out.append(table(["determination", "paid as", "amount", "source"], rows, right={2}))
    return "\n".join(out)
