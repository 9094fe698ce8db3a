"""Annex A as published: each determination's rows read from the letter's own text.

The letters in ``openfisca_grants/sources/`` are quoted verbatim, so the figures called
"published" here are the letter's, not a transcription of them. Amounts are exact pence. A
letter that came as HTML or PDF is read from the text read from it (kept beside the original);
an Annex A that came in a spreadsheet, from the text of that sheet (``annex_a_file``). Each is
read by the same classifier as at import (``letters.annex``), so every line is accounted for.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from openfisca_grants.determinations import Determination
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.letters import AnnexRow, annex_a_table
from openfisca_grants.letters.text import annex_text_table


@dataclass(frozen=True)
class AnnexA:
    determination: Determination
    heading: str
    rows: tuple[AnnexRow, ...]
    stated_total_pence: int | None  # None where the letter states no total


def letter_text(determination: Determination, name: str | None = None) -> str:
    """The text of a determination's letter in ``sources/`` (or of another file kept there)."""
    name = name or determination.letter.file
    if name is None:
        raise RulesCannotAnswer(
            f"Determination {determination.label} has no letter, so no Annex A.",
            hint="A draft's figures are the rules' own; reconcile shows them without published ones.",
        )
    return resources.files("openfisca_grants").joinpath("sources", name).read_text(encoding="utf-8")


def annex_a(determination: Determination) -> AnnexA:
    """The Annex A table of a determination's letter: the lines after its 'Annex A' heading."""
    annex_file = determination.metadata.get("annex_a_file")
    if annex_file:
        table = annex_text_table(letter_text(determination, annex_file), f"Annex A of {determination.label}")
    else:
        table = annex_a_table(letter_text(determination), f"the letter of {determination.label}")
    return AnnexA(determination, table.heading, table.rows, table.stated_total_pence)
