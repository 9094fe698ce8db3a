"""A determination letter read from its text: number, title, year, date, legal basis, payment, Annex A.

Letters come as the Department publishes them (see ``openfisca_grants/sources/``): a covering
letter, then the determination ("... GRANT DETERMINATION [YYYY-YY]: No NN/NNNN"), its numbered
paragraphs (citation, determination, payment), and Annex A as a table of tab-separated rows,
with or without a stated total. ``read_letter`` finds each part and refuses a letter that lacks
one, saying which; ``annex_a_table`` is also what ``published`` reads each encoded letter with.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass

from openfisca_grants import boundary
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear

# Money as Annex A writes it: "£233,200", "£1,637,997.91" (commas in threes, pence or none).
_AMOUNT = re.compile(r"£ ?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?)")
_TOTAL = re.compile(r"^(grand )?total\b", re.I)
_NUMBER = re.compile(r"\bNo\.?\s*(\d{1,3}/\d{3,5})\b")
_YEAR = re.compile(r"\[(\d{4})\s*[-/–]\s*(\d{2}|\d{4})\]")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"^[ \t]*(?:(\d{{1,2}})[ \t]+)?({_MONTHS})[ \t]+(\d{{4}})[ \t]*$", re.M)
_PARAGRAPH = re.compile(r"^\s*(\d{1,2})\)\s+(.+)$")
# Words in a covering letter that show a formula: amounts built from rates, days, shares.
_FORMULA_WORDS = re.compile(r"\b(allocated to each|per day|per region|per authority|per LA|costed)\b", re.I)


@dataclass(frozen=True)
class AnnexRow:
    row: int
    text: str  # the row's first column, as the letter prints it
    pence: int


@dataclass(frozen=True)
class AnnexTable:
    heading: str
    rows: tuple[AnnexRow, ...]
    stated_total_pence: int | None  # None where the letter states no total


@dataclass(frozen=True)
class Letter:
    text: str
    number: str
    title: str
    financial_year: FinancialYear
    date: str  # as the letter dates itself: "2017-03-22", or "2024-08" for a month
    legal_basis: str
    made_by: str
    signed_by: str
    payment: str  # the payment paragraph, quoted
    payment_paragraph: int | None
    annex_a: AnnexTable
    has_formula: bool  # the covering letter builds amounts from rates, days or shares


def _clean(line: str) -> str:
    return re.sub(r"</?b>", "", html.unescape(line)).replace("**", "").strip(" #*\t")


def annex_a_table(text: str, where: str = "the letter") -> AnnexTable:
    """The Annex A table: the tab-separated lines after the letter's last 'Annex A' heading.

    Each amount must be money written as the letters write it (``£233,200``, ``£1,637,997.91``),
    whole pence, above £0 and within the money limit; a stated total, at most one, comes last.
    Anything else is refused naming the row, never read in part.
    """
    text = _unix_lines(text)
    starts = [m.start() for m in re.finditer(r"^\W*annex a\b", text, re.I | re.M)]
    if not starts:
        raise RulesCannotAnswer(f"{where}: no 'Annex A' heading found.")
    lines = [_clean_cells(line) for line in text[starts[-1] :].splitlines() if "\t" in line]
    if len(lines) < 2:
        raise RulesCannotAnswer(
            f"{where}: Annex A has no rows (a heading line, then one row a line, tab-separated)."
        )
    heading, *body = lines
    rows, total = [], None
    for line in body:
        label, _, amount = (cell.strip() for cell in line.partition("\t"))
        is_total = (not label and _TOTAL.match(amount)) or _TOTAL.match(label)
        at = "its total line" if is_total else f"row {len(rows) + 1} ({label[:60]!r})"
        if total is not None:
            raise RulesCannotAnswer(
                f"{where}: Annex A has a line after its stated total ({at}): a total comes last, once."
            )
        written = _TOTAL.sub("", amount).lstrip(" :") if is_total and not label else amount
        found = _AMOUNT.fullmatch(written.strip())
        if found is None:
            raise RulesCannotAnswer(
                f"{where}: Annex A {at}: {written[:60]!r} is not an amount as the letters write one.",
                hint="Write it as £233,200 or £1,637,997.91.",
            )
        pence = boundary.money_pence(found.group(1), f"{where}: Annex A {at}")
        if pence == 0 and not is_total:
            raise RulesCannotAnswer(f"{where}: Annex A {at} pays £0.00: a row of Annex A pays an amount.")
        if is_total:
            total = pence
        elif not label:
            raise RulesCannotAnswer(f"{where}: Annex A row {len(rows) + 1} names no body.")
        else:
            rows.append(AnnexRow(len(rows) + 1, label, pence))
    if not rows:
        raise RulesCannotAnswer(f"{where}: Annex A has no rows.")
    if sum(row.pence for row in rows) > boundary.MAX_PENCE:
        raise RulesCannotAnswer(
            f"{where}: Annex A's rows add up to more than the {boundary.MONEY_LIMIT_TEXT} "
            "this tool computes exactly."
        )
    return AnnexTable(heading, tuple(rows), total)


def _unix_lines(text: str) -> str:
    """Windows (CRLF) and old Mac (CR) line endings read as the letters' own."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean_cells(line: str) -> str:
    return "\t".join(_clean(cell) for cell in line.split("\t"))


def read_letter(text: str, where: str = "the letter") -> Letter:
    """Every part of a determination letter that its home needs; raises naming a missing part."""
    text = _unix_lines(text)
    determination_line = next(
        (line for line in text.splitlines() if "DETERMINATION" in line and _NUMBER.search(line)), None
    )
    if determination_line is None:
        raise RulesCannotAnswer(
            f"{where}: no determination heading found.",
            hint='A letter has a line such as "... GRANT DETERMINATION [2019-20]: No 31/1234".',
        )
    number = _NUMBER.search(determination_line).group(1)
    year_found = _YEAR.search(determination_line)
    if year_found is None:
        raise RulesCannotAnswer(f"{where}: the determination heading gives no financial year ([2016-17]).")
    start, end = int(year_found.group(1)), int(year_found.group(2))
    if end % 100 != (start + 1) % 100:
        raise RulesCannotAnswer(
            f"{where}: [{year_found.group(1)}-{year_found.group(2)}] is not a financial year."
        )
    year = FinancialYear.parse(f"{start}-{(start + 1) % 100:02d}")
    cited = re.search(r"may be cited as the (.+?)\s*\[?No\.?\s*\d", text)
    title = _title(cited.group(1) if cited else determination_line.split(":")[0])
    basis = re.search(r"powers conferred by (section \d+ of the [A-Z][\w ]+? Act \d{4})", text)
    if basis is None:
        raise RulesCannotAnswer(f"{where}: no legal basis ('powers conferred by section ... Act ...') found.")
    made_by = re.search(r"^\W*(The [A-Z][\w ]+?) \(“", text, re.M)
    payment_number, payment = _payment(text)
    if payment is None:
        raise RulesCannotAnswer(
            f"{where}: no payment paragraph (a numbered paragraph under a heading on payment)."
        )
    return Letter(
        text=text,
        number=number,
        title=title,
        financial_year=year,
        date=_letter_date(text),
        legal_basis=basis.group(1),
        made_by=made_by.group(1) if made_by else "",
        signed_by=_signed_by(text),
        payment=payment,
        payment_paragraph=payment_number,
        annex_a=annex_a_table(text, where),
        has_formula=bool(_FORMULA_WORDS.search(text[: text.find(determination_line)])),
    )


def _title(text: str) -> str:
    text = re.sub(r"\[(?!\d{4})([^\]]*)\]", r"\1", _clean(text))  # keep only the year's brackets
    return " ".join(text.split()).rstrip(" .")


def _letter_date(text: str) -> str:
    for found in _DATE.finditer(text):
        day, month, year = found.groups()
        month_number = _MONTHS.split("|").index(month) + 1
        if not day:
            return f"{year}-{month_number:02d}"
        try:
            return datetime.date(int(year), month_number, int(day)).isoformat()
        except ValueError:  # "31 February 2024" is not a date: look for the next one
            continue
    return ""


def _payment(text: str) -> tuple[int | None, str | None]:
    heading = ""
    for line in text.splitlines():
        cleaned = _clean(line)
        if not cleaned:
            continue
        paragraph = _PARAGRAPH.match(cleaned)
        if paragraph is None:
            heading = cleaned
            continue
        if "payment" in heading.lower() or "payable" in paragraph.group(2).lower():
            return int(paragraph.group(1)), " ".join(paragraph.group(2).split())
    return None, None


def _signed_by(text: str) -> str:
    """The signatory of the determination: the lines after its last 'Signed by authority'."""
    at = text.rfind("Signed by authority")
    if at < 0:
        return ""
    lines = []
    for line in text[at:].splitlines()[1:]:
        cleaned = _clean(line).rstrip(",")
        if not cleaned:
            if lines:
                break
            continue
        if "signature" in cleaned.lower():
            continue
        lines.append(cleaned)
    return ", ".join(lines[:3])
