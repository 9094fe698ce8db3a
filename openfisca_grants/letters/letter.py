"""A determination letter read from its text: number, title, year, date, legal basis, payment, Annex A.

Whatever the layout it came in (see ``letters/__init__``), a letter is read from its text: a
covering letter, then the determination's heading ("... GRANT DETERMINATION [2019-20]: No
31/1234", with the year also as "[2024/2025]", "(2013 - 2014)" or "[2013-14]", wrapped onto two
lines in a PDF's text or not), its numbered paragraphs ("1)" or "1."), and Annex A, which
``annex`` reads line by line. ``read_letter`` finds each part and refuses a letter that lacks
one, saying which; ``annex_a_table`` is also what ``published`` reads each encoded letter with.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.letters.annex import Adjustment, AnnexTable, annex_lines, classify, clean

_NUMBER = re.compile(r"\bNo\.?\s*(\d{1,3}/\d{3,5})\b")
# The year as the heading writes it: "[2016-17]", "[2024/2025]", "(2013 - 2014)", "[2013-14]".
_YEAR = re.compile(r"[\[(](\d{4})\s*[-/–]\s*(\d{2}|\d{4})[\])]")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = re.compile(rf"^[ \t]*(?:(\d{{1,2}})[ \t]+)?({_MONTHS})[ \t]+(\d{{4}})[ \t]*$", re.M)
# A numbered paragraph: "1) ..." or "1. ...".
_PARAGRAPH = re.compile(r"^\s*(\d{1,2})[.)]\s+(.+)$")
# Words in a covering letter that show a formula: amounts built from rates, days, shares.
_FORMULA_WORDS = re.compile(r"\b(allocated to each|per day|per region|per authority|per LA|costed)\b", re.I)


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
    payment_line: int = 0  # the line of ``text`` the payment paragraph starts on (0: not known)


def _unix_lines(text: str) -> str:
    """Windows (CRLF) and old Mac (CR) line endings read as the letters' own."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def annex_a_table(
    text: str, where: str = "the letter", adjustments: tuple[Adjustment, ...] = ()
) -> AnnexTable:
    """The Annex A table of a letter's text, every line from its heading to its end classified
    (``annex.classify``): rows, headings, page furniture, blanks, subtotals and the total."""
    text = _unix_lines(text)
    found = _determination_line(text)
    lines, furniture = annex_lines(text, where, start_after=found[1] if found else 0)
    return classify(lines, where, furniture, adjustments)


def _determination_line(text: str) -> tuple[str, int] | None:
    """The determination's heading ("... GRANT DETERMINATION [2019-20]: No 31/1234"), joined with
    the next line where a PDF's text has wrapped it, and where it starts; None if there is none."""
    lines = text.split("\n")
    offsets, at = [], 0
    for line in lines:
        offsets.append(at)
        at += len(line) + 1
    # The heading comes just before "in exercise of the powers conferred by ...": of the lines that
    # could be it, the last before those words (a PDF's running header may repeat it above).
    powers = text.find("powers conferred")
    powers = powers if powers >= 0 else len(text)
    for upper_case_only in (True, False):
        found = None
        for index, line in enumerate(lines):
            if found is not None and offsets[index] > powers:
                break
            cleaned = clean(line)
            said = "DETERMINATION" in cleaned if upper_case_only else "determination" in cleaned.lower()
            if not said or cleaned.lower().startswith("re:"):
                continue
            if _NUMBER.search(cleaned):
                found = cleaned, offsets[index]
                continue
            following = next((clean(other) for other in lines[index + 1 : index + 3] if other.strip()), "")
            if _NUMBER.search(following):
                found = f"{cleaned} {following}", offsets[index]
        if found is not None:
            return found
    return None


def read_letter(
    text: str,
    where: str = "the letter",
    annex: AnnexTable | None = None,
    adjustments: tuple[Adjustment, ...] = (),
) -> Letter:
    """Every part of a determination letter that its home needs; raises naming a missing part.

    ``annex``: Annex A read from a spreadsheet beside the letter, instead of from its text.
    """
    text = _unix_lines(text)
    found = _determination_line(text)
    if found is None:
        raise RulesCannotAnswer(
            f"{where}: no determination heading found.",
            hint='A letter has a line such as "... GRANT DETERMINATION [2019-20]: No 31/1234".',
        )
    determination_line, heading_at = found
    number = _NUMBER.search(determination_line).group(1)
    year_found = _YEAR.search(determination_line)
    if year_found is None:
        raise RulesCannotAnswer(
            f"{where}: the determination heading gives no financial year ([2016-17] or (2013 - 2014))."
        )
    start, end = int(year_found.group(1)), int(year_found.group(2))
    if end % 100 != (start + 1) % 100:
        raise RulesCannotAnswer(
            f"{where}: [{year_found.group(1)}-{year_found.group(2)}] is not a financial year."
        )
    year = FinancialYear.parse(f"{start}-{(start + 1) % 100:02d}")
    flat = " ".join(clean(line) for line in text.split())
    cited = re.search(r"may be cited as the (.+?)\s*[\[(]?No\.?\s*\d", flat)
    title = _title(cited.group(1) if cited else determination_line.split(":")[0])
    basis = re.search(r"powers conferred by (section \d+ of the [A-Z][\w ]+? Act \d{4})", flat)
    if basis is None:
        raise RulesCannotAnswer(f"{where}: no legal basis ('powers conferred by section ... Act ...') found.")
    made_by = re.search(r"(The [A-Z][\w ]+?) \([“\"]", flat)
    payment_number, payment, payment_index = _payment(text[heading_at:])
    if payment is None:
        raise RulesCannotAnswer(
            f"{where}: no payment paragraph (a numbered paragraph under a heading on payment)."
        )
    if annex is None:
        annex = annex_a_table(text, where, adjustments)
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
        annex_a=annex,
        has_formula=bool(_FORMULA_WORDS.search(text[:heading_at])),
        payment_line=text[:heading_at].count("\n") + payment_index + 1,
    )


def _title(text: str) -> str:
    text = re.sub(r"\[(?!\d{4})([^\]]*)\]", r"\1", clean(text))  # keep only the year's brackets
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


def _payment(text: str) -> tuple[int | None, str | None, int]:
    """The payment paragraph: its number, its words (continued over the lines a PDF's text
    wraps it onto, up to a blank line or the next paragraph) and the index of its first line."""
    heading = ""
    lines = text.split("\n")  # lines as Annex A's are counted: a PDF's form feed starts none
    for index, line in enumerate(lines):
        cleaned = clean(line)
        if not cleaned:
            continue
        paragraph = _PARAGRAPH.match(cleaned)
        if paragraph is None:
            heading = cleaned
            continue
        if "payment" in heading.lower() or "payable" in paragraph.group(2).lower():
            words = [paragraph.group(2)]
            for following in lines[index + 1 :]:
                following = clean(following)
                if not following or _PARAGRAPH.match(following) or following.startswith("\f"):
                    break
                words.append(following)
            return int(paragraph.group(1)), " ".join(" ".join(words).split()), index
    return None, None, 0


def _signed_by(text: str) -> str:
    """The signatory of the determination: the lines after its last 'Signed by authority'."""
    at = text.rfind("Signed by authority")
    if at < 0:
        return ""
    lines = []
    for line in text[at:].splitlines()[1:]:
        cleaned = clean(line).rstrip(",")
        if not cleaned:
            if lines:
                break
            continue
        if "signature" in cleaned.lower():
            continue
        lines.append(cleaned)
    return ", ".join(lines[:3])
