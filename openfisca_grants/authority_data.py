"""Authority-level data from a CSV keyed by GSS code, checked against the register.

A researcher's alternative formula often needs a figure per authority (an indicator of need,
say). ``read_authority_csv`` reads one column of such a file and refuses it, naming the file and
line, unless it has exactly one number for every authority that existed on the date: unknown
codes, codes of authorities that did not exist then, duplicates and missing authorities are all
reported, never dropped. Lines starting with ``#`` are comments (say where the data comes from).
``authority_values`` gives a formula one value per body of a simulation from such data.
"""

from __future__ import annotations

import csv
import datetime
import io
import pathlib

import numpy

from openfisca_grants import boundary
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.lookup import by_code
from openfisca_grants.register import register


def read_authority_csv(path, column: str, year) -> dict[str, float]:
    """{GSS code: value} for every authority existing on 1 April of ``year``."""
    path = pathlib.Path(path)
    on: datetime.date = boundary.financial_year(year, "year").start
    text = boundary.read_text(path, "data file")
    rows = _rows(text, path)
    if not rows:
        raise RulesCannotAnswer(f"{path}: no data.")
    (header_line, header), *records = rows
    header = [name.strip() for name in header]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise RulesCannotAnswer(
            f"{path}, line {header_line}: the header names {', '.join(repeat for repeat in repeated)} "
            "more than once; say which column is meant."
        )
    if "gss_code" not in header or column not in header:
        raise RulesCannotAnswer(
            f"{path}, line {header_line}: the header must name 'gss_code' and '{column}'.",
            available=f"It names: {', '.join(header)}.",
        )
    code_at, value_at = header.index("gss_code"), header.index(column)
    existing = {body.code: body for body in register().authorities_on(on)}
    values: dict[str, float] = {}
    seen: set[str] = set()
    problems = []
    for number, fields in records:
        where = f"line {number}"
        if len(fields) != len(header):
            problems.append(f"{where} has {len(fields)} fields; the header names {len(header)}")
            continue
        code = fields[code_at].strip()
        if code in seen:
            problems.append(f"{where}: {code} appears twice")
        elif code not in existing:
            known = [b for b in register().bodies if b.code == code]
            problems.append(
                f"{where}: {code[:60]} "
                + (
                    f"({known[0].name}) did not exist on {on}"
                    if known
                    else "is not a GSS code the register knows"
                )
            )
        seen.add(code)
        try:
            values[code] = boundary.finite_float(fields[value_at], f"{where}: {column}")
        except RulesCannotAnswer as error:
            problems.append(str(error).rstrip("."))
    missing = sorted(set(existing) - seen)
    if missing:
        problems.append(
            f"{len(missing)} authorit{'y' if len(missing) == 1 else 'ies'} of {on} missing: "
            + ", ".join(f"{code} {existing[code].name}" for code in missing[:10])
            + (" ..." if len(missing) > 10 else "")
        )
    if problems:
        shown = problems[:20] + ([f"and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise RulesCannotAnswer(f"{path}: " + "; ".join(shown) + ".")
    return values


def authority_values(codes, data: dict[str, float]) -> numpy.ndarray:
    """``data[code]`` for each authority among ``codes`` (a formula's ``gss_code``), and 0 for each
    body that is not an authority: a combined authority or the Greater London Authority, which a
    year's simulation holds when a letter of that year pays one, has no children's services and
    so no figure kept per authority. A code of no body, or an authority ``data`` lacks, raises."""
    codes = numpy.asarray(codes)
    others = [body.code for body in register().bodies if not body.has_childrens_services]
    authority = ~numpy.isin(codes, others)
    values = numpy.zeros(len(codes), dtype=numpy.float64)
    values[authority] = by_code(
        codes[authority],
        data,
        dtype=numpy.float64,
        unknown=lambda missing: RulesCannotAnswer(f"The data has no value for {', '.join(missing)}."),
    )
    return values


def _rows(text: str, path: pathlib.Path) -> list[tuple[int, list[str]]]:
    """(line number, fields) of each record, skipping blank lines and ``#`` comments.

    Strict: an unbalanced quote, or a field running over more than one line, is refused (codes
    and numbers never need one), so that no record is silently joined to the next.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    line = 0
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            raise RulesCannotAnswer(f"{path}, line {reader.line_num}: not valid CSV: {error}.") from None
        line = reader.line_num
        if line != start:
            raise RulesCannotAnswer(
                f"{path}, line {start}: a quoted field runs over {line - start + 1} lines; "
                "a field here is a code or a number, on one line."
            )
        if not fields or all(not field.strip() for field in fields) or fields[0].startswith("#"):
            continue
        rows.append((line, fields))
