"""The one exception for questions the encoded rules cannot answer.

A year no determination covers, a name the register cannot resolve, an authority outside a
determination, a parameter that does not exist: each raises ``RulesCannotAnswer`` with what was
asked and what exists, so that no caller ever mistakes such a question for a grant of £0.

It subclasses OpenFisca's ``SituationParsingError`` because that is the error OpenFisca's Web
API turns into an HTTP 400 with a JSON message, instead of an opaque 500.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from openfisca_core.errors import SituationParsingError


class RulesCannotAnswer(SituationParsingError):
    """A question outside what the encoded determinations and register cover."""

    def __init__(self, asked: str, available: str = "", hint: str = "") -> None:
        self.asked = asked
        self.available = available
        self.hint = hint
        message = asked
        if available:
            message += f" {available}"
        if hint:
            message += f" {hint}"
        self.message = message
        super().__init__(["error"], message, code=400)

    def __str__(self) -> str:
        return self.message


def closest(word: str, candidates: Iterable[str], limit: int = 5) -> list[str]:
    """The candidates nearest to ``word``, best first, for 'did you mean' messages."""
    candidates = list(candidates)
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=limit, cutoff=0.4)
    return [by_lower[match] for match in matches]
