"""OpenFisca's Web API for these rules, with every request checked at the boundary before the rules see it.

``create_app(system)`` is OpenFisca's own Flask app (``openfisca_adapter.web_api.openfisca_app``):
the same routes (``/calculate``, ``/trace``, ``/variables``, ``/parameters``, ``/spec``...) and
the same formats, with these additions:

* a POST to ``/calculate`` or ``/trace`` must be JSON sent as ``application/json`` (415
  otherwise), at most 1 MiB (413), strict JSON (no NaN, no key twice, nested at most 32 deep)
  and a situation these rules can answer: entity ids that are not empty and have no ``/``,
  periods that are financial years (``year:2024-04``) for yearly variables, finite amounts
  within the money limit, and no question about an authority a determination does not pay;
  otherwise a 400 whose ``error`` names the JSON path and what is accepted;
* every HTTP error (404, 405, 413, 415...) is answered as JSON ``{"error": ...}``;
* an answer about a year only a draft models carries the header ``X-Grants-Status: draft, not a
  published determination: <draft number>``;
* an unexpected fault is a 500 that says only that (the traceback goes to the server's log,
  never to the client), and no answer ever holds NaN or Infinity;
* ``/spec`` describes these answers too (``openfisca_adapter.web_api.describe_what_is_answered``).

``openfisca serve -c openfisca_grants`` serves this app (``openfisca_adapter.web_api.install``).
"""

from __future__ import annotations

import logging

from flask import g, jsonify, request
from flask.json.provider import DefaultJSONProvider
from openfisca_core import periods
from openfisca_core.periods import DateUnit
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from openfisca_grants import boundary, determinations
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.money import Money
from openfisca_grants.openfisca_adapter import web_api

log = logging.getLogger("gunicorn.error")

DRAFT_HEADER = "X-Grants-Status"
MAX_ID_LENGTH = 200


class FiniteJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing NaN and Infinity: they are not JSON, and never an amount."""

    def dumps(self, obj, **kwargs):
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)


def create_app(tax_benefit_system, *args, **kwargs):
    """OpenFisca's Web API app for ``tax_benefit_system``, checked at the boundary."""
    app = web_api.openfisca_app(tax_benefit_system, *args, **kwargs)
    app.json = FiniteJSONProvider(app)
    app.config["MAX_CONTENT_LENGTH"] = boundary.MAX_BODY_BYTES

    @app.before_request
    def check_situation_request():
        if request.method != "POST" or request.endpoint not in web_api.SITUATION_ENDPOINTS:
            return None
        if not request.is_json:
            return _error(
                415,
                f"Send the situation as JSON, with Content-Type: application/json "
                f"(this request says {request.mimetype or 'nothing'!r}).",
            )
        data = request.get_data(cache=True)
        if request.content_length is None and len(data) >= boundary.MAX_BODY_BYTES:
            # A chunked body has no length to refuse up front: werkzeug stops reading at the
            # limit, so a body that reaches it is one that was cut short.
            return http_error(RequestEntityTooLarge())
        try:
            document = boundary.json_document(data, "the request body")
            check_situation(tax_benefit_system, document)
        except RulesCannotAnswer as error:
            return _error(400, str(error))
        g.drafts_asked = drafts_asked(document)
        return None

    for endpoint in web_api.SITUATION_ENDPOINTS:
        web_api.replace_view(app, endpoint, lambda view: _answer_checked(view, tax_benefit_system))
    web_api.serve_true_spec(app)

    @app.after_request
    def label_drafts(response):
        drafts = getattr(g, "drafts_asked", ())
        if drafts:
            # OpenFisca's answer keeps its format; the label travels beside it.
            response.headers[DRAFT_HEADER] = f"{determinations.DRAFT_LABEL}: " + ", ".join(drafts)
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code >= 500:
            return internal_error(error)
        if error.code == 413:
            return _error(
                413,
                f"The request body is too large: this API reads at most {boundary.MAX_BODY_BYTES:,} bytes.",
            )
        return _error(error.code, error.description or error.name)

    @app.errorhandler(500)
    def internal_error(error):
        original = getattr(error, "original_exception", None) or error
        log.error("Internal error answering %s %s", request.method, request.path, exc_info=original)
        return _error(500, "Internal server error: the server's log has the details.")

    return app


def _answer_checked(view, system):
    """The view, with every amount of money in its answer checked: finite and within the limit.

    Inputs each within the limit can still add up beyond it (two authorities of £999 billion
    in one country): that answer is refused as the command line refuses it, not given.
    """

    def answer():
        response = view()
        if response.status_code != 200 or request.endpoint != web_api.CALCULATE:
            return response
        try:
            _check_answer(system, response.get_json())
        except RulesCannotAnswer as error:
            return _error(400, str(error))
        return response

    return answer


def _check_answer(system, answer: dict) -> None:
    for plural, instances in answer.items():
        for instance_id, instance in instances.items():
            for name, values in instance.items():
                if not isinstance(system.variables.get(name), Money) or not isinstance(values, dict):
                    continue
                for period, amount in values.items():
                    if isinstance(amount, float) and abs(amount) * 100 > boundary.MAX_PENCE:
                        raise RulesCannotAnswer(
                            f"{plural}/{instance_id}/{name}/{period}: the answer, {amount:,.2f}, is beyond "
                            f"the {boundary.MONEY_LIMIT_TEXT} either way that this API computes exactly: "
                            "the amounts given add up to too much."
                        )


def drafts_asked(situation: dict) -> list[str]:
    """The drafts governing any financial year a (checked) situation asks about."""
    years = {
        period
        for instances in situation.values()
        if isinstance(instances, dict)
        for instance in instances.values()
        if isinstance(instance, dict)
        for values in instance.values()
        if isinstance(values, dict)
        for period in values
        if isinstance(period, str) and period.startswith("year:")
    }
    asked = set()
    for period in years:
        try:
            asked.add(FinancialYear.of_period(periods.period(period)))
        except Exception:  # noqa: BLE001 - a key of an unknown variable OpenFisca cannot read: no year asked
            continue
    return [d.number for d in determinations.catalogue() if d.is_draft and d.financial_year in asked]


def _error(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    return response


def check_situation(system, situation) -> None:
    """Raise ``RulesCannotAnswer`` for what in a situation OpenFisca would fail on or get wrong."""
    if not isinstance(situation, dict) or not situation:
        raise RulesCannotAnswer(
            "The request body must be a JSON object of entities: "
            + ", ".join(entity.plural for entity in system.entities)
            + "."
        )
    entities = {entity.plural: entity for entity in system.entities}
    for plural, instances in situation.items():
        if plural == "axes":
            raise RulesCannotAnswer(
                "axes: not supported here. Every input of these rules is a code, so there is "
                "nothing to vary along an axis; 'openfisca-grants sweep' varies a parameter."
            )
        entity = entities.get(plural)
        if entity is None:
            raise RulesCannotAnswer(
                f"{boundary.shown(plural)} is not an entity.",
                available="The entities are: " + ", ".join(entities) + ".",
            )
        if not isinstance(instances, dict):
            raise RulesCannotAnswer(f"{plural}: expected an object of {plural} by id.")
        for instance_id, instance in instances.items():
            where = f"{plural}/{instance_id[:MAX_ID_LENGTH]}"
            if not instance_id.strip() or "/" in instance_id or len(instance_id) > MAX_ID_LENGTH:
                raise RulesCannotAnswer(
                    f"{plural}: {boundary.shown(instance_id)} is not an id: an id is 1 to "
                    f"{MAX_ID_LENGTH} characters, not blank, without '/'."
                )
            if not isinstance(instance, dict):
                raise RulesCannotAnswer(f"{where}: expected an object of variables (and roles).")
            for name, values in instance.items():
                variable = system.variables.get(name)
                if variable is not None:
                    _check_variable(system, entity, variable, values, instance, f"{where}/{name}")
                elif isinstance(values, list):
                    bad = [member for member in values if not isinstance(member, str)]
                    if bad:
                        raise RulesCannotAnswer(f"{where}/{name}: {boundary.shown(bad[0])} is not an id.")
    _check_every_member_placed(system, situation)
    _check_codes_agree(situation)


def _codes(instances, variable: str) -> dict[str, str]:
    """{id: code} of the instances that give ``variable`` (any period: it never changes)."""
    found = {}
    for instance_id, instance in (instances or {}).items():
        values = instance.get(variable) if isinstance(instance, dict) else None
        for code in values.values() if isinstance(values, dict) else ():
            if isinstance(code, str):
                found[instance_id] = code
    return found


def _check_codes_agree(situation: dict) -> None:
    """Codes the register knows, each body once, each authority in its own region: a situation
    that contradicts the register would be answered, wrongly, for the body it does not describe."""
    from openfisca_grants.register import register

    authorities = _codes(situation.get("local_authorities"), "gss_code")
    regions = _codes(situation.get("regions"), "region_code")
    for kind, codes in (("local_authorities", authorities), ("regions", regions)):
        seen: dict[str, str] = {}
        for instance_id, code in codes.items():
            if code in seen:
                raise RulesCannotAnswer(
                    f"{kind}: {boundary.shown(seen[code])} and {boundary.shown(instance_id)} are both "
                    f"{code}: give each body once."
                )
            seen[code] = instance_id
    for code in authorities.values():
        register().authority(code)  # raises, with the closest codes, for a code it does not know
    known_regions = {region.code: region for region in register().regions}
    for instance_id, code in regions.items():
        if code not in known_regions:
            raise RulesCannotAnswer(
                f"regions/{instance_id}/region_code: {boundary.shown(code)} is not a region's code.",
                available="The regions: " + ", ".join(f"{r.code} {r.name}" for r in register().regions) + ".",
            )
    for region_id, region in (situation.get("regions") or {}).items():
        if region_id not in regions or not isinstance(region, dict):
            continue
        for member in region.get("members") or []:
            code = authorities.get(member) if isinstance(member, str) else None
            body = register().authority(code) if code else None
            if body is not None and body.region_code != regions[region_id]:
                raise RulesCannotAnswer(
                    f"regions/{region_id}: {body.name} ({code}) is in "
                    f"{known_regions[body.region_code].name}, not {known_regions[regions[region_id]].name}."
                )


def _check_every_member_placed(system, situation: dict) -> None:
    """Each authority in one group of each kind given: OpenFisca would put an authority left out
    in a group of its own, with no code, and a national total would count it wrongly."""
    person = system.person_entity
    members = list(situation.get(person.plural, {}) or {})
    for entity in system.group_entities:
        groups = situation.get(entity.plural)
        if not isinstance(groups, dict) or not groups:
            continue
        role_keys = {role.plural or role.key for role in entity.roles} | {role.key for role in entity.roles}
        placed: dict[str, str] = {}
        for group_id, group in groups.items():
            for key in role_keys & set(group):
                for member in group[key] if isinstance(group[key], list) else []:
                    if member in placed:
                        raise RulesCannotAnswer(
                            f"{entity.plural}: {person.key} {boundary.shown(member)} is in both "
                            f"{boundary.shown(placed[member])} and {boundary.shown(group_id)}."
                        )
                    placed[member] = group_id
        unplaced = [member for member in members if member not in placed]
        if unplaced:
            raise RulesCannotAnswer(
                f"{entity.plural}: {person.plural} {', '.join(boundary.shown(m) for m in unplaced[:5])} "
                f"are in no {entity.key}: place every one in one of the {entity.plural} given.",
                hint=f"Roles: {', '.join(sorted(role_keys))}.",
            )


def _check_variable(system, entity, variable, values, instance, where: str) -> None:
    if not isinstance(values, dict):
        raise RulesCannotAnswer(
            f"{where}: expected an object of values by period, such as "
            '{"year:2024-04": null} or {"ETERNITY": "E06000054"}.'
        )
    for period_text, value in values.items():
        at = f"{where}/{period_text[:40]}"
        try:
            period = periods.period(period_text)
        except Exception:  # OpenFisca raises several kinds for text it cannot read
            raise RulesCannotAnswer(
                f"{at}: {boundary.shown(period_text)} is not a period.",
                hint='Ask for a financial year as "year:2024-04", or give a code for "ETERNITY".',
            ) from None
        if variable.definition_period == DateUnit.YEAR:
            try:
                year = FinancialYear.of_period(period)
            except RulesCannotAnswer as error:
                raise RulesCannotAnswer(f"{at}: {error}") from None
            if value is None:
                _check_paid(entity, variable, instance, year, at)
        _check_value(variable, value, at)


def _check_value(variable, value, where: str) -> None:
    if value is None:
        return
    if isinstance(variable, Money) or variable.value_type is float:
        if isinstance(variable, Money):
            boundary.money_pence(value, where, allow_negative=True)
        else:
            boundary.finite_float(value, where)
    elif variable.value_type is int:  # the rules' only whole numbers are counts
        boundary.count(value, where)
    elif variable.value_type is bool:
        if not isinstance(value, bool):
            raise boundary.refuse(where, value, "is not true or false.")
    elif variable.value_type is str and not isinstance(value, str):
        raise boundary.refuse(where, value, "is not text.", 'Give a code such as "E06000054".')


def _check_paid(entity, variable, instance: dict, year: FinancialYear, where: str) -> None:
    """A grant asked for an authority its determination does not pay is an error, not £0."""
    from openfisca_grants.paid_bodies import paid_body

    for determination in determinations.catalogue():
        if (
            variable.name != determination.grant_variable
            or determination.payee.shows_unpaid
            or entity.key != determination.payee.entity
            or determination.financial_year != year
        ):
            continue
        codes = instance.get("gss_code")
        given = list(codes.values()) if isinstance(codes, dict) else []
        if not given or not all(isinstance(code, str) for code in given):
            raise RulesCannotAnswer(
                f"{where}: give the authority's gss_code for ETERNITY to ask for its grant."
            )
        for code in given:  # the code OpenFisca reads is one of them: each must be paid
            try:
                paid_body(year, authority=code, number=determination.number)
            except RulesCannotAnswer as error:
                raise RulesCannotAnswer(f"{where}: {error}") from None
