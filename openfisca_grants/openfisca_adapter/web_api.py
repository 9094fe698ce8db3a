"""OpenFisca's Web API app (openfisca_web_api): built, its endpoints named, its spec made true.

* ``openfisca_app(system)`` is OpenFisca's own Flask app; ``install`` makes ``openfisca serve
  -c openfisca_grants`` serve ``web.openfisca_api.create_app`` (that app, every request checked
  at the boundary) in its place, for these rules only.
* The app's endpoints are reached by the names OpenFisca gives its views (``CALCULATE``,
  ``TRACE``, ``ROOT``, ``SPEC``); ``replace_view`` swaps one for a wrapper of it.
* ``/spec`` is OpenFisca's OpenAPI document, which does not say all that the checked app
  answers: ``describe_what_is_answered`` adds the refusals (400, 404, 413, 415, each a JSON
  object saying why) and corrects the schemas OpenFisca's own answers break (a variable's
  ``defaultValue`` is the variable's type, not always a string; a parameter's ``id`` is its
  path, not an integer; a value that stops is null), so that a client generated
  from the document, or a fuzzer driven by it, meets no surprise.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from openfisca_grants.openfisca_adapter.wrapping import wrap_on_import

SERVE = "openfisca_web_api.scripts.serve"
# OpenFisca's view names (Flask endpoints) for its routes.
ROOT = "get_root"
SPEC = "get_spec"
CALCULATE = "calculate"
TRACE = "trace"
SITUATION_ENDPOINTS = frozenset({CALCULATE, TRACE})
SITUATION_PATHS = ("/calculate", "/trace")


def install() -> None:
    """``openfisca serve -c openfisca_grants`` serves the checked app (now or when imported)."""
    wrap_on_import(SERVE, [("create_app", _checked_create_app)])


def openfisca_app(tax_benefit_system, *args, **kwargs):
    """OpenFisca's own Web API app for ``tax_benefit_system``."""
    from openfisca_web_api import app

    return app.create_app(tax_benefit_system, *args, **kwargs)


def view(app, endpoint: str) -> Callable:
    """The view answering ``endpoint`` (one of the names above)."""
    return app.view_functions[endpoint]


def replace_view(app, endpoint: str, wrap: Callable[[Callable], Callable]) -> None:
    """Answer ``endpoint`` with ``wrap(its view)``."""
    app.view_functions[endpoint] = wrap(app.view_functions[endpoint])


def serve_true_spec(app) -> None:
    """``/spec`` answers the document with what the checked app really answers."""
    from flask import jsonify

    def wrap(spec_view):
        def get_spec():
            response = spec_view()
            return jsonify(describe_what_is_answered(response.get_json()))

        return get_spec

    replace_view(app, SPEC, wrap)


# A refusal of the checked app's own: {"error": "..."} (web.openfisca_api._error).
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}},
    "required": ["error"],
}
# A refusal of a situation: the checked app's {"error": "..."}, or OpenFisca's own, the message
# at the JSON path of what it refused ({"local_authorities": "No local_authority found..."}).
SITUATION_ERROR_SCHEMA = {"type": "object", "minProperties": 1}
REFUSALS = {
    "400": (
        "SituationError",
        "The situation is not one these rules can answer (the error names the JSON path and what "
        "is accepted), or the body is not strict JSON.",
    ),
    "404": ("SituationError", "The situation names a variable these rules do not have."),
    "413": ("Error", "The request body is larger than this API reads."),
    "415": ("Error", "The request body is not sent as application/json."),
}
# Any JSON value: what OpenFisca sends for a value of a variable's own type.
ANY_VALUE = {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}


def describe_what_is_answered(spec: dict) -> dict:
    """OpenFisca's OpenAPI document with what the checked app answers that it leaves out."""
    spec = copy.deepcopy(spec)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("SituationError", SITUATION_ERROR_SCHEMA)
    for path in SITUATION_PATHS:
        operation = spec.get("paths", {}).get(path, {}).get("post")
        if operation is None:
            continue
        responses = operation.setdefault("responses", {})
        for status, (schema, description) in REFUSALS.items():
            response = responses.setdefault(status, {"description": description})
            response.setdefault(
                "content", {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
            )
    _example_ids(spec, schemas)
    variable = schemas.get("Variable", {}).get("properties", {})
    if "defaultValue" in variable:
        # 0 for a number, false for a flag, a date or a code as text: the variable's own type.
        variable["defaultValue"] = ANY_VALUE
    parameter = schemas.get("Parameter", {}).get("properties", {})
    if "id" in parameter:
        parameter["id"] = {"type": "string"}  # a dotted path, not the integer the document says
    if "Value" in schemas:
        schemas["Value"]["nullable"] = True  # a value that stops on a date is null from then on
    return spec


def _example_ids(spec: dict, schemas: dict) -> None:
    """The ids of the document's own example variable and parameter, as examples of the path
    parameters that name one: a client (or a fuzzer) then asks for one that exists."""
    for schema, path in (("Variable", "/variable/{variableID}"), ("Parameter", "/parameter/{parameterID}")):
        example_id = schemas.get(schema, {}).get("example", {}).get("id")
        operation = spec.get("paths", {}).get(path, {}).get("get", {})
        for parameter in operation.get("parameters", []):
            if example_id and parameter.get("in") == "path":
                parameter.setdefault("example", example_id)


def _checked_create_app(original):
    def create_app(tax_benefit_system, *args, **kwargs):
        if not _is_these_rules(tax_benefit_system):
            return original(tax_benefit_system, *args, **kwargs)  # another country package
        from openfisca_grants.web.openfisca_api import create_app as checked

        return checked(tax_benefit_system, *args, **kwargs)

    return create_app


def _is_these_rules(system) -> bool:
    from openfisca_grants import CountryTaxBenefitSystem

    while system is not None:
        if isinstance(system, CountryTaxBenefitSystem):
            return True
        system = getattr(system, "baseline", None)
    return False
