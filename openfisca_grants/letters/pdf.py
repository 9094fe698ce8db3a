"""A PDF letter read as text, its columns kept apart by spaces as on the page (pypdf, layout mode).

pypdf was chosen by measuring candidates on generated letters (benchmarks/pdf_readers.py: tables
across page breaks, headings repeated, "£" in the heading or on each amount): pypdf's layout
mode, pdfplumber's layout text and pypdfium2 each read every generated letter exactly, and
pypdf's plain text did not (columns run together). pypdf is pure Python with no dependencies of
its own (0.4 MB), against pdfplumber's pdfminer.six, pypdfium2 and Pillow (11 MB), and is about
four times as fast as pdfplumber; pypdfium2 is faster still but loses the spacing between
columns, which the reader relies on where amounts carry no "£". Pages are separated by form
feeds, as ``pdftotext`` separates them, so the text reads as that layout does.
"""

from __future__ import annotations

import io
import logging

from openfisca_grants.errors import RulesCannotAnswer


def pdf_text(data: bytes, where: str) -> str:
    """The text of each page of the PDF ``data``, laid out as on the page, pages separated by "\\f"."""
    import pypdf

    if not data.startswith(b"%PDF-"):
        raise RulesCannotAnswer(f"{where}: not a PDF (it does not start with '%PDF-').")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are not errors
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise RulesCannotAnswer(f"{where}: the PDF is encrypted: save it without a password first.")
        pages = [page.extract_text(extraction_mode="layout") or "" for page in reader.pages]
    except RulesCannotAnswer:
        raise
    except Exception as error:  # a damaged PDF: say so, never a traceback
        raise RulesCannotAnswer(
            f"{where}: the PDF cannot be read ({type(error).__name__}: {str(error)[:120]})."
        ) from None
    if not any(page.strip() for page in pages):
        raise RulesCannotAnswer(
            f"{where}: the PDF has no text (a scan?): this tool reads a PDF's text, not its pictures.",
            hint="Ask DfE for the letter as published on gov.uk (HTML) or its accessible PDF.",
        )
    return "\f".join(page.rstrip() + "\n" for page in pages)
