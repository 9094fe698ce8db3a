"""Determination letters generated in every layout DfE publishes, for tests (and other helpers').

``spec(random, layout, ...)`` draws a letter: a number, a financial year, authorities that existed
on its 1 April (with the names councils write: "&", "City of", "Council of the Isles of Scilly";
or DfE's three-digit LA numbers, or ONS codes), amounts with or without pence, a stated total or
none, page breaks inside Annex A. ``render(spec)`` writes it in its layout, as files:

* ``sources``: the layout of ``openfisca_grants/sources/`` (paragraphs "1)", Annex A by tabs);
* ``browser_text``: a gov.uk page as copied from a browser ("1." or "1)", Annex A by tabs,
  pipes or spaces);
* ``html``: the gov.uk page saved as HTML (Annex A an HTML table);
* ``pdf_text``: what ``pdftotext -layout`` makes of a PDF (page headers and footers, "Page n of
  m", column headings repeated on each page, columns aligned by spaces, "£" in the heading or on
  each amount);
* ``pdf``: the PDF itself (reportlab);
* ``older``: a 2010s letter ("(2013 - 2014)" or "[2013-14]", paragraphs "1." or "1)", DfE
  numbers or ONS codes beside the names);
* ``xlsx``, ``ods``, ``csv``: the letter's text, with Annex A in a spreadsheet beside it.

``damage`` breaks Annex A as real letters have been broken: a row merged into the column
heading, a row with no amount, a row split over two lines, a total that does not add up.
``payee`` is the hook for other kinds of payee (combined authorities): a function from the
year's 1 April to the bodies that may be paid, each ``(name as written, GSS code)``.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import pathlib
import random
import zipfile
from dataclasses import dataclass, field, replace

from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.register import register

LAYOUTS = ("sources", "browser_text", "html", "pdf_text", "pdf", "older", "xlsx", "ods", "csv")
DAMAGES = ("merged_heading", "missing_amount", "split_row", "bad_total")
# Authorities whose names councils write in ways of their own; included whenever they existed.
SPECIAL_NAMES = {
    "E06000020": "Telford & Wrekin Council",
    "E06000053": "Council of the Isles of Scilly",
    "E09000001": "City of London Corporation",
    "E09000033": "City of Westminster",
    "E06000010": "Kingston upon Hull City Council",
}
_WORDS = ["Family", "Practice", "Kinship", "Youth", "Hubs", "Care", "Pathways", "Support", "Leaving", "Safe"]


@dataclass(frozen=True)
class Row:
    written: str  # the body as the letter names it
    code: str  # the GSS code it means
    pence: int
    dfe_number: str = ""
    ons_code: str = ""


@dataclass(frozen=True)
class Spec:
    layout: str
    number: str
    year: str  # "2019-20"
    title: str
    rows: tuple[Row, ...]
    stated_total: bool
    pence: bool  # amounts written with pence
    pound: str  # "amount": "£" on each amount; "heading": in the column heading only
    separator: str  # "tab", "pipe" or "spaces" (text layouts)
    paragraph: str  # ")" or "."
    year_style: str  # "[2019-20]", "[2019/2020]", "(2019 - 2020)"
    naming: str  # "name", "dfe" ("202 Camden"), "dfe_column", "ons"
    rows_per_page: int
    damage: str | None = None
    damaged_row: int = 0  # index of the row damaged
    extra: dict = field(default_factory=dict)

    @property
    def total_pence(self) -> int:
        return sum(row.pence for row in self.rows)

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.parse(self.year)


def _written_name(body, rng: random.Random) -> str:
    if body.code in SPECIAL_NAMES:
        return SPECIAL_NAMES[body.code]
    name = body.name
    style = rng.random()
    if style < 0.4 or "," in name:
        return name
    if body.code.startswith("E09"):
        return f"London Borough of {name}"
    if body.code.startswith("E10"):
        return f"{name} County Council"
    if body.code.startswith("E08"):
        return f"{name} Metropolitan Borough Council" if style < 0.7 else f"{name} Council"
    return f"{name} Council"


def authorities(year: str, count: int, rng: random.Random, payee=None) -> list[tuple[str, str, str]]:
    """``count`` bodies paid in ``year``: (name as written, GSS code, DfE number), the special names first."""
    on = FinancialYear.parse(year).start
    if payee is not None:
        return [(name, code, "") for name, code in payee(on)][:count]
    bodies = register().authorities_on(on)
    special = [b for b in bodies if b.code in SPECIAL_NAMES]
    others = [b for b in bodies if b.code not in SPECIAL_NAMES]
    rng.shuffle(special)
    rng.shuffle(others)
    chosen = (special[: max(1, count // 3)] + others)[:count]
    rng.shuffle(chosen)
    out = []
    for body in chosen:
        name = _written_name(body, rng)
        if register().resolve(name, on).code != body.code:  # a written form the register reads otherwise
            name = body.name
        out.append((name, body.code, body.dfe_number))
    return out


def with_combined_authorities(rng: random.Random, councils: int = 6):
    """A ``payee`` hook: ``councils`` authorities of the year and every other body a letter of the
    year could pay (the combined authorities, one established during the year among them in
    2024-25, and the Greater London Authority), in a random order, by their own names."""

    def payee(on: datetime.date) -> list[tuple[str, str]]:
        bodies = register().payees_in_year(on)
        chosen = rng.sample([b for b in bodies if b.has_childrens_services], councils)
        # One body of each name: two combined authorities of one name in a year (the North East
        # Combined Authority before and after November 2018) are told apart only by code.
        others = {b.name: b for b in reversed(bodies) if not b.has_childrens_services}
        chosen += others.values()
        rng.shuffle(chosen)
        return [(body.name, body.code) for body in chosen]

    return payee


def spec(
    rng: random.Random,
    layout: str,
    year: str | None = None,
    rows: int | None = None,
    number: str | None = None,
    damage: str | None = None,
    payee=None,
    **overrides,
) -> Spec:
    """A letter drawn from ``rng`` in ``layout``."""
    start = rng.randrange(2010, 2025) if year is None else FinancialYear.parse(year).start_year
    if layout == "older" and year is None:
        start = rng.randrange(2010, 2020)
    year = f"{start}-{(start + 1) % 100:02d}"
    count = rows if rows is not None else rng.randrange(1, 41)
    pence = rng.random() < 0.5
    # DfE numbers and ONS codes beside the names in any layout but the sources' own.
    naming = rng.choice(["name", "dfe", "dfe_column", "ons"]) if layout != "sources" else "name"
    bodies = authorities(year, count, rng, payee)
    first_big = rng.random() < 0.3  # the reported row: £1,250,000 first
    made = []
    for index, (name, code, dfe) in enumerate(bodies):
        amount = 125_000_000 if index == 0 and first_big else rng.randrange(1_000, 5_000_000) * 100
        if pence:
            amount += rng.randrange(100)
        made.append(
            Row(
                name if naming != "ons" else name,
                code,
                amount,
                dfe if naming.startswith("dfe") else "",
                code if naming == "ons" else "",
            )  # fmt: skip
        )
    year_style = rng.choice(["[{a}-{b}]", "[{a}/{c}]"] if layout != "older" else ["({a} - {c})", "[{a}-{b}]"])
    values = dict(
        layout=layout,
        number=number or f"31/{rng.randrange(1000, 9999)}",
        year=year,
        title=" ".join(rng.sample(_WORDS, 2)) + " Grant",
        rows=tuple(made),
        stated_total=rng.random() < 0.6,
        pence=pence,
        pound=rng.choice(["amount", "heading"]),
        separator=rng.choice(["tab", "pipe", "spaces"]) if layout == "browser_text" else "tab",
        paragraph=rng.choice([")", "."]) if layout in ("browser_text", "older", "html") else ")",
        year_style=year_style.format(a=start, b=f"{(start + 1) % 100:02d}", c=start + 1),
        naming=naming,
        rows_per_page=rng.randrange(8, 30),
        damage=damage,
        damaged_row=rng.randrange(len(made)) if made else 0,
    )
    values.update(overrides)
    if damage == "bad_total":
        values["stated_total"] = True
    return Spec(**values)


# ---- the letter's words ------------------------------------------------------------------------


def _money(spec: Spec, pence: int, pound: bool | None = None) -> str:
    pound = spec.pound == "amount" if pound is None else pound
    whole, part = divmod(pence, 100)
    text = f"{whole:,}.{part:02d}" if spec.pence or part else f"{whole:,}"
    return f"£{text}" if pound else text


def _blocks(spec: Spec) -> list[tuple]:
    """The letter before Annex A: ("line", text), ("heading", text) or ("para", n, text)."""
    year = spec.financial_year
    older = spec.layout == "older"
    heading = (
        f"LOCAL AUTHORITY {spec.title.upper()} DETERMINATION {spec.year_style}: No {spec.number}"
        if older
        else f"{spec.title} GRANT DETERMINATION {spec.year_style}: No {spec.number}"
    )
    date = datetime.date(year.start_year + 1, 3, 3 + len(spec.rows) % 20)
    return [
        ("line", "Department for Education"),
        ("line", f"{date.day} {date:%B %Y}"),
        ("line", "Dear Chief Executive,"),
        ("line", f"Re: {spec.title} for {year.label}"),
        ("line", "This letter sets out the amounts of grant to be paid to each authority."),
        ("heading", heading),
        (
            "line",
            "The Secretary of State for Education (“the Secretary of State”), in exercise of the powers "
            "conferred by section 31 of the Local Government Act 2003, makes the following determination:",
        ),
        ("heading", "Citation"),
        (
            "para",
            1,
            f"This determination may be cited as the {spec.title} Determination {spec.year_style} "
            f"[No {spec.number}].",
        ),  # fmt: skip
        ("heading", "Purpose of the grant"),
        (
            "para",
            2,
            "The purpose of the grant is to provide support to local authorities in England towards "
            "expenditure lawfully incurred or to be incurred by them.",
        ),  # fmt: skip
        ("heading", "Determination"),
        (
            "para",
            3,
            "The Secretary of State determines the authorities to which grant is to be paid and the "
            "amount of grant to be paid; these are set out in Annex A.",
        ),  # fmt: skip
        ("heading", "Payment arrangements"),
        ("para", 4, f"The grant will be paid in one instalment in March {year.start_year + 1}."),
        ("heading", "Treasury consent"),
        (
            "para",
            5,
            "Before making this determination in relation to local authorities in England, the "
            "Secretary of State obtained the consent of the Treasury.",
        ),  # fmt: skip
        ("line", "Signed by authority of the Secretary of State for Education"),
        ("line", "A. Person"),
        ("line", "Director"),
    ]


def _columns(spec: Spec) -> list[str]:
    amount = "Amount of grant (£)" if spec.pound == "heading" else "Amount of grant"
    if spec.naming == "dfe_column":
        return ["LA number", "Local authority", amount]
    if spec.naming == "ons":
        return ["ONS code", "Local authority", amount]
    return ["Local authority", amount]


def _cells(spec: Spec, row: Row) -> list[str]:
    amount = _money(spec, row.pence)
    if spec.naming == "dfe_column":
        return [row.dfe_number, row.written, amount]
    if spec.naming == "dfe":
        return [f"{row.dfe_number} {row.written}", amount]
    if spec.naming == "ons":
        return [row.ons_code, row.written, amount]
    return [row.written, amount]


def table(spec: Spec) -> tuple[list[str], list[list[str]], list[str] | None]:
    """Annex A as cells: the column heading, the rows (damaged as the spec says), the total line."""
    heading = _columns(spec)
    rows = [_cells(spec, row) for row in spec.rows]
    total = spec.total_pence + (1 if spec.damage == "bad_total" else 0)
    width = len(heading)
    total_cells = (["Total"] + [""] * (width - 2) + [_money(spec, total)]) if spec.stated_total else None
    at = spec.damaged_row
    if spec.damage == "merged_heading":
        heading = heading + rows.pop(0)
    elif spec.damage == "missing_amount":
        rows[at] = rows[at][:-1] + [""]
    elif spec.damage == "split_row":
        words = rows[at][-2].split()
        cut = max(1, len(words) // 2)
        first = rows[at][:-2] + [" ".join(words[:cut]) if len(words) > 1 else words[0][:2], ""]
        second = [""] * (width - 2) + [" ".join(words[cut:]) or words[0][2:], rows[at][-1]]
        rows[at : at + 1] = [first, second]
    return heading, rows, total_cells


def damaged_fragment(spec: Spec) -> str:
    """Text the refused line holds, for a test to check the refusal names the right line."""
    if spec.damage == "merged_heading":
        return "Local authority"
    if spec.damage in ("missing_amount", "split_row"):
        heading, rows, _ = table(spec)
        name = rows[spec.damaged_row][-2]
        return name.split()[0] if name.split() else name
    return ""


# ---- layouts -----------------------------------------------------------------------------------


def _para(spec: Spec, number: int, text: str) -> str:
    return f"{number}{spec.paragraph} {text}"


def _text_letter(spec: Spec, annex: bool = True) -> str:
    out = []
    for block in _blocks(spec):
        out += [_para(spec, block[1], block[2]) if block[0] == "para" else block[1], ""]
    out += ["Annex A", ""]
    if not annex:
        out += ["The amount of grant to be paid to each authority is in the spreadsheet published with this "
                "letter."]  # fmt: skip
        return "\n".join(out) + "\n"
    heading, rows, total = table(spec)
    lines = [heading, *rows] + ([total] if total else [])
    if spec.separator == "tab":
        out += ["\t".join(cells) for cells in lines]
    elif spec.separator == "pipe":
        out.append("| " + " | ".join(heading) + " |")
        out.append("|" + "|".join("---" for _ in heading) + "|")
        out += ["| " + " | ".join(cells) + " |" for cells in lines[1:]]
    else:
        widths = [
            max(len(cells[i]) if i < len(cells) else 0 for cells in lines) + 3 for i in range(len(heading))
        ]
        out += ["".join(c.ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip() for cells in lines]
    return "\n".join(out) + "\n"


def _pages(spec: Spec) -> list[list[tuple]]:
    """The letter as pages of lines: ("text", str) or ("cells", [str, ...]), for PDF text and PDFs."""
    prose = []
    for block in _blocks(spec):
        text = _para(spec, block[1], block[2]) if block[0] == "para" else block[1]
        words, line = text.split(), ""
        for word in words:  # wrapped at 80 characters, as a page would
            if len(line) + len(word) + 1 > 80:
                prose.append(("text", line))
                line = word
            else:
                line = f"{line} {word}".strip()
        prose += [("text", line), ("text", "")]
    pages = [prose[i : i + 40] for i in range(0, len(prose), 40)]
    heading, rows, total = table(spec)
    annex = [
        ("text", f"Annex A – {spec.title} Determination {spec.year_style}: No {spec.number}"),
        ("text", ""),
    ]
    page = annex + [("cells", heading)]
    lines = rows + ([total] if total else [])
    for index, cells in enumerate(lines):
        if index and index % spec.rows_per_page == 0:
            pages.append(page)
            page = [("cells", heading)]  # the column heading again on each page
        page.append(("cells", cells))
    pages.append(page)
    return pages


def _running_header(spec: Spec) -> str:
    return f"{spec.title} Determination {spec.year_style} No {spec.number}"


def pdf_text(spec: Spec) -> str:
    """The text ``pdftotext -layout`` makes of the letter's PDF: pages separated by form feeds."""
    pages = _pages(spec)
    out = []
    for number, page in enumerate(pages, start=1):
        lines = [f"{'':>20}{_running_header(spec)}", ""]
        for kind, value in page:
            if kind == "text":
                lines.append(f"    {value}" if value else "")
            else:
                name = "   ".join(cell for cell in value[:-1] if cell) if len(value) > 1 else ""
                lines.append(f"    {name:<64}{value[-1]:>18}".rstrip())
        lines += ["", f"{'':>36}Page {number} of {len(pages)}", ""]
        out.append("\n".join(lines))
    return "\f".join(out)


def pdf_bytes(spec: Spec) -> bytes:
    """The letter as a PDF (reportlab), laid out as ``pdf_text`` describes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = "Helvetica"  # its encoding (WinAnsi) has "£", "–" and "“"; no font file needed
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pages = _pages(spec)
    for number, page in enumerate(pages, start=1):
        pdf.setFont(font, 8)
        pdf.drawCentredString(297, 810, _running_header(spec))
        y = 780
        pdf.setFont(font, 9)
        for kind, value in page:
            if kind == "text":
                pdf.drawString(56, y, value)
            else:
                x = 56
                for cell in value[:-1]:
                    if cell:
                        pdf.drawString(x, y, cell)
                        x += pdf.stringWidth(cell, font, 9) + 24
                pdf.drawRightString(540, y, value[-1])
            y -= 16 if kind == "cells" else 13
        pdf.setFont(font, 8)
        pdf.drawCentredString(297, 30, f"Page {number} of {len(pages)}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def html_page(spec: Spec) -> str:
    """The gov.uk page saved from the browser: site header and footer, the letter, Annex A a table."""
    body = []
    in_list = False
    for block in _blocks(spec):
        if block[0] == "para":
            if spec.paragraph == "." and not in_list:
                body.append(f'<ol class="govspeak-numbered" start="{block[1]}">')
                in_list = True
            if spec.paragraph == ".":
                body.append(f"<li>{html.escape(block[2])}</li>")
            else:
                body.append(f"<p>{block[1]}) {html.escape(block[2])}</p>")
            continue
        if in_list:
            body.append("</ol>")
            in_list = False
        tag = "h2" if block[0] == "heading" else "p"
        body.append(f"<{tag}>{html.escape(block[1])}</{tag}>")
    if in_list:
        body.append("</ol>")
    heading, rows, total = table(spec)
    body.append('<h2 id="annex-a">Annex A</h2>')
    body.append(
        "<table><thead><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in heading) + "</tr></thead>"
    )
    body.append("<tbody>")
    for cells in rows + ([total] if total else []):
        body.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    body.append("</tbody></table>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(spec.title)} - GOV.UK</title><script>var x = '<p>1) not a paragraph</p>';</script>"
        "</head><body><header><a href='/'>GOV.UK</a><nav><ul><li>Topics</li><li>Government activity</li>"
        "</ul></nav></header><main id='content'><div class='govspeak'>\n"
        + "\n".join(body)
        + "\n</div></main><footer><p>Is this page useful?</p><p>All content is available under the Open "
        "Government Licence v3.0</p><p>© Crown copyright</p></footer></body></html>\n"
    )


def sheet(spec: Spec) -> list[list]:
    """Annex A as a sheet's rows: amounts as numbers where the letter has no "£" on them."""
    heading, rows, total = table(spec)
    out: list[list] = [
        [f"Annex A: {spec.title} Determination {spec.year_style} No {spec.number}"],
        [],
        heading,
    ]
    for cells in rows + ([total] if total else []):
        last = cells[-1]
        if last and not last.startswith("£"):
            last = float(last.replace(",", "")) if "." in last else int(last.replace(",", ""))
        out.append([*cells[:-1], last])
    return out


def ods_bytes(rows: list[list]) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice reads and writes) of ``rows``."""
    cells_xml = []
    for cells in rows:
        out = []
        for cell in cells:
            if isinstance(cell, (int, float)):
                out.append(f'<table:table-cell office:value-type="float" office:value="{cell}"><text:p>{cell}'
                           "</text:p></table:table-cell>")  # fmt: skip
            elif cell == "":
                out.append("<table:table-cell/>")
            else:
                out.append(f'<table:table-cell office:value-type="string"><text:p>{html.escape(str(cell))}'
                           "</text:p></table:table-cell>")  # fmt: skip
        cells_xml.append("<table:table-row>" + "".join(out) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Annex A">'
        + "".join(cells_xml)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list], sheet_name: str = "Annex A") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Published with the determination letter."
    annex = book.create_sheet(sheet_name)
    for cells in rows:
        annex.append([cell if cell != "" else None for cell in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(spec: Spec) -> dict[str, str | bytes]:
    """The letter's files in its layout: {"letter.<suffix>": ..., "annex.<suffix>": ...}."""
    layout = spec.layout
    if layout in ("sources", "browser_text", "older"):
        return {"letter.txt": _text_letter(spec)}
    if layout == "html":
        return {"letter.html": html_page(spec)}
    if layout == "pdf_text":
        return {"letter.txt": pdf_text(spec)}
    if layout == "pdf":
        return {"letter.pdf": pdf_bytes(spec)}
    letter = _text_letter(replace(spec, separator="tab"), annex=False)
    rows = sheet(spec)
    if layout == "xlsx":
        return {"letter.txt": letter, "annex.xlsx": xlsx_bytes(rows)}
    if layout == "ods":
        return {"letter.txt": letter, "annex.ods": ods_bytes(rows)}
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return {"letter.txt": letter, "annex.csv": buffer.getvalue()}


def write(spec: Spec, folder: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path | None, list[str]]:
    """The letter's files written in ``folder``: the letter, Annex A's spreadsheet (or None), and
    the command-line arguments that import them (``--annex FILE --sheet NAME`` where needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    letter = annex = None
    for name, content in render(spec).items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        if name.startswith("letter"):
            letter = path
        else:
            annex = path
    argv = [str(letter)]
    if annex is not None:
        argv += ["--annex", str(annex)]
        if annex.suffix == ".xlsx":
            argv += ["--sheet", "Annex A"]
    return letter, annex, argv
