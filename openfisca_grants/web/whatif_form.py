"""A what-if read from a request, as the page and the JSON API take it: a URL's query (each
refusal kept by field, for the page) or a JSON body (the first refusal, for the API); and the
app's JSON answers and refusals (never a 5xx for a refusal)."""

from __future__ import annotations

import json

from flask import Response, jsonify, request

from openfisca_grants import boundary, determinations, reforms, use_cases
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.render import json as render_json

# ``determination``: one of the year's determinations, by number (a year may have several).
STATE_KEYS = {"year", "budget_neutral", "name", "kept", "determination"}


class WhatIf:
    """A what-if read from a request: its year, changes and flags, each refusal by field."""

    def __init__(self, year_text, changes: dict[str, str], budget_neutral: bool, determination=None):
        self.year_text = year_text
        self.given = changes  # path as typed -> value as typed
        self.budget_neutral = budget_neutral
        self.determination = determination  # the number asked, or None: all of the year's
        self.errors: dict[str, str] = {}
        self.year: FinancialYear | None = None
        self.changes: list[reforms.ParameterChange] = []
        try:
            self.year = use_cases.year_of(year_text, "year", governed=True)
        except RulesCannotAnswer as error:
            self.errors["year"] = str(error)
            self.year = None
            return
        for path, value in changes.items():
            try:
                # Over HTTP a change is a field of "set" (JSON) or of the query: named so, not --set.
                self.changes.append(
                    use_cases.whatif.parse_change(path.strip(), value.strip(), self.year, where="set")
                )
            except RulesCannotAnswer as error:
                self.errors[_short(path)] = str(use_cases.HTTP.say(error))
        self.case: use_cases.WhatIf | None = None
        if not self.errors:
            try:
                self.case = use_cases.whatif.from_parsed(
                    self.year,
                    tuple(changes.items()),
                    self.changes,
                    budget_neutral=budget_neutral,
                    words=use_cases.HTTP,
                )
            except RulesCannotAnswer as error:
                self.errors["changes"] = str(use_cases.HTTP.say(error))
        if self.case is not None and determination is not None:
            try:
                self.case = use_cases.whatif.from_parsed(
                    self.year,
                    self.case.given,
                    self.changes,
                    budget_neutral=budget_neutral,
                    determination=determination,
                    words=use_cases.HTTP,
                )
            except RulesCannotAnswer as error:
                self.errors["determination"] = str(use_cases.HTTP.say(error))
                self.case = None

    @property
    def spec(self) -> reforms.ReformSpec | None:
        if not self.changes or self.errors:
            return None
        return self.case.spec

    @property
    def set_texts(self) -> list[str]:
        return [f"{path}={value}" for path, value in self.given.items()]

    def query(self) -> str:
        from urllib.parse import urlencode

        pairs = [("year", self.year.label if self.year else str(self.year_text))]
        pairs += [(_short(path), value) for path, value in self.given.items()]
        if self.budget_neutral:
            pairs.append(("budget_neutral", "yes"))
        if self.determination is not None:
            pairs.append(("determination", self.determination))
        return urlencode(pairs)


def _short(path: str) -> str:
    path = str(path).strip()
    return path.removeprefix("determinations.")


def whatif_from_query(args) -> WhatIf:
    """A what-if from a URL's query: ``year``, ``budget_neutral=yes`` and ``PATH=VALUE`` pairs."""
    changes: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key in args:
        if len(args.getlist(key)) > 1:
            errors[_short(key)] = (
                f"{boundary.shown(key)} is given {len(args.getlist(key))} times: say which value you mean."
            )
    budget_text = args.get("budget_neutral", "")
    if budget_text not in ("", "yes", "no"):
        errors["budget_neutral"] = f"budget_neutral: {boundary.shown(budget_text)} is not yes or no."
    for key, value in args.items():
        if key not in STATE_KEYS and key not in errors:
            changes[key] = value
    asked = args.get("determination")
    whatif = WhatIf(
        args.get("year") or _default_year(),
        changes,
        budget_text == "yes",
        None if asked is None or "determination" in errors else asked,
    )
    whatif.errors.update(errors)
    for path, message in whatif.errors.items():
        # Beside its field the message need not repeat the field: drop the field it names.
        for prefix in (
            f"set {boundary.shown(path)}: ",
            f"set {boundary.shown('determinations.' + path)}: ",
            f"determinations.{path}: ",
        ):
            message = message.removeprefix(prefix)
        whatif.errors[path] = message[:1].upper() + message[1:]
    return whatif


def _default_year() -> str:
    published = [d for d in determinations.catalogue() if not d.is_draft]
    return (published or list(determinations.catalogue()))[-1].financial_year.label


def whatif_from_json(body: dict, keys: set[str], need_changes: bool) -> WhatIf:
    """A what-if from a JSON body; raises ``RulesCannotAnswer`` at the first refusal."""
    if not isinstance(body, dict):
        raise RulesCannotAnswer(
            "The request body must be a JSON object, such as "
            + json.dumps({key: value for key, value in _EXAMPLE.items() if key in keys})
            + "."
        )
    unknown = sorted(set(body) - keys)
    if unknown:
        raise RulesCannotAnswer(
            f"{boundary.shown(unknown[0])} is not a field of this request.",
            available="Fields: " + ", ".join(sorted(keys)) + ".",
        )
    if "year" not in body:
        raise RulesCannotAnswer('year: missing; give the financial year, e.g. "2024-25".')
    changes = body.get("set", {})
    if not isinstance(changes, dict):
        raise boundary.refuse("set", changes, "is not an object of parameter paths and values.", _SET_HINT)
    if need_changes and not changes:
        raise RulesCannotAnswer(
            "set: compare needs a reform: give at least one parameter and its value.", hint=_SET_HINT
        )
    texts = dict(use_cases.whatif.given_changes(changes, _SET_HINT))
    budget_neutral = body.get("budget_neutral", False)
    if not isinstance(budget_neutral, bool):
        raise boundary.refuse("budget_neutral", budget_neutral, "is not true or false.")
    whatif = WhatIf(body["year"], texts, budget_neutral)
    if whatif.errors:
        raise RulesCannotAnswer(next(iter(whatif.errors.values())))
    if body.get("determination") is not None:  # one of the year's determinations, by number
        whatif.case = use_cases.whatif.from_parsed(
            whatif.year,
            whatif.case.given,
            whatif.changes,
            budget_neutral=budget_neutral,
            determination=body["determination"],
            words=use_cases.HTTP,
        )
    return whatif


_EXAMPLE = {"year": "2024-25", "body": "Camden", "set": {"PATH": "20%"}, "budget_neutral": False}


_SET_HINT = 'For example {"PATH": "20%"}, with a path GET /api/parameters lists.'


def _json_body() -> dict:
    if not request.is_json:
        raise _HTTPRefusal(
            415,
            "Send JSON, with Content-Type: application/json "
            f"(this request says {request.mimetype or 'nothing'!r}).",
        )
    return boundary.json_document(request.get_data(cache=True), "the request body")


class _HTTPRefusal(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _error(status: int, message: str, **extra):
    response = jsonify({"error": message, **extra})
    response.status_code = status
    return response


def _answered(work):
    """Run ``work``; a refusal at the boundary is a 400 naming the field, never a 5xx."""
    try:
        return work()
    except _HTTPRefusal as refusal:
        return _error(refusal.status, str(refusal))
    except RulesCannotAnswer as error:
        return _error(400, str(error))


def _json(data, status: int = 200) -> Response:
    # As the command line prints it (--format json), byte for byte: one renderer for both.
    return Response(render_json.dumps(data), status=status, mimetype="application/json")


def _without(args, keys: set[str]):
    from werkzeug.datastructures import MultiDict

    return MultiDict([(k, v) for k, v in args.items(multi=True) if k not in keys])


def _current_value(whatif: WhatIf, path: str) -> float | None:
    for change in whatif.changes:
        if change.path == path:
            return float(change.value)
    for row in reforms.changeable_parameters(year=whatif.year):
        if row["parameter"] == path:
            return float(row["value"])
    return None


def compare_whatif(whatif: WhatIf) -> list:
    """The what-if's comparisons (``use_cases.compare``), for every answer that shows them."""
    return use_cases.compare(whatif.case)
