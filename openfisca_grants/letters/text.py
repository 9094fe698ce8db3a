"""A letter as text, and the choice of reader by a letter's file: text, gov.uk HTML, PDF, spreadsheet.

Every text layout reads the same way: the layout of ``openfisca_grants/sources/``; a gov.uk
page's text as copied from a browser (paragraphs "1." or "1)", headings on their own lines,
Annex A tab-, pipe- or space-aligned); the text ``pdftotext -layout`` makes of a PDF (page
headers and footers, "Page n of m", column headings repeated on each page, columns aligned by
spaces); older letters ("No 31/NNNN", "(2013 - 2014)", "[2013-14]", DfE's LA numbers). They
differ only in how cells are separated and in their page furniture, which ``annex.classify``
tells apart line by line, so one reader serves them all.

``read_letter_file`` returns the ``Letter`` with the files to keep under ``sources/`` (the legal
record): the original file, verbatim, and, where the original is not text, the text read from it.
"""

from __future__ import annotations

import pathlib
from dataclasses import dataclass

from openfisca_grants import boundary
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.letters.annex import Adjustment, check_total, classify, sheet_lines
from openfisca_grants.letters.letter import Letter, read_letter
from openfisca_grants.money import format_pounds

TEXT_SUFFIXES = (".txt", ".text", ".md", "")
HTML_SUFFIXES = (".html", ".htm")
PDF_SUFFIXES = (".pdf",)
SHEET_SUFFIXES = (".xlsx", ".ods", ".csv")


@dataclass(frozen=True)
class KeptFile:
    """A file kept under ``sources/``: what it is, its suffix, and its content, verbatim."""

    role: str  # "letter", "letter text", "annex", "annex text"
    suffix: str
    content: str | bytes


@dataclass(frozen=True)
class ReadLetter:
    letter: Letter
    kept: tuple[KeptFile, ...]
    layout: str  # the reader that read it, for the maintainer


def read_letter_file(
    path,
    annex=None,
    sheet: str | None = None,
    adjustments: tuple[Adjustment, ...] = (),
    check: bool = True,
) -> ReadLetter:
    """The letter in ``path`` (text, .html or .pdf), with Annex A from the spreadsheet ``annex``
    (.xlsx, .ods, .csv; ``sheet`` names its sheet) where given.

    ``check``: refuse unless the rows add up to the stated total or the named ``adjustments``
    carry the difference (a dry run shows the classification first, then refuses).
    """
    path = pathlib.Path(path)
    where = str(path)
    suffix = path.suffix.lower()
    kept: list[KeptFile] = []
    if suffix in HTML_SUFFIXES:
        from openfisca_grants.letters.html import html_text

        original = boundary.read_bytes(path, "determination letter (a gov.uk page saved as HTML)")
        text = html_text(boundary.decode_utf8(original, where))
        kept += [KeptFile("letter", suffix, original), KeptFile("letter text", ".txt", text)]
        layout = "gov.uk HTML page"
    elif suffix in PDF_SUFFIXES:
        from openfisca_grants.letters.pdf import pdf_text

        original = boundary.read_bytes(path, "determination letter (PDF)")
        text = pdf_text(original, where)
        kept += [KeptFile("letter", suffix, original), KeptFile("letter text", ".txt", text)]
        layout = "PDF"
    elif suffix in TEXT_SUFFIXES:
        text = boundary.read_text(path, "determination letter")
        kept.append(KeptFile("letter text", ".txt", text))
        layout = "text"
    else:
        raise RulesCannotAnswer(
            f"{where}: a letter is read from text (.txt), a gov.uk page saved as HTML (.html) or a PDF "
            f"(.pdf), not {suffix!r}.",
            hint="For Annex A in a spreadsheet, give the letter and --annex FILE.",
        )
    table = None
    if sheet is not None and annex is None:
        raise RulesCannotAnswer(
            "--sheet names a sheet of the spreadsheet given by --annex: give --annex FILE."
        )
    if annex is not None:
        from openfisca_grants.letters.spreadsheet import sheet_rows

        annex = pathlib.Path(annex)
        annex_suffix = annex.suffix.lower()
        if annex_suffix not in SHEET_SUFFIXES:
            raise RulesCannotAnswer(
                f"--annex {annex}: Annex A is read from a spreadsheet (.xlsx, .ods or .csv), "
                f"not {annex_suffix!r}."
            )
        original_annex = boundary.read_bytes(annex, "Annex A spreadsheet")
        rows = sheet_rows(original_annex, annex_suffix, sheet, str(annex))
        lines = sheet_lines(rows)
        table = classify(lines, str(annex), adjustments=adjustments, first_is_heading=False)
        annex_text = "".join(line + "\n" for _, line in lines)
        kept += [KeptFile("annex", annex_suffix, original_annex), KeptFile("annex text", ".txt", annex_text)]
        layout += f" with Annex A in a spreadsheet ({annex_suffix})"
    if table is not None:
        _same_as_the_letters_own(table, text, where, str(annex))
    letter = read_letter(text, where, annex=table, adjustments=adjustments)
    if check:
        check_total(letter.annex_a, str(annex) if annex is not None else where)
    return ReadLetter(letter, tuple(kept), layout)


def _same_as_the_letters_own(table, text: str, where: str, annex: str) -> None:
    """Where the letter prints Annex A too, the spreadsheet must say the same, row for row: two
    Annex As that disagree are never resolved by picking one."""
    from openfisca_grants.letters.letter import annex_a_table

    try:
        own = annex_a_table(text, where)
    except RulesCannotAnswer:
        return  # the letter leaves Annex A to the spreadsheet
    ours = [(row.text, row.pence) for row in own.rows]
    theirs = [(row.text, row.pence) for row in table.rows]
    if ours != theirs or own.stated_total_pence != table.stated_total_pence:
        at = next((i for i, pair in enumerate(zip(ours, theirs, strict=False)) if pair[0] != pair[1]), None)
        said = (
            f"row {at + 1}: {ours[at][0]!r} {format_pounds(ours[at][1])} in the letter, {theirs[at][0]!r} "
            f"{format_pounds(theirs[at][1])} in the spreadsheet"
            if at is not None
            else f"{len(ours)} rows in the letter, {len(theirs)} in the spreadsheet"
            if len(ours) != len(theirs)
            else "their stated totals differ"
        )
        raise RulesCannotAnswer(
            f"{where} prints an Annex A that is not the one in {annex} ({said}); nothing was written.",
            hint="Give the letter alone, or the spreadsheet that goes with it.",
        )


def annex_text_table(text: str, where: str):
    """Annex A from the kept text of a spreadsheet (one row a line, cells tab-separated)."""
    lines = [(number, line) for number, line in enumerate(text.split("\n"), start=1)]
    while lines and not lines[-1][1].strip():
        lines.pop()
    return classify(lines, where, first_is_heading=False)
