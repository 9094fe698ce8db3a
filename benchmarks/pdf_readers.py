"""Which PDF library reads DfE's PDF letters: candidates measured on generated letters.

Each candidate turns generated PDFs (tests/letter_factory.py: Annex A across page breaks, the
column heading repeated on each page, running headers and "Page n of m" footers, "£" in the
heading or on each amount, 5 to 150 rows) into text, which the package's own reader then reads.
A candidate scores a letter only if every row and the stated total come back to the penny.

    .venv/bin/python benchmarks/pdf_readers.py [LETTERS]     # default 30

Needs the dev install (reportlab makes the PDFs) and the candidates:
``pip install pdfplumber pypdfium2`` (pypdf is a dependency of the package).
"""

from __future__ import annotations

import io
import pathlib
import random
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))

import letter_factory as factory  # noqa: E402

from openfisca_grants.errors import RulesCannotAnswer  # noqa: E402
from openfisca_grants.letters.letter import read_letter  # noqa: E402


def pypdf_layout(data: bytes) -> str:
    import pypdf

    return "\f".join(
        p.extract_text(extraction_mode="layout") for p in pypdf.PdfReader(io.BytesIO(data)).pages
    )


def pypdf_plain(data: bytes) -> str:
    import pypdf

    return "\f".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def pdfplumber_layout(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\f".join(page.extract_text(layout=True) or "" for page in pdf.pages)


def pdfplumber_plain(data: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\f".join(page.extract_text() or "" for page in pdf.pages)


def pypdfium2_text(data: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return "\f".join(page.get_textpage().get_text_range() for page in document).replace("\r\n", "\n")
    finally:
        document.close()


CANDIDATES = {
    "pypdf (layout mode)": pypdf_layout,
    "pypdf (plain)": pypdf_plain,
    "pdfplumber (layout)": pdfplumber_layout,
    "pdfplumber (plain)": pdfplumber_plain,
    "pypdfium2": pypdfium2_text,
}


def main(count: int = 30) -> None:
    rng = random.Random(1)
    specs = [factory.spec(rng, "pdf", rows=rng.randrange(5, 150)) for _ in range(count)]
    pdfs = [(spec, factory.pdf_bytes(spec)) for spec in specs]
    pages = sum(len(factory._pages(spec)) for spec in specs)
    print(f"{count} generated PDF letters, {pages} pages, {sum(len(s.rows) for s in specs)} Annex A rows")
    for name, extract in CANDIDATES.items():
        try:
            extract(pdfs[0][1])
        except ImportError:
            print(f"{name:22} not installed")
            continue
        started = time.perf_counter()
        texts = [extract(data) for _, data in pdfs]
        elapsed = time.perf_counter() - started
        exact = 0
        for (spec, _), text in zip(pdfs, texts, strict=True):
            try:
                annex = read_letter(text).annex_a
            except RulesCannotAnswer:
                continue
            total = spec.total_pence if spec.stated_total else None
            exact += [r.pence for r in annex.rows] == [r.pence for r in spec.rows] and (
                annex.stated_total_pence == total
            )
        print(f"{name:22} {elapsed / pages * 1000:6.1f} ms a page   letters read exactly: {exact}/{count}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
