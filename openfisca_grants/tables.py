"""Results as pandas DataFrames: money as exact integer pence beside the same amount as a decimal string.

A column of money ``x`` comes as two columns: ``x_pence`` (int64, exact, for arithmetic) and
``x`` (a string such as "260600.00", for reading and for writing out without a float). Every
frame records which columns are money in ``frame.attrs["money"]`` (the names of the pence
columns), which the Excel writer reads.

pandas is imported here only, so the command line starts without it.
"""

from __future__ import annotations

import pandas

from openfisca_grants.compare import Comparison, Row
from openfisca_grants.money import decimal_pounds
from openfisca_grants.reconcile import Reconciliation
from openfisca_grants.sweep import GridSweepResult, SweepResult

PENCE = "_pence"


def _pounds(pence) -> str | None:
    if pence is None or pandas.isna(pence):
        return None
    return decimal_pounds(int(pence))


def money_frame(records: list[dict], money: list[str]) -> pandas.DataFrame:
    """A frame of ``records`` in which each name in ``money`` (a key ``name_pence``) gets its string."""
    frame = pandas.DataFrame.from_records(records)
    columns = []
    for column in frame.columns:
        columns.append(column)
        if column.endswith(PENCE) and column[: -len(PENCE)] in money:
            name = column[: -len(PENCE)]
            nullable = frame[column].isna().any()
            frame[column] = frame[column].astype("Int64" if nullable else "int64")
            frame[name] = [_pounds(value) for value in frame[column]]
            columns.append(name)
    frame = frame[columns]
    frame.attrs["money"] = [name + PENCE for name in money]
    return frame


def _row_record(row: Row, determination, financial_year: str) -> dict:
    percent = row.difference_percent
    return {
        "determination": determination,
        "financial_year": financial_year,
        "code": row.code,
        "name": row.name,
        "baseline_pence": row.baseline_pence,
        "reform_pence": row.reform_pence,
        "difference_pence": row.difference_pence,
        "difference_percent": None if percent is None else round(percent, 4),
    }


def comparison_frame(comparisons: list[Comparison], total: bool = False) -> pandas.DataFrame:
    """One row per paid body (and a Total row per determination if ``total``)."""
    records = []
    for comparison in comparisons:
        d = comparison.determination
        rows = [*comparison.rows, comparison.total] if total else comparison.rows
        records += [_row_record(row, d.number, d.financial_year.label) for row in rows]
    return money_frame(records, ["baseline", "reform", "difference"])


def sweep_frame(result: SweepResult) -> pandas.DataFrame:
    """Long form: one row per swept value and body."""
    records = [
        {
            "parameter": result.parameter,
            "value": float(value),
            "code": code,
            "name": name,
            "grant_pence": int(result.pence[i, j]),
        }
        for i, value in enumerate(result.values.tolist())
        for j, (code, name) in enumerate(zip(result.codes, result.names, strict=True))
    ]
    return money_frame(records, ["grant"])


def sweep_wide_frame(result: SweepResult) -> pandas.DataFrame:
    """Wide form, as the command line prints it: one row per value, one pence column per body."""
    frame = pandas.DataFrame(result.pence, columns=[f"{name}{PENCE}" for name in result.names])
    frame.insert(0, "value", result.values)
    frame.attrs["money"] = [f"{name}{PENCE}" for name in result.names]
    return frame


def grid_sweep_frame(result: GridSweepResult) -> pandas.DataFrame:
    """Long form: one row per pair of values and body."""
    first, second = result.parameters
    records = [
        {
            first: float(a),
            second: float(b),
            "code": code,
            "name": name,
            "grant_pence": int(result.pence[i, j, k]),
        }
        for i, a in enumerate(result.values[0].tolist())
        for j, b in enumerate(result.values[1].tolist())
        for k, (code, name) in enumerate(zip(result.codes, result.names, strict=True))
    ]
    return money_frame(records, ["grant"])


# The columns of a reconciliation's lines and of its costing checks, each an attribute's name.
LINE_COLUMNS = (
    "kind",
    "row",
    "body",
    "gss_code",
    "published_pence",
    "computed_pence",
    "difference_pence",
    "formula_pence",
    "adjustment_pence",
    "adjustment_name",
    "note",
)
CHECK_COLUMNS = (
    "name",
    "working",
    "stated_pence",
    "worked_out_pence",
    "difference_pence",
    "status",
    "explanation",
)


def _records(results: list[Reconciliation], items: str, columns: tuple[str, ...]) -> list[dict]:
    """One record a line (``items``: "lines" or "checks") of each result, its determination first."""
    return [
        {
            "determination": result.determination.number,
            "financial_year": result.determination.financial_year.label,
            **{column: getattr(item, column) for column in columns},
        }
        for result in results
        for item in getattr(result, items)
    ]


def reconciliation_frame(results: list[Reconciliation]) -> pandas.DataFrame:
    """Each Annex A row and total, published beside computed."""
    records = _records(results, "lines", LINE_COLUMNS)
    frame = money_frame(records, ["published", "computed", "difference", "formula", "adjustment"])
    frame["row"] = frame["row"].astype("Int64")
    return frame


def checks_frame(results: list[Reconciliation]) -> pandas.DataFrame:
    """The letters' own figures checked: stated against worked out."""
    records = _records(results, "checks", CHECK_COLUMNS)
    if not records:
        return money_frame([], [])
    return money_frame(records, ["stated", "worked_out", "difference"])
