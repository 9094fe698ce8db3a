"""The JSON API (``/api/*``): each route reads its body through ``whatif_form``, calls one use
case and answers what the command line's ``--format json`` prints, byte for byte."""

from __future__ import annotations

from flask import Blueprint, request

from openfisca_grants import boundary, use_cases
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.render import json as render_json
from openfisca_grants.sweep import values_between
from openfisca_grants.web.whatif_form import (
    WhatIf,
    _answered,
    _json,
    _json_body,
    compare_whatif,
    whatif_from_json,
)

# Over HTTP a sweep is for a chart and a table: 1,000 values is plenty, and a million would let
# one request hold a worker for seconds.
MAX_HTTP_SWEEP_STEPS = 1_000
COMPARE_KEYS = {"year", "set", "budget_neutral", "determination"}
SWEEP_KEYS = {"year", "parameter", "from", "to", "steps", "set", "budget_neutral"}
EXPLAIN_KEYS = {"year", "region", "authority", "set", "determination"}
STATEMENT_KEYS = {"year", "body", "set", "determination"}

routes = Blueprint("grants_api", __name__)


@routes.post("/api/compare")
def api_compare():
    def work():
        whatif = whatif_from_json(_json_body(), COMPARE_KEYS, need_changes=True)
        return _json([c.as_dict() for c in compare_whatif(whatif)])

    return _answered(work)


def swept(whatif: WhatIf, parameter, start, stop, steps, names=("from", "to", "steps")):
    """A sweep asked over HTTP (at most ``MAX_HTTP_SWEEP_STEPS`` values), by the JSON API, the
    page and its chart downloads alike; ``names`` are the fields' names in refusals."""
    if not isinstance(parameter, str):
        raise boundary.refuse(
            "parameter", parameter, "is not a parameter path.", "GET /api/parameters lists them."
        )
    values = values_between(start, stop, steps, names=names, most=MAX_HTTP_SWEEP_STEPS)
    return use_cases.sweep(whatif.case, parameter, values)


def sweep_of(whatif: WhatIf, parameter, start, stop, steps) -> dict:
    return swept(whatif, parameter, start, stop, steps).as_dict()


@routes.post("/api/sweep")
def api_sweep():
    def work():
        body = _json_body()
        whatif = whatif_from_json(body, SWEEP_KEYS, need_changes=False)
        for key in ("parameter", "from", "to", "steps"):
            if key not in body:
                raise RulesCannotAnswer(
                    f"{key}: missing.", hint="A sweep takes parameter, from, to and steps."
                )
        return _json(sweep_of(whatif, body["parameter"], body["from"], body["to"], body["steps"]))

    return _answered(work)


def explanation_of(whatif: WhatIf, region=None, authority=None, number=None) -> dict:
    for name, value in (("region", region), ("authority", authority), ("determination", number)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise boundary.refuse(name, value, "is not a name or code.")
    case = use_cases.whatif.from_parsed(
        whatif.year,
        whatif.case.given,
        whatif.changes,
        determination=number,
        budget_neutral=whatif.budget_neutral,
        words=use_cases.HTTP,
    )
    return use_cases.explain(case, region=region, authority=authority)


@routes.post("/api/explain")
def api_explain():
    def work():
        body = _json_body()
        whatif = whatif_from_json(body, EXPLAIN_KEYS, need_changes=False)
        return _json(
            explanation_of(whatif, body.get("region"), body.get("authority"), body.get("determination"))
        )

    return _answered(work)


@routes.post("/api/statement")
def api_statement():
    def work():
        body = _json_body()
        whatif = whatif_from_json(body, STATEMENT_KEYS, need_changes=False)
        if "body" not in body:
            raise RulesCannotAnswer(
                "body: missing.", hint="Give the name or code of an authority or other body."
            )
        return _json(use_cases.statement(whatif.case, body["body"]).as_dict())

    return _answered(work)


def _year_arg(allowed: frozenset[str] = frozenset({"year"})) -> FinancialYear | None:
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise RulesCannotAnswer(
            f"{boundary.shown(unknown[0])} is not a parameter of this request: give "
            + " and ".join(sorted(allowed))
            + " only."
        )
    for key in allowed:
        if len(request.args.getlist(key)) > 1:
            raise RulesCannotAnswer(f"{key} is given twice: say which you mean.")
    text = request.args.get("year")
    return None if text is None else use_cases.year_of(text, "year", governed=True)


@routes.get("/api/parameters")
def api_parameters():
    return _answered(lambda: _json(use_cases.parameters(_year_arg())))


@routes.get("/api/reconcile")
def api_reconcile():
    def work():
        year = _year_arg(frozenset({"year", "determination"}))
        number = request.args.get("determination")
        return _json(render_json.reconciliations(use_cases.reconcile(year, number)))

    return _answered(work)
