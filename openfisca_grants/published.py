"""Annex A as published: each determination's rows read from the letter's own text.

The letters in ``openfisca_grants/sources/`` are quoted verbatim, so the figures called
"published" here are the letter's, not a transcription of them. Amounts are exact pence.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib import resources

from openfisca_grants.determinations import Determination
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import to_pence

_AMOUNT = re.compile(r"£[\d,]+(?:\.\d{2})?")


@dataclass(frozen=True)
class AnnexRow:
    row: int
    text: str  # the row's first column, as the letter prints it
    pence: int


@dataclass(frozen=True)
class AnnexA:
    determination: Determination
    heading: str
    rows: tuple[AnnexRow, ...]
    stated_total_pence: int | None  # None where the letter states no total


def letter_text(determination: Determination) -> str:
    name = determination.letter.file
    if name is None:
        raise RulesCannotAnswer(
            f"Determination {determination.label} has no letter, so no Annex A.",
            hint="A draft's figures are the rules' own; reconcile shows them without published ones.",
        )
    return resources.files("openfisca_grants").joinpath("sources", name).read_text(encoding="utf-8")


def annex_a(determination: Determination) -> AnnexA:
    """The Annex A table of a determination's letter: the lines after its 'Annex A' heading."""
    text = letter_text(determination)
    start = max(text.rfind("\nAnnex A\n"), text.rfind("\n**ANNEX A"))
    lines = [
        re.sub(r"</?b>", "", html.unescape(line)).rstrip()
        for line in text[start:].splitlines()
        if "\t" in line
    ]
    heading, *body = lines
    rows, total = [], None
    for line in body:
        label, amount = (cell.strip() for cell in line.split("\t", 1))
        pence = to_pence(_AMOUNT.search(amount).group())
        if not label and amount.startswith("Total"):
            total = pence
        else:
            rows.append(AnnexRow(len(rows) + 1, label, pence))
    return AnnexA(determination, heading, tuple(rows), total)
