"""Authority-level data from a CSV keyed by GSS code, checked against the register.

A researcher's alternative formula often needs a figure per authority (an indicator of need,
say). ``read_authority_csv`` reads one column of such a file and refuses it, naming the file and
line, unless it has exactly one number for every authority that existed on the date: unknown
codes, codes of authorities that did not exist then, duplicates and missing authorities are all
reported, never dropped. Lines starting with ``#`` are comments (say where the data comes from).
"""

from __future__ import annotations

import csv
import datetime
import io
import pathlib

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.register import register


def read_authority_csv(path, column: str, year) -> dict[str, float]:
    """{GSS code: value} for every authority existing on 1 April of ``year``."""
    path = pathlib.Path(path)
    on: datetime.date = FinancialYear.parse(year).start
    if not path.is_file():
        raise RulesCannotAnswer(f"No data file at '{path}'.")
    lines = path.read_text(encoding="utf-8").splitlines()
    numbered = [
        (number, line) for number, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")
    ]
    if not numbered:
        raise RulesCannotAnswer(f"{path}: no data.")
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in numbered)))
    if "gss_code" not in (reader.fieldnames or []) or column not in reader.fieldnames:
        raise RulesCannotAnswer(
            f"{path}, line {numbered[0][0]}: the header must name 'gss_code' and '{column}'.",
            available=f"It names: {', '.join(reader.fieldnames or [])}.",
        )
    existing = {body.code: body for body in register().authorities_on(on)}
    values: dict[str, float] = {}
    problems = []
    for (number, _), row in zip(numbered[1:], reader, strict=True):
        code = (row["gss_code"] or "").strip()
        where = f"line {number}"
        if code in values:
            problems.append(f"{where}: {code} appears twice")
        elif code not in existing:
            known = [b for b in register().bodies if b.code == code]
            problems.append(
                f"{where}: {code} "
                + (
                    f"({known[0].name}) did not exist on {on}"
                    if known
                    else "is not a GSS code the register knows"
                )
            )
        try:
            values[code] = float(row[column])
        except (TypeError, ValueError):
            problems.append(f"{where}: {column} = {row[column]!r} is not a number")
    missing = sorted(set(existing) - set(values))
    if missing:
        problems.append(
            f"{len(missing)} authorit{'y' if len(missing) == 1 else 'ies'} of {on} missing: "
            + ", ".join(f"{code} {existing[code].name}" for code in missing[:10])
            + (" ..." if len(missing) > 10 else "")
        )
    if problems:
        raise RulesCannotAnswer(f"{path}: " + "; ".join(problems) + ".")
    return values
