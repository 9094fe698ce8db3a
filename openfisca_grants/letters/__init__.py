"""Determination letters read in every layout DfE publishes, each giving the same ``Letter``.

* ``letter``: the ``Letter`` and the reading of its parts (number, year, title, legal basis,
  payment) from its text, whatever the layout;
* ``annex``: Annex A line by line, each line classified (row, column heading, page header or
  footer, blank, subtotal, total) or the import refused naming the line;
* ``text``: a letter as text: the layout of ``openfisca_grants/sources/``, a gov.uk page as
  copied from a browser, the text ``pdftotext -layout`` makes of a PDF, older (2010s) letters;
* ``html``: a gov.uk HTML publication saved from the browser (Annex A as an HTML table);
* ``pdf``: a PDF letter itself;
* ``spreadsheet``: Annex A in a spreadsheet beside the letter (.xlsx, .ods, .csv).

``read_letter_file`` picks the reader by the file's suffix and returns the letter with the
files to keep under ``sources/``: the original, verbatim, and the text read from it.
"""

from openfisca_grants.letters.annex import Adjustment, AnnexRow, AnnexTable, ClassifiedLine
from openfisca_grants.letters.letter import Letter, annex_a_table, read_letter
from openfisca_grants.letters.text import KeptFile, ReadLetter, read_letter_file

__all__ = [
    "Adjustment",
    "AnnexRow",
    "AnnexTable",
    "ClassifiedLine",
    "KeptFile",
    "Letter",
    "ReadLetter",
    "annex_a_table",
    "read_letter",
    "read_letter_file",
]
