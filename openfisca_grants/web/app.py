"""The what-if web page and its JSON API, served beside OpenFisca's own Web API in one Flask app.

``create()`` is OpenFisca's app for these rules, already checked at the boundary
(``openfisca_api.create_app``), with one blueprint added:

* ``/`` is the page (a browser asking for HTML); a client asking for JSON gets OpenFisca's own
  welcome answer, so nothing ``openfisca serve`` users rely on is lost;
* ``/page/results``, ``/page/explain``, ``/page/sweep``: pieces of the page, rendered on the
  server, that its small script swaps in;
* ``/download/comparison.csv`` and ``/download/reform.yaml``: the what-if as a table and as a
  reform file that ``openfisca-grants compare FILE`` reproduces;
* ``/api/compare``, ``/api/sweep``, ``/api/explain`` (POST, JSON) and ``/api/parameters``,
  ``/api/reconcile`` (GET): the same answers as the command line's ``--format json``.

The page's state is its URL: ``year`` and one ``PATH=VALUE`` per changed parameter, the paths
and values ``--set`` takes, and ``budget_neutral=yes``. Every value from a request passes the
boundary (``reforms.parse_set``, ``boundary``); a refusal is a 400 naming the parameter. No
Python reform file is ever read over HTTP. Nothing here names a determination: the page is
drawn from the catalogue and each parameter's metadata.

    gunicorn 'openfisca_grants.web.app:create()' -w 4 -b 127.0.0.1:8000
"""

from __future__ import annotations

import yaml
from flask import Blueprint, Flask, Response, render_template, request

from openfisca_grants import determinations, payees
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.openfisca_adapter import web_api
from openfisca_grants.render import csv as render_csv
from openfisca_grants.render import values as render_values
from openfisca_grants.web import json_api, presentation, statement_page
from openfisca_grants.web.inline_charts import pounds
from openfisca_grants.web.json_api import explanation_of, sweep_of
from openfisca_grants.web.page_context import (
    parameter_groups,
    reconciliation,
    results_context,
    sweepable,
)
from openfisca_grants.web.whatif_form import (
    WhatIf,
    _current_value,
    _error,
    _without,
    compare_whatif,
    whatif_from_query,
)

# A what-if changes a few dozen parameters at most; a URL longer than this is not one.
MAX_QUERY_BYTES = 16 * 1024
STATE_KEYS = {"year", "budget_neutral", "name", "kept"}
COMPARE_KEYS = {"year", "set", "budget_neutral"}
SWEEP_KEYS = {"year", "parameter", "from", "to", "steps", "set", "budget_neutral"}
EXPLAIN_KEYS = {"year", "region", "authority", "set", "determination"}
STATEMENT_KEYS = {"year", "body", "set", "determination"}
# Colour-blind-safe (Okabe and Ito), as the report charts use.
# Its yellow is left out: a thin yellow line cannot be read on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999", "#882255"]

pages = Blueprint(
    "whatif", __name__, template_folder="templates", static_folder="static", static_url_path="/page/static"
)


def create(tax_benefit_system=None) -> Flask:
    """The one app: the page, its JSON API and OpenFisca's Web API, every request checked."""
    from openfisca_grants.simulation import tax_benefit_system as baseline
    from openfisca_grants.web.openfisca_api import create_app

    app = create_app(tax_benefit_system or baseline())

    def page_or_welcome(openfisca_root):
        def root():
            # A browser asks for HTML; OpenFisca's clients ask for JSON and keep its welcome answer.
            best = request.accept_mimetypes.best_match(["text/html", "application/json"])
            if best == "application/json" or not request.accept_mimetypes.accept_html:
                return openfisca_root()
            return page()

        return root

    web_api.replace_view(app, web_api.ROOT, page_or_welcome)
    app.register_blueprint(pages)
    app.register_blueprint(json_api.routes)
    app.register_blueprint(statement_page.routes)
    # The GOV.UK page's arrangement, the headers a government service sends, the downloads.
    from openfisca_grants.web import downloads, grid, security

    presentation.install(app)
    security.install(app)
    app.register_blueprint(downloads.routes)
    app.register_blueprint(grid.routes)

    @app.before_request
    def refuse_long_queries():
        if len(request.query_string) > MAX_QUERY_BYTES:
            return _error(
                414, f"The address is too long: this server reads at most {MAX_QUERY_BYTES:,} bytes of query."
            )
        return None

    return app


# ---- reading a what-if ------------------------------------------------------------------------


# ---- the JSON API -----------------------------------------------------------------------------


# ---- the page ---------------------------------------------------------------------------------


def page():
    whatif = whatif_from_query(request.args)
    years = sorted({d.financial_year for d in determinations.catalogue()}, key=lambda y: y.start_year)
    context = {
        "whatif": whatif,
        "years": [(y.label, [d for d in determinations.catalogue() if d.financial_year == y]) for y in years],
        "draft_label": determinations.DRAFT_LABEL,
        "determinations": determinations.for_year(whatif.year) if whatif.year else [],
        "groups": parameter_groups(whatif) if whatif.year else [],
        "reconciliation": _answer(whatif, lambda: reconciliation(whatif.year), []) if whatif.year else [],
        "results": None,
        "sweepable": sweepable(whatif) if whatif.year else [],
    }
    if whatif.year and not whatif.errors:
        context["results"] = _answer(whatif, lambda: results_context(whatif), None)
    shown_beside = {f["path"] for g in context["groups"] for f in g["fields"]} | {
        "year",
        "changes",
        "budget_neutral",
    }
    context["stray_errors"] = [message for path, message in whatif.errors.items() if path not in shown_beside]
    presentation.page_context(context, whatif, request.args)
    status = 400 if whatif.errors else 200
    return render_template("grants_page.html", **context), status


def _answer(whatif: WhatIf, work, instead):
    """``work()``, or ``instead`` with the rules' refusal kept as the what-if's error (a negative
    grant, a determination whose formula is not yet encoded): said on the page, never a 5xx."""
    try:
        return work()
    except RulesCannotAnswer as error:
        whatif.errors.setdefault("changes", str(error))
        return instead


@pages.get("/page/results")
def page_results():
    whatif = whatif_from_query(request.args)
    if presentation.name_error(request.args):
        whatif.errors["name"] = presentation.name_error(request.args)
    if whatif.errors:
        return _error(400, "Some values cannot be used; nothing was recalculated.", fields=whatif.errors)
    try:
        results = presentation.extend_results(results_context(whatif), request.args)
    except RulesCannotAnswer as error:  # a negative grant, say: a refusal, never a 5xx
        return _error(400, str(error), fields={"changes": str(error)})
    return render_template("grants_results_update.html", results=results)


@pages.get("/page/explain")
def page_explain():
    whatif = whatif_from_query(_without(request.args, {"body", "determination", "paid_per"}))
    if whatif.errors:
        return _error(400, "Some values cannot be used.", fields=whatif.errors)
    body = request.args.get("body", "")
    try:
        payee = payees.kind(request.args.get("paid_per", "region"))
    except ValueError as error:
        return _error(400, str(error))
    try:
        explanation = explanation_of(
            whatif, **{payee.asked_with: body}, number=request.args.get("determination") or None
        )
    except RulesCannotAnswer as error:
        return _error(400, str(error))
    return render_template(
        "grants_explain.html", explanation=explanation, draft_label=determinations.DRAFT_LABEL
    )


@pages.get("/page/sweep")
def page_sweep():
    extra = {"sweep_parameter", "sweep_from", "sweep_to", "sweep_steps"}
    whatif = whatif_from_query(_without(request.args, extra))
    if whatif.errors:
        return _error(400, "Some values cannot be used.", fields=whatif.errors)
    args = request.args
    try:
        result = sweep_of(
            whatif,
            args.get("sweep_parameter", ""),
            args.get("sweep_from", ""),
            args.get("sweep_to", ""),
            args.get("sweep_steps", ""),
        )
    except RulesCannotAnswer as error:
        field = next(
            (f"sweep_{k}" for k in ("from", "to", "steps") if str(error).startswith(f"{k}:")),
            "sweep_parameter",
        )
        return _error(400, str(error), fields={field: str(error)})
    current = _current_value(whatif, result["parameter"])
    return render_template("grants_sweep.html", sweep={"result": result, "current": current})


@pages.get("/download/comparison.csv")
def download_csv():
    whatif = whatif_from_query(request.args)
    if whatif.errors or whatif.spec is None:
        return _error(
            400, "Nothing to download: " + ("; ".join(whatif.errors.values()) or "change a parameter first.")
        )
    try:
        comparisons = compare_whatif(whatif)
    except RulesCannotAnswer as error:
        return _error(400, "Nothing to download: " + str(error))
    return Response(
        render_csv.text(render_csv.comparisons, comparisons),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=comparison.csv"},
    )


@pages.get("/download/reform.yaml")
def download_yaml():
    whatif = whatif_from_query(request.args)
    if presentation.name_error(request.args):
        whatif.errors["name"] = presentation.name_error(request.args)
    if whatif.errors or whatif.spec is None:
        return _error(
            400, "Nothing to download: " + ("; ".join(whatif.errors.values()) or "change a parameter first.")
        )
    return Response(
        reform_yaml(whatif),
        mimetype="application/yaml",
        headers={"Content-Disposition": "attachment; filename=reform.yaml"},
    )


def reform_yaml(whatif: WhatIf) -> str:
    """The what-if as a reform file: ``openfisca-grants compare FILE --year YEAR`` gives the same figures."""
    name = presentation.whatif_name(request.args) if request else ""
    document = {
        "name": name or "What-if from the web page",
        "description": f"Made on the what-if page: {presentation.with_name(whatif.query(), name)}",
        # compare FILE honours it: the file gives the page's figures, budget neutral or not.
        **({"budget_neutral": True} if whatif.budget_neutral else {}),
        "changes": [
            {"parameter": change.path, "value": str(given), "year": whatif.year.label}
            for change, given in zip(whatif.changes, whatif.given.values(), strict=True)
        ],
    }
    if whatif.budget_neutral:  # part of the what-if: compare FILE reproduces the page's figures
        document["budget_neutral"] = True
    command = f"openfisca-grants compare reform.yaml --year {whatif.year.label}"
    if whatif.determination is not None:  # the page showed this one determination of the year
        command += f" --determination {whatif.determination}"
    return f"# {command}\n" + yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


# ---- what the page shows, from the catalogue and parameter metadata --------------------------


# ---- charts as inline SVG (no script, no request outside the server) --------------------------


@pages.app_template_filter("pounds")
def _pounds_filter(amount) -> str:
    return pounds(str(amount))


@pages.app_template_filter("percent")
def _percent_filter(value) -> str:
    return render_values.percent_change(value)


@pages.app_template_filter("in_units")
def _in_units_filter(value, unit: str = "") -> str:
    """A parameter's value as the letter writes it: a rate (unit "/1") as a percentage."""
    return render_values.in_units(value, unit)
