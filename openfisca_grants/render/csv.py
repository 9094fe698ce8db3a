"""CSV as every face writes it: one header, then rows, streamed to a file object (a sweep of a
million values is written as it is formatted, never held whole as text)."""

from __future__ import annotations

import csv
import io

import numpy

COMPARISON_COLUMNS = [
    "determination",
    "financial_year",
    "code",
    "name",
    "baseline",
    "reform",
    "difference",
    "difference_percent",
    "status",
    "what_if",
    "budget_neutral_factor",
]
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
    "status",
]


def write_dicts(stream, fields: list[str], rows) -> None:
    """Dict rows under the given columns (other keys ignored)."""
    writer = csv.DictWriter(stream, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def text(write, *args) -> str:
    """What ``write(stream, *args)`` writes, as one string (for a download)."""
    buffer = io.StringIO()
    write(buffer, *args)
    return buffer.getvalue()


def comparisons(stream, results) -> None:
    """Baseline against reform, a row per body and each determination's total."""
    rows = []
    for result in results:
        data = result.as_dict()
        head = {k: data[k] for k in ("determination", "financial_year", "status")}
        # The what-if's whole state travels with its figures: its name and its scaling, if any.
        head |= {"what_if": data["reform"], "budget_neutral_factor": data["budget_neutral_factor"]}
        rows += [{**head, **row} for row in [*data["rows"], data["total"]]]
    write_dicts(stream, COMPARISON_COLUMNS, rows)


def reconciliations(stream, results) -> None:
    """Annex A against the rules: every row and total, then each check of the letter's figures."""
    rows = []
    for result in results:
        data = result.as_dict()
        head = {k: data[k] for k in ("determination", "financial_year", "status")}
        rows += [{**head, **line} for line in data["lines"]]
        rows += [
            {
                **head,
                "kind": "check",
                "body": f"{check['name']} ({check['working']}): {check['status']}",
                "published": check["stated"],
                "computed": check["worked_out"],
                "difference": check["difference"],
            }
            for check in data["checks"]
        ]
    write_dicts(stream, RECONCILIATION_COLUMNS, rows)


def _money_rows(stream, labels: numpy.ndarray, pence: numpy.ndarray, totals: bool = False) -> None:
    """Each row: its labels (swept values, written with every digit they have: ``%.15g``), then
    its amounts in pounds from whole pence, in integers.

    A block of rows is formatted by one %-format, which keeps a million rows to a second or two;
    amounts are never negative here (a negative grant is refused before), and are checked.
    """
    pence = numpy.asarray(pence, dtype=numpy.int64)
    labels = numpy.asarray(labels, dtype=numpy.float64).reshape(len(pence), -1)
    if totals:
        pence = numpy.concatenate([pence, pence.sum(axis=1, keepdims=True)], axis=1)
    if (pence < 0).any():
        raise ValueError("a negative amount reached the CSV writer: a grant cannot be negative")
    bodies, kept = pence.shape[1], labels.shape[1]
    row = ",".join(["%.15g"] * kept + ["%d.%02d"] * bodies) + "\n"
    chunk = 20_000
    for start in range(0, len(pence), chunk):
        block = pence[start : start + chunk]
        cells = numpy.empty((len(block), kept + 2 * bodies), dtype=object)
        cells[:, :kept] = labels[start : start + chunk]
        cells[:, kept::2], cells[:, kept + 1 :: 2] = numpy.divmod(block, 100)
        stream.write((row * len(block)) % tuple(cells.ravel().tolist()))


def _quoted(cells) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def sweep(stream, result) -> None:
    """A sweep: the swept value, then each body's grant in pounds (a column per body)."""
    stream.write(_quoted(["value", *result.names]))
    _money_rows(stream, result.values, result.pence)


def grid(stream, result) -> None:
    """A grid sweep: both values, each body's grant and the total, a row per pair."""
    first, second = result.parameters
    stream.write(_quoted([first, second, *result.names, "total"]))
    first_values, second_values = result.values
    labels = numpy.stack(
        [numpy.repeat(first_values, len(second_values)), numpy.tile(second_values, len(first_values))], axis=1
    )
    _money_rows(stream, labels, result.pence.reshape(-1, result.pence.shape[-1]), totals=True)


def parameters(stream, rows: list[dict]) -> None:
    write_dicts(stream, list(rows[0]) if rows else ["parameter"], rows)


STATEMENT_COLUMNS = [
    "financial_year",
    "code",
    "name",
    "determination",
    "paid_as",
    "amount",
    "annex_a_row",
    "source",
    "status",
]


def statement(stream, result) -> None:
    """One body's payments in a year, a row each, then the total."""
    data = result.as_dict()
    head = {
        "financial_year": data["financial_year"],
        "code": data["body"]["code"],
        "name": data["body"]["name"],
    }
    rows = [{**head, **line} for line in data["lines"]]
    rows.append({**head, "determination": "Total", "amount": data["total"]})
    write_dicts(stream, STATEMENT_COLUMNS, rows)
