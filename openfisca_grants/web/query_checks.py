"""The page's query checked before any work: a value longer than any rule takes is refused by
field, and a rule given the letter's own value (0.14 for 14%) is dropped, as no change."""

from __future__ import annotations

import functools

from openfisca_grants import reforms
from openfisca_grants.errors import RulesCannotAnswer

# Longer than any value a rule takes (the longest authority name is under 60 characters); the
# browser refuses more before sending (maxlength), and the server reads at most this.
MAX_VALUE_CHARACTERS = 200
MAX_KEPT_CHARACTERS = 8 * 1024  # the kept what-if (A): its own query


def install(app) -> None:
    """The two checks, run before each of the page's requests (not the API's)."""
    from flask import request
    from werkzeug.datastructures import ImmutableMultiDict

    @app.before_request
    def refuse_long_values():
        # A value longer than any rule takes is refused naming its field, before any work, and
        # before the address grows past what a server reads (gunicorn: 8,190 bytes a request line).
        if request.method != "GET" or request.path.startswith("/api/"):
            return None
        long = [
            (key, value)
            for key, value in request.args.items(multi=True)
            if len(value) > (MAX_KEPT_CHARACTERS if key == "kept" else MAX_VALUE_CHARACTERS)
        ]
        if not long:
            return None
        from flask import jsonify

        fields = {}
        for key, value in long:
            limit = MAX_KEPT_CHARACTERS if key == "kept" else MAX_VALUE_CHARACTERS
            shown = key.removeprefix("determinations.")[:120]
            fields[shown] = f"This value is {len(value):,} characters: this field takes at most {limit:,}."
        answer = jsonify({"error": "A value is too long: " + ", ".join(fields) + ".", "fields": fields})
        answer.status_code = 400
        return answer

    @app.before_request
    def drop_letter_values():
        # The letter's own value retyped (0.14 for 14%, 80000.00 for £80,000) is no change: it is
        # dropped from the query before anything reads it, so it is neither listed nor compared.
        if request.method != "GET" or not request.args or request.path.startswith("/api/"):
            return None
        kept = without_letter_values(request.args)
        if len(kept) != len(list(request.args.items(multi=True))):
            request.args = ImmutableMultiDict(kept)
        return None


def without_letter_values(args) -> list[tuple[str, str]]:
    """The query's pairs less each rule given the letter's own value, however written."""
    year = _year_of(args.get("year"))
    return [
        (key, value)
        for key, value in args.items(multi=True)
        if year is None
        or key in ("year", "budget_neutral", "name", "kept")
        or not _is_letter_value(key, value, year)
    ]


def _year_of(text):
    from openfisca_grants import boundary

    try:
        return boundary.financial_year(text, "year") if text else None
    except RulesCannotAnswer:
        return None


def _is_letter_value(key: str, value: str, year) -> bool:
    full = "determinations." + key.removeprefix("determinations.")
    rows = {r["parameter"]: r for r in _changeable(year.label)}
    if full not in rows or len(value) > MAX_VALUE_CHARACTERS:
        return False
    letters = rows[full]["value"]
    try:
        mine = reforms.parse_set(f"{full}={value}", year=year).value
    except RulesCannotAnswer:
        return False
    if isinstance(letters, str) or isinstance(mine, str):
        return str(mine).strip() == str(letters).strip()
    return round(float(mine) * 100, 6) == round(float(letters) * 100, 6)


@functools.lru_cache(maxsize=32)
def _changeable(year_label: str) -> tuple[dict, ...]:
    from openfisca_grants.financial_year import FinancialYear

    return tuple(reforms.changeable_parameters(year=FinancialYear.parse(year_label)))
