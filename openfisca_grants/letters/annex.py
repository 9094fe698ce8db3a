"""Annex A line by line: every line from its heading to its end classified, or the import refused.

Whatever layout a letter comes in (the text of ``openfisca_grants/sources/``, a gov.uk page or
the text copied from one, the text of a PDF, a spreadsheet beside the letter), its Annex A
reaches this module as numbered lines of text, and each line is one of:

* ``annex heading``: the "Annex A" line and any title under it, before the first row;
* ``column heading``: a line of column names (first, or repeated on a later page), or a table
  rule (``|---|---|``);
* ``page header/footer``: "Page 2 of 3", a page number alone, or a line the letter repeats on
  its pages outside Annex A too (a running header);
* ``blank``;
* ``row``: a body (by name, with or without DfE's three-digit LA number or an ONS code) and its
  amount, the cells separated by tabs, pipes, two or more spaces, or one space before a "£";
* ``subtotal`` (which must be the sum of the rows since the previous one) and ``total`` (which
  must be the sum of every row, unless the maintainer records the difference as named
  adjustments).

A line that is none of these refuses the whole Annex, naming its line number and its text: a
row is never dropped because it looked like something else. Amounts are exact pence, read by
``boundary.money_pence``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from openfisca_grants import boundary
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import format_pounds

ANNEX_HEADING = "annex heading"
COLUMN_HEADING = "column heading"
PAGE = "page header/footer"
BLANK = "blank"
ROW = "row"
SUBTOTAL = "subtotal"
TOTAL = "total"

# Money as Annex A writes it: "£233,200", "£1,637,997.91", "1250000" (commas in threes, pence or none).
_AMOUNT = re.compile(r"£ ?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?)|((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{2})?)")
# A cell meant as an amount: it has a "£" or a digit and no letters but a trailing "p"/"m"/"k".
_AMOUNT_LIKE = re.compile(r"^[-(]?\s*£|^[-(]?\s*\d[\d,.]*\s*[a-z]{0,2}\)?$", re.I)
_TOTAL = re.compile(r"^(grand\s+)?total\b\s*:?\s*", re.I)
_SUBTOTAL = re.compile(r"\bsub[- ]?total\b\s*:?\s*", re.I)
# A line that ends Annex A: the next annex, or the end of a gov.uk page's content.
_END = re.compile(
    r"^\W*(annex\s+[b-z]\b|is this page useful|help us improve gov\.?uk|© crown copyright|"
    r"all content is available under the open government licence)",
    re.I,
)
_PAGE_LINE = re.compile(r"^(page\s+\d+(\s+of\s+\d+)?|\d+\s+of\s+\d+|-\s*\d+\s*-)$", re.I)
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_RULE = re.compile(r"^[|:\-=_+\s]{3,}$")
# Words of a column heading or an annex's title; a body's name has none of them.
_HEADING_WORDS = re.compile(
    r"\b(annex|local authorit(?:y|ies)|authorities|la|las|la number|la code|ons|gss|code|region|"
    r"regions|amount|amounts|allocation|allocations|funding|grant|payment|payable|paid|name|names|"
    r"recipient|determination|body|bodies|number)\b",
    re.I,
)
# Column words that never occur in a body's name: a row's name holding one has a heading merged in.
_COLUMN_WORDS = re.compile(
    r"\b(local authorit(?:y|ies)|amount|amounts|allocation|allocations|funding|grant|to be paid|"
    r"la name|la number|la code|recipient)\b",
    re.I,
)
_CONTINUED = re.compile(r"\bannex\b|\bcontinued\b", re.I)
_HEADING_LABELS = {"authority", "authority name", "council", "body", "payee", "recipient", "la", "name"}
# A financial year heading a column: "2024-25", "2024/25", "(2024 to 2025)".
_YEARISH = re.compile(r"^\(?\d{4}\s*(?:[-/–]|to)\s*\d{2,4}\)?")
_CELL_SEPARATOR = re.compile(r"\t|\s*\|\s*|\s{2,}")
_DFE_NUMBER = re.compile(r"\d{3}")
_ONS_CODE = re.compile(r"E\d{8}", re.I)
_NUMBERED_NAME = re.compile(r"^(\d{3})\s+(\D.*)$")  # "202 Camden"


@dataclass(frozen=True)
class AnnexRow:
    row: int
    text: str  # the body as the letter names it (several name cells joined by " – ")
    pence: int
    dfe_number: str = ""  # DfE's three-digit LA number, where the letter gives one
    ons_code: str = ""  # the ONS (GSS) code, where the letter gives one
    line: int = 0  # the line of the text it was read from (0: not known)


@dataclass(frozen=True)
class ClassifiedLine:
    line: int
    text: str
    kind: str
    row: int | None = None  # the Annex A row number, for a row
    pence: int | None = None  # the amount, for a row, subtotal or total


@dataclass(frozen=True)
class Adjustment:
    """A difference between Annex A's rows and its stated total that the maintainer records by name."""

    name: str
    pence: int  # stated total minus the sum of the rows, or a part of it; may be negative
    reason: str


@dataclass(frozen=True)
class AnnexTable:
    heading: str
    rows: tuple[AnnexRow, ...]
    stated_total_pence: int | None  # None where the letter states no total
    lines: tuple[ClassifiedLine, ...] = field(default=(), compare=False)
    adjustments: tuple[Adjustment, ...] = ()

    def classification(self) -> str:
        """Each line of Annex A with what it was read as, for ``new-determination --dry-run``."""
        width = max((len(str(line.line)) for line in self.lines), default=1)
        out = []
        for line in self.lines:
            what = line.kind
            if line.kind == ROW:
                what = f"row {line.row}"
            if line.pence is not None:
                what += f" {format_pounds(line.pence)}"
            out.append(f"line {line.line:>{width}}  {what:<34}  {line.text.rstrip()}".rstrip())
        counts = Counter(line.kind for line in self.lines)
        out.append(
            f"{len(self.lines)} lines: "
            + ", ".join(f"{counts[kind]} {kind}" for kind in (ROW, SUBTOTAL, TOTAL) if counts[kind])
            + "; "
            + ", ".join(
                f"{counts[kind]} {kind}"
                for kind in (ANNEX_HEADING, COLUMN_HEADING, PAGE, BLANK)
                if counts[kind]
            )
            + "."
        )
        rows_total = sum(row.pence for row in self.rows)
        out.append(
            f"The {len(self.rows)} rows add up to {format_pounds(rows_total)}"
            + (
                f"; the letter states {format_pounds(self.stated_total_pence)}."
                if self.stated_total_pence is not None
                else "; the letter states no total."
            )
        )
        out += [f"Named adjustment {a.name}: {_signed(a.pence)} ({a.reason})." for a in self.adjustments]
        return "\n".join(out)


def clean(text: str) -> str:
    """A cell without the Markdown or HTML emphasis a copied letter can carry."""
    return re.sub(r"</?b>", "", html.unescape(text)).replace("**", "").strip(" #*\t")


def _normalised(text: str) -> str:
    return " ".join(clean(text).split()).casefold()


def annex_lines(text: str, where: str, start_after: int = 0) -> tuple[list[tuple[int, str]], set[str]]:
    """The numbered lines of Annex A in ``text`` (from its heading to its end), and the letter's
    running page headers and footers (lines it repeats both before and inside Annex A).

    Annex A starts at the first line beginning "Annex A" after character ``start_after`` (the
    determination's heading), or the first anywhere; it ends at the next annex, the end of a
    gov.uk page's content, or the end of the text.
    """
    lines = text.split("\n")
    if lines and not lines[-1]:  # the newline ending the last line starts no line of its own
        lines.pop()
    offsets, at = [], 0
    for line in lines:
        offsets.append(at)
        at += len(line) + 1
    starts = [i for i, line in enumerate(lines) if re.match(r"^\W*annex\s+a\b", clean(line), re.I)]
    if not starts:
        raise RulesCannotAnswer(f"{where}: no 'Annex A' heading found.")
    first = next((i for i in starts if offsets[i] >= start_after), starts[0])
    end = next((i for i in range(first + 1, len(lines)) if _END.match(clean(lines[i]))), len(lines))
    annex = [(i + 1, lines[i]) for i in range(first, end)]
    before = Counter(_normalised(line) for line in lines[:first] if line.strip())
    inside = Counter(_normalised(line) for _, line in annex if line.strip())
    furniture = {line for line in inside if before[line] and not _cell_amount(line)}
    return annex, furniture


def _cell_amount(line: str) -> bool:
    cells = _cells(line)
    return len(cells) > 1 and bool(_AMOUNT_LIKE.match(cells[-1]))


def _cells(line: str) -> list[str]:
    text = clean(line.replace("\f", ""))
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|"):
        text = text[:-1]
    cells = [clean(cell) for cell in _CELL_SEPARATOR.split(text.strip())]
    # "£" in a column of its own, or apart from its figures: one cell.
    merged: list[str] = []
    for cell in cells:
        if merged and merged[-1] in ("£", "£ "):
            merged[-1] = f"£{cell}"
        else:
            merged.append(cell)
    # A row whose first cell is empty ("\tTotal: £735,001.00") keeps it, so that the label is empty.
    return merged


def _split_single_space(text: str) -> list[str] | None:
    """ "Camden £1,250,000" or "Camden 1,250,000.00": a name and an amount one space apart, where
    the amount is unmistakably money (a "£", thousands commas or pence)."""
    found = re.match(r"^(.*?\S)\s(£\s?[\d,]+(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2})$", text)
    return [found.group(1), found.group(2)] if found else None


def _pence(written: str, where: str, at: str) -> int:
    found = _AMOUNT.fullmatch(written.strip())
    if found is None:
        raise RulesCannotAnswer(
            f"{where}: Annex A {at}: {written[:60]!r} is not an amount as the letters write one.",
            hint="Write it as £233,200 or £1,637,997.91.",
        )
    return boundary.money_pence(found.group(1) or found.group(2), f"{where}: Annex A {at}")


def _name_parts(cells: list[str]) -> tuple[str, str, str]:
    """The body's name, DfE number and ONS code from a row's cells before its amount."""
    dfe_number = ons_code = ""
    names = []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        if _ONS_CODE.fullmatch(cell) and not ons_code:
            ons_code = cell.upper()
        elif _DFE_NUMBER.fullmatch(cell) and not dfe_number:
            dfe_number = cell
        elif index == 0 and re.fullmatch(r"\d{1,2}\.?", cell):
            continue  # a row number column
        else:
            numbered = _NUMBERED_NAME.match(cell) if not names else None
            if numbered and not dfe_number:
                dfe_number, cell = numbered.groups()
            names.append(cell)
    return " – ".join(names), dfe_number, ons_code


def classify(
    lines: list[tuple[int, str]],
    where: str = "the letter",
    furniture: frozenset[str] | set[str] = frozenset(),
    adjustments: tuple[Adjustment, ...] = (),
    first_is_heading: bool = True,
) -> AnnexTable:
    """Annex A from its numbered lines: every line classified, or the import refused by line.

    ``first_is_heading``: the first line is the "Annex A" heading (text layouts); a spreadsheet's
    first line is its first cell row.
    """
    classified: list[ClassifiedLine] = []
    rows: list[AnnexRow] = []
    headings: set[str] = set()
    heading = ""
    total: int | None = None
    since_subtotal = 0

    def refuse(number: int, text: str, why: str) -> RulesCannotAnswer:
        return RulesCannotAnswer(
            f"{where}, line {number}: {why}: {text.strip()[:100]!r}; nothing was written.",
            hint="Every line of Annex A is a row (a body and its amount), a column heading, a page "
            "header or footer, a blank, a subtotal or the total: see new-determination --dry-run.",
        )

    number, raw = 0, ""
    try:
        for position, (number, raw) in enumerate(lines):
            text = raw.replace("\f", "")
            stripped = clean(text)
            key = _normalised(text)

            def add(kind, row=None, pence=None, number=number, raw=raw):
                classified.append(ClassifiedLine(number, raw.replace("\f", ""), kind, row, pence))

            if not stripped:
                add(BLANK)
                continue
            if position == 0 and first_is_heading:
                add(ANNEX_HEADING)
                continue
            if _PAGE_LINE.match(stripped) or key in furniture or _lone_page_number(lines, position, stripped):
                add(PAGE)
                continue
            if _RULE.match(stripped):
                add(COLUMN_HEADING)
                continue
            cells = _cells(text)
            if len(cells) == 1:
                cells = _split_single_space(cells[0]) or cells
            amount_cell = cells[-1] if len(cells) > 1 else ""
            label_cells = cells[:-1]
            label = " ".join(cell for cell in label_cells if cell)
            is_total = bool(_TOTAL.match(label) or (not label and _TOTAL.match(amount_cell)))
            is_subtotal = bool(_SUBTOTAL.search(label) or (not label and _SUBTOTAL.search(amount_cell)))
            if len(cells) < 2 or not _AMOUNT_LIKE.match(_TOTAL.sub("", _SUBTOTAL.sub("", amount_cell))):
                # No amount on the line.
                if _TOTAL.match(stripped) or _SUBTOTAL.search(stripped):
                    raise refuse(number, text, "a total with no amount")
                # Before the first row, column names and an annex's title; after it, only the column
                # heading again as it was, or "Annex A (continued)" on a new page, so that a stray line
                # of a row is never taken for a heading.
                is_columns = key in headings or (
                    not rows and (_COLUMN_WORDS.search(stripped) or _heading_label(label or stripped))
                )
                is_title = _HEADING_WORDS.search(stripped) and (not rows or _CONTINUED.search(stripped))
                if is_columns or is_title:
                    add(COLUMN_HEADING if is_columns else ANNEX_HEADING)
                    if is_columns:
                        headings.add(key)
                        heading = heading or stripped
                    continue
                raise refuse(
                    number,
                    text,
                    "not a row (a body and its amount), a column heading, a page header or footer, a blank "
                    "or a total: a row with no amount, or one split over two lines",
                )
            at = (
                "its total line"
                if is_total
                else "a subtotal line"
                if is_subtotal
                else f"row {len(rows) + 1} ({label[:60]!r})"
            )
            written = amount_cell
            if is_total and not label:
                written = _TOTAL.sub("", amount_cell)
            elif is_subtotal and not label:
                written = _SUBTOTAL.sub("", amount_cell)
            try:
                pence = _pence(written, where, at)
            except RulesCannotAnswer:
                # A heading that happens to end in a figure ("Allocation 2013-14") before any row.
                named_columns = _COLUMN_WORDS.search(label) or _heading_label(label)
                if (
                    not rows
                    and not is_total
                    and named_columns
                    and (
                        "£" not in amount_cell
                        or not re.search(r"\d", amount_cell)
                        or _YEARISH.match(amount_cell)
                    )
                ):
                    add(COLUMN_HEADING)
                    headings.add(key)
                    heading = heading or stripped
                    continue
                raise
            if total is not None:
                raise RulesCannotAnswer(
                    f"{where}, line {number}: Annex A has a line after its stated total ({at}): "
                    f"{stripped[:100]!r}; a total comes last, once.",
                )
            if is_total:
                total = pence
                add(TOTAL, pence=pence)
                continue
            if is_subtotal:
                if pence != since_subtotal:
                    raise RulesCannotAnswer(
                        f"{where}, line {number}: the subtotal {format_pounds(pence)} is not the sum of "
                        f"the rows above it, {format_pounds(since_subtotal)}: {stripped[:100]!r}; "
                        "nothing was written."
                    )
                since_subtotal = 0
                add(SUBTOTAL, pence=pence)
                continue
            name, dfe_number, ons_code = _name_parts(label_cells)
            if _COLUMN_WORDS.search(name):
                raise refuse(number, text, "a column heading and a row on one line")
            if not name and not ons_code:
                raise refuse(number, text, f"Annex A row {len(rows) + 1} names no body")
            if pence == 0:
                raise RulesCannotAnswer(
                    f"{where}: Annex A {at} pays £0.00: a row of Annex A pays an amount (line {number})."
                )
            rows.append(AnnexRow(len(rows) + 1, name or ons_code, pence, dfe_number, ons_code, number))
            since_subtotal += pence
            add(ROW, row=len(rows), pence=pence)
    except RulesCannotAnswer as error:
        # For the dry run: the lines classified up to the one refused, and that line.
        error.classified = tuple(classified)
        error.refused_line = (number, raw.replace("\f", ""))
        raise
    if not rows:
        raise RulesCannotAnswer(
            f"{where}: Annex A has no rows (a body and its amount a line, the cells separated by a "
            "tab, a '|' or two spaces)."
        )
    rows_total = sum(row.pence for row in rows)
    if rows_total > boundary.MAX_PENCE:
        raise RulesCannotAnswer(
            f"{where}: Annex A's rows add up to more than the {boundary.MONEY_LIMIT_TEXT} "
            "this tool computes exactly."
        )
    table = AnnexTable(heading, tuple(rows), total, tuple(classified), tuple(adjustments))
    return table


def _heading_label(label: str) -> bool:
    """A column heading of one word a body's name is never alone: "Authority", "Council", "LA"."""
    return " ".join(label.split()).casefold() in _HEADING_LABELS


def _lone_page_number(lines: list[tuple[int, str]], position: int, stripped: str) -> bool:
    """A page number alone on its line, at a page's foot: followed by a page break, a blank line
    or the end."""
    if not _PAGE_NUMBER.fullmatch(stripped):
        return False
    if "\f" in lines[position][1]:
        return True
    following = lines[position + 1][1] if position + 1 < len(lines) else ""
    return not following.strip() or following.startswith("\f")


def check_total(table: AnnexTable, where: str) -> None:
    """Refuse unless the rows add up to the stated total, to the penny, or the maintainer's named
    adjustments carry exactly the difference; adjustments with no stated total are refused too."""
    rows_total = sum(row.pence for row in table.rows)
    adjusted = sum(a.pence for a in table.adjustments)
    if table.stated_total_pence is None:
        if table.adjustments:
            raise RulesCannotAnswer(
                f"{where}: --adjustment given, but Annex A states no total: there is no difference to record."
            )
        return
    difference = table.stated_total_pence - rows_total
    if difference == adjusted:
        return
    if not table.adjustments:
        raise RulesCannotAnswer(
            f"{where}: Annex A's rows add up to {format_pounds(rows_total)}, but it states a total of "
            f"{format_pounds(table.stated_total_pence)} (a difference of "
            f"{_signed(difference)}); nothing was written.",
            hint="If the letter means it, record the difference: --adjustment "
            '"NAME=£AMOUNT:reason" (see new-determination --dry-run).',
        )
    raise RulesCannotAnswer(
        f"{where}: the named adjustments add up to {_signed(adjusted)}, but Annex A's "
        f"stated total {format_pounds(table.stated_total_pence)} less its rows' "
        f"{format_pounds(rows_total)} is {_signed(difference)}; nothing was written."
    )


def _signed(pence: int) -> str:
    return ("+" if pence > 0 else "") + format_pounds(pence)


def sheet_lines(rows: list[list[str]]) -> list[tuple[int, str]]:
    """A spreadsheet's rows as numbered lines, cells joined by tabs (trailing empty cells dropped)."""
    out = []
    for number, cells in enumerate(rows, start=1):
        cells = [" ".join(str(cell).split()) for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        out.append((number, "\t".join(cells)))
    return out
