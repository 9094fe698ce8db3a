"""Excel workbooks of results (openpyxl): one sheet per table, money as numbers in a £ format.

Each money cell holds the exact amount in pounds (written from integer pence as a decimal, so
no float rounding reaches the file) with the number format £#,##0.00, so a spreadsheet can add
it up. A sheet "Parameters changed" lists what the reform or sweep changed, each with its
baseline value and its source in the letter.

openpyxl is imported here only, so the command line starts without it.
"""

from __future__ import annotations

import datetime
import pathlib
from decimal import Decimal

from openfisca_grants.errors import RulesCannotAnswer

POUNDS_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'
PENCE = "_pence"


EXCEL_ROWS = 1_048_576  # rows in an Excel sheet


RATE_UNIT = "/1"


def target(path) -> pathlib.Path:
    path = pathlib.Path(path)
    if path.suffix.lower() != ".xlsx":
        raise RulesCannotAnswer(f"Cannot write '{path}': --output writes an Excel workbook, FILE.xlsx.")
    return path


def write_workbook(
    path, sheets: dict, changed: list[dict] | None = None, about: list[tuple] = ()
) -> pathlib.Path:
    """Write ``sheets`` ({sheet name: DataFrame from openfisca_grants.tables}) to ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = target(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(_sheet_name(name))
        money = set(frame.attrs.get("money", []))
        # A money column's decimal string duplicates its pence: the sheet keeps the number only.
        columns = [c for c in frame.columns if f"{c}{PENCE}" not in money]
        _append(sheet, [f"{c[: -len(PENCE)]} (£)" if c in money else c for c in columns])
        for cell in sheet[1]:
            cell.font = bold
        for record in frame[columns].itertuples(index=False):
            _append(
                sheet, [_cell(value, column in money) for value, column in zip(record, columns, strict=True)]
            )
        for index, column in enumerate(columns, start=1):
            if column in money:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = POUNDS_FORMAT
            width = max(
                [len(str(sheet.cell(1, index).value))] + [len(str(v)) for v in frame[column].head(200)]
            )
            sheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 60)
        sheet.freeze_panes = "A2"
    if changed is not None:
        sheet = workbook.create_sheet("Parameters changed")
        headers = ["parameter", "description", "unit", "financial year", "baseline", "reform", "source"]
        _append(sheet, headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in changed:
            _append(sheet, [row.get(h, "") for h in headers])
            if row.get("unit") == RATE_UNIT:  # a rate as the letter writes it: 14%, not 0.14
                for cell in sheet[sheet.max_row][4:6]:
                    cell.number_format = "0.00%"
        if not changed:
            _append(sheet, ["(none: the reform changes formulas only, or nothing)"])
        for letter, width in zip("ABCDEFG", (60, 60, 14, 14, 18, 24, 80), strict=True):
            sheet.column_dimensions[letter].width = width
    if about:
        sheet = workbook.create_sheet("About")
        for line in about:
            _append(sheet, list(line))
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["B"].width = 100
    workbook.save(path)
    return path


def _append(sheet, values) -> None:
    """A row of cells; text is written as text, never read as a formula (a reform's name may
    start with '=', and a workbook must not run what a file it came from says)."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _cell(value, money: bool):
    if value is None or _is_missing(value):
        return None
    if money:
        return Decimal(int(value)) / 100  # exact: written as its decimal digits
    if hasattr(value, "item"):
        return value.item()
    return value


def _is_missing(value) -> bool:
    """NaN or pandas.NA (a missing pence amount, a row number a total does not have)."""
    import pandas

    return not isinstance(value, str) and bool(pandas.isna(value))


def _sheet_name(name: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    for character in "[]:*?/\\":
        name = name.replace(character, "-")
    return name[:31]


def parameters_changed(spec, system=None) -> list[dict]:
    """Each parameter change of a reform: its description, unit, baseline and reformed value, source."""
    from openfisca_grants.reforms import leaves, source_of
    from openfisca_grants.simulation import tax_benefit_system

    system = system or tax_benefit_system()
    rows = []
    for change in spec.changes if spec else []:
        parameter = leaves(system)[change.path]
        rows.append(
            {
                "parameter": change.path,
                "description": parameter.description or "",
                "unit": parameter.metadata.get("unit", ""),
                "financial year": change.year.label,
                "baseline": _plain(parameter(change.year.start.isoformat())),
                "reform": _plain(change.value),
                "source": source_of(system, change.path),
            }
        )
    return rows


def swept_parameter(result, system=None) -> dict:
    """The row of the "Parameters changed" sheet for a swept parameter: its range and source."""
    from openfisca_grants.reforms import source_of
    from openfisca_grants.simulation import tax_benefit_system

    values = result.values
    return {
        "parameter": result.parameter,
        "description": result.label,
        "unit": result.unit,
        "financial year": result.year.label,
        "baseline": _plain(result.current_value),
        "reform": f"swept: {len(values)} values from {values.min():.15g} to {values.max():.15g}",
        "source": source_of(system or tax_benefit_system(), result.parameter),
    }


def _plain(value):
    if isinstance(value, (int, float, str)) or value is None:
        return value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _about(title: str, **facts) -> list[tuple]:
    from importlib.metadata import version

    rows = [("openfisca-grants", title)]
    rows += [(key.replace("_", " "), str(value)) for key, value in facts.items() if value not in (None, "")]
    rows.append(("written by", f"openfisca-grants {version('openfisca-grants')}"))
    rows.append(("money", "exact to the penny: each amount in pounds, from integer pence"))
    return rows


def reconciliation_workbook(results, path) -> pathlib.Path:
    """Annex A against the rules: one sheet per determination, and the letters' own checks."""
    from openfisca_grants import tables

    sheets = {}
    for result in results:
        d = result.determination
        sheets[f"{d.number} {d.financial_year.label}"] = tables.reconciliation_frame([result])
    checks = tables.checks_frame(results)
    if len(checks):
        sheets["Checks of the letters"] = checks
    reconciled = all(result.reconciled for result in results)
    return write_workbook(
        path,
        sheets,
        about=_about(
            "reconcile",
            reconciled="yes" if reconciled else "NO",
            status=_statuses(r.determination for r in results),
        ),
    )


def _statuses(determinations) -> str:
    """Each determination's status: a draft's figures are the rules', no letter's."""
    return "; ".join(f"{d.number}: {d.status_text}" for d in determinations)


def comparison_workbook(comparisons, spec, path) -> pathlib.Path:
    """Baseline against reform: one sheet per determination (with its total), parameters changed."""
    from openfisca_grants import tables

    sheets = {}
    for comparison in comparisons:
        d = comparison.determination
        sheets[f"{d.number} {d.financial_year.label}"] = tables.comparison_frame([comparison], total=True)
    factors = {c.determination.number: c.budget_neutral_factor for c in comparisons}
    return write_workbook(
        path,
        sheets,
        changed=parameters_changed(spec),
        about=_about(
            "compare",
            status=_statuses(c.determination for c in comparisons),
            reform=spec.name,
            reform_file=spec.source if spec.source and spec.source != "--set" else "",
            description=" ".join(spec.description.split()),
            budget_neutral_factor=", ".join(f"{k}: {v:.9f}" for k, v in factors.items() if v is not None),
        ),
    )


def sweep_workbook(result, spec, path) -> pathlib.Path:
    """A sweep: the grants per value (wide), the same in long form, and the parameters changed."""
    from openfisca_grants import tables

    sheets = {"Sweep": tables.sweep_wide_frame(result)}
    if result.pence.size < EXCEL_ROWS:  # the long form, where a sheet holds it
        sheets["Sweep (long)"] = tables.sweep_frame(result)
    return write_workbook(
        path,
        sheets,
        changed=[swept_parameter(result), *parameters_changed(spec)],
        about=_about(
            "sweep",
            financial_year=result.year.label,
            status=result.status,
            method=result.method,
            checked_one_at_a_time=", ".join(f"{v:.15g}" for v in result.checked),
            note=result.note,
            reform=spec.name if spec else "",
            budget_neutral="yes" if result.budget_neutral_factors is not None else "",
        ),
    )


def statement_workbook(result, path) -> pathlib.Path:
    """One body's payments in a year: a row per determination, with its source, and the total."""
    import pandas

    from openfisca_grants.tables import money_frame

    records = [
        {
            "determination": line.determination.number,
            "status": line.determination.status_text,
            "paid as": line.paid_as,
            "amount_pence": line.pence,
            "Annex A row": line.annex_a_row,
            "source": line.source,
        }
        for line in result.lines
    ]
    records.append({"determination": "Total", "amount_pence": result.total_pence})
    frame = money_frame(records, ["amount"]) if records else pandas.DataFrame()
    return write_workbook(
        path,
        {"Statement": frame},
        about=_about(
            "statement",
            body=f"{result.name} ({result.code})",
            financial_year=result.year_label,
            reform=result.reform or "",
            status=_statuses(line.determination for line in result.lines),
        ),
    )
