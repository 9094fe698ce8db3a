"""A PDF letter read as text, its columns kept apart by spaces as on the page (pypdf, layout mode).

pypdf was chosen by measuring candidates on 30 generated letters, 195 pages, 2,177 Annex A rows
(``benchmarks/pdf_readers.py``: tables across page breaks, headings repeated, "£" in the heading
or on each amount). Letters read exactly, and time a page, on this 2-core machine under load:
pypdf's layout mode 30/30, 10 ms; pypdf's plain text 0/30 (it runs the columns together);
pdfplumber 30/30, 62 ms; pypdfium2 30/30, 1.4 ms. pypdfium2 is faster, but its text separates
columns by one space, so the name and an amount written without "£", commas or pence could not
be told apart; pdfplumber brings pdfminer.six (6.6 MB) and pypdfium2 (4.0 MB). pypdf is pure
Python with no dependencies of its own (0.4 MB), keeps the columns apart as on the page, and
reads a 150-row Annex A (about five pages) in some 50 ms. Pages are separated by form
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
