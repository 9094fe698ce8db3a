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

import json
import math

import yaml
from flask import Blueprint, Flask, Response, jsonify, render_template, request
from markupsafe import Markup, escape

from openfisca_grants import boundary, determinations, reforms, use_cases
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.money import decimal_pounds, format_pounds, to_pence
from openfisca_grants.render import csv as render_csv
from openfisca_grants.render import json as render_json
from openfisca_grants.render import values as render_values
from openfisca_grants.sweep import values_between
from openfisca_grants.web import presentation

# Over HTTP a sweep is for a chart and a table: 1,000 values is plenty, and a million would let
# one request hold a worker for seconds.
MAX_HTTP_SWEEP_STEPS = 1_000
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
    openfisca_root = app.view_functions["get_root"]

    def root():
        # A browser asks for HTML; OpenFisca's clients ask for JSON and keep its welcome answer.
        best = request.accept_mimetypes.best_match(["text/html", "application/json"])
        if best == "application/json" or not request.accept_mimetypes.accept_html:
            return openfisca_root()
        return page()

    app.view_functions["get_root"] = root
    app.register_blueprint(pages)
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


class WhatIf:
    """A what-if read from a request: its year, changes and flags, each refusal by field."""

    def __init__(self, year_text, changes: dict[str, str], budget_neutral: bool):
        self.year_text = year_text
        self.given = changes  # path as typed -> value as typed
        self.budget_neutral = budget_neutral
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
                self.changes.append(use_cases.whatif.parse_change(path, value, self.year))
            except RulesCannotAnswer as error:
                self.errors[_short(path)] = str(error)
        self.case: use_cases.WhatIf | None = None
        if not self.errors:
            try:
                self.case = use_cases.whatif.from_parsed(
                    self.year, tuple(changes.items()), self.changes, budget_neutral=budget_neutral
                )
            except RulesCannotAnswer as error:
                self.errors["changes"] = str(error)

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
    whatif = WhatIf(args.get("year") or _default_year(), changes, budget_text == "yes")
    whatif.errors.update(errors)
    for path, message in whatif.errors.items():
        # Beside its field the message need not repeat the field: drop the --set it quotes.
        for prefix in (f"--set {path}={changes.get(path, '')}: ", f"determinations.{path}: "):
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
            "The request body must be a JSON object, such as " + json.dumps(_EXAMPLE) + "."
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
    return whatif


_EXAMPLE = {"year": "2024-25", "set": {"PATH": "20%"}, "budget_neutral": False}
_SET_HINT = 'For example {"PATH": "20%"}, with a path GET /api/parameters lists.'


def _json_body() -> dict:
    if not request.is_json:
        raise _HTTPRefusal(
            415,
            f"Send JSON, with Content-Type: application/json (this request says {request.mimetype or 'nothing'!r}).",
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


# ---- the JSON API -----------------------------------------------------------------------------


def compare_whatif(whatif: WhatIf) -> list:
    return use_cases.compare(whatif.case)


@pages.post("/api/compare")
def api_compare():
    def work():
        whatif = whatif_from_json(_json_body(), COMPARE_KEYS, need_changes=True)
        return _json([c.as_dict() for c in compare_whatif(whatif)])

    return _answered(work)


def sweep_of(whatif: WhatIf, parameter, start, stop, steps) -> dict:

    if not isinstance(parameter, str):
        raise boundary.refuse(
            "parameter", parameter, "is not a parameter path.", "GET /api/parameters lists them."
        )
    values = values_between(start, stop, steps, names=("from", "to", "steps"), most=MAX_HTTP_SWEEP_STEPS)
    return use_cases.sweep(whatif.case, parameter, values).as_dict()


@pages.post("/api/sweep")
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
    )
    return use_cases.explain(case, region=region, authority=authority)


@pages.post("/api/explain")
def api_explain():
    def work():
        body = _json_body()
        whatif = whatif_from_json(body, EXPLAIN_KEYS, need_changes=False)
        return _json(
            explanation_of(whatif, body.get("region"), body.get("authority"), body.get("determination"))
        )

    return _answered(work)


@pages.post("/api/statement")
def api_statement():
    def work():
        body = _json_body()
        whatif = whatif_from_json(body, STATEMENT_KEYS, need_changes=False)
        if "body" not in body:
            raise RulesCannotAnswer(
                "body: missing.", hint="Give the name or code of an authority or other body."
            )
        case = use_cases.whatif.from_parsed(
            whatif.year, whatif.case.given, whatif.changes, determination=body.get("determination")
        )
        return _json(use_cases.statement(case, body["body"]).as_dict())

    return _answered(work)


def _year_arg() -> FinancialYear | None:
    unknown = sorted(set(request.args) - {"year"})
    if unknown:
        raise RulesCannotAnswer(
            f"{boundary.shown(unknown[0])} is not a parameter of this request: give year only."
        )
    if len(request.args.getlist("year")) > 1:
        raise RulesCannotAnswer("year is given twice: say which you mean.")
    text = request.args.get("year")
    return None if text is None else use_cases.year_of(text, "year", governed=True)


@pages.get("/api/parameters")
def api_parameters():
    return _answered(lambda: _json(use_cases.parameters(_year_arg())))


@pages.get("/api/reconcile")
def api_reconcile():
    def work():
        results = use_cases.reconcile(_year_arg())
        return _json(
            {
                "reconciled": all(r.reconciled for r in results),
                "determinations": [r.as_dict() for r in results],
            }
        )

    return _answered(work)


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
        "reconciliation": reconciliation(whatif.year) if whatif.year else [],
        "results": results_context(whatif) if whatif.year and not whatif.errors else None,
        "sweepable": sweepable(whatif) if whatif.year else [],
    }
    shown_beside = {f["path"] for g in context["groups"] for f in g["fields"]} | {
        "year",
        "changes",
        "budget_neutral",
    }
    context["stray_errors"] = [message for path, message in whatif.errors.items() if path not in shown_beside]
    presentation.page_context(context, whatif, request.args)
    status = 400 if whatif.errors else 200
    return render_template("grants_page.html", **context), status


@pages.get("/page/results")
def page_results():
    whatif = whatif_from_query(request.args)
    if presentation.name_error(request.args):
        whatif.errors["name"] = presentation.name_error(request.args)
    if whatif.errors:
        return _error(400, "Some values cannot be used; nothing was recalculated.", fields=whatif.errors)
    results = presentation.extend_results(results_context(whatif), request.args)
    return render_template("grants_results_update.html", results=results)


@pages.get("/page/explain")
def page_explain():
    whatif = whatif_from_query(_without(request.args, {"body", "determination", "paid_per"}))
    if whatif.errors:
        return _error(400, "Some values cannot be used.", fields=whatif.errors)
    body = request.args.get("body", "")
    paid_per = request.args.get("paid_per", "region")
    try:
        explanation = explanation_of(
            whatif,
            region=body if paid_per == "region" else None,
            authority=body if paid_per != "region" else None,
            number=request.args.get("determination") or None,
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
    return render_template("grants_sweep.html", sweep=sweep_context(result, current))


@pages.get("/download/comparison.csv")
def download_csv():
    whatif = whatif_from_query(request.args)
    if whatif.errors or whatif.spec is None:
        return _error(
            400, "Nothing to download: " + ("; ".join(whatif.errors.values()) or "change a parameter first.")
        )
    return Response(
        render_csv.text(render_csv.comparisons, compare_whatif(whatif)),
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
    return f"# {command}\n" + yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _without(args, keys: set[str]):
    from werkzeug.datastructures import MultiDict

    return MultiDict([(k, v) for k, v in args.items(multi=True) if k not in keys])


# ---- what the page shows, from the catalogue and parameter metadata --------------------------


def parameter_groups(whatif: WhatIf) -> list[dict]:
    """Every changeable parameter of the year, by determination and component, in the letter's order."""
    from openfisca_grants.simulation import tax_benefit_system

    system = tax_benefit_system()
    given = {_short(path): value for path, value in whatif.given.items()}
    groups = []
    for determination in determinations.for_year(whatif.year):
        rows = [
            r
            for r in reforms.changeable_parameters(year=whatif.year)
            if r["determination"] == determination.number
        ]
        order = [folder for folder, _ in determination.annex_a.components]
        by_group: dict[str, list] = {}
        for row in rows:
            folder = row["parameter"].split(".")[2]
            by_group.setdefault(folder, []).append(row)
        folders = [f for f in order if f in by_group] + [f for f in by_group if f not in order]
        for folder in folders:
            node = determination.parameter(system, folder)
            fields = []
            for row in by_group[folder]:
                path = _short(row["parameter"])
                parameter = reforms.find_parameter(system, row["parameter"])[1]
                kind = reforms.parameter_kind(row["parameter"], parameter)
                baseline = shown_value(kind, row["value"])
                fields.append(
                    {
                        "path": path,
                        "id": "p-" + path.replace(".", "-"),
                        "kind": kind,
                        "label": row["description"],
                        "baseline": baseline,
                        "value": given.get(path, baseline),
                        "changed": path in given,
                        "unit": _unit_text(kind, parameter.metadata.get("unit", "")),
                        "source": row["reference"],
                        "wording": reforms.letter_wording(system, row["parameter"]),
                        "error": whatif.errors.get(path, ""),
                    }
                )
            groups.append(
                {
                    "determination": determination,
                    "title": (
                        node.description
                        if hasattr(node, "children")
                        else folder.replace("_", " ").capitalize()
                    )
                    or folder,
                    "wording": " ".join(str(node.metadata.get("letter_wording", "")).split())
                    if hasattr(node, "children")
                    else "",
                    "fields": fields,
                }
            )
    return groups


shown_value = render_values.by_kind  # 14%, £80,000, 4 (days), or a code or name


def _unit_text(kind: str, unit: str) -> str:
    return determinations.unit_plural(unit) if kind == "count" and unit else ""


def sweepable(whatif: WhatIf) -> list[dict]:
    from openfisca_grants.simulation import tax_benefit_system

    system = tax_benefit_system()
    found = []
    for row in reforms.changeable_parameters(year=whatif.year):
        parameter = reforms.find_parameter(system, row["parameter"])[1]
        kind = reforms.parameter_kind(row["parameter"], parameter)
        if kind in reforms.NUMERIC_KINDS:
            found.append(
                {
                    "path": _short(row["parameter"]),
                    "label": row["description"],
                    "kind": kind,
                    "value": row["value"],
                }
            )
    rates = [s for s in found if s["kind"] == "rate"]
    for item in found:  # the form's range starts as a rate's, 0 to 0.3: a rate is chosen first
        item["selected"] = item is (rates or found)[0]
    return found


def _current_value(whatif: WhatIf, path: str) -> float | None:
    for change in whatif.changes:
        if change.path == path:
            return float(change.value)
    for row in reforms.changeable_parameters(year=whatif.year):
        if row["parameter"] == path:
            return float(row["value"])
    return None


def reconciliation(year) -> list[dict]:
    return [r.as_dict() for r in use_cases.reconcile(year)]


def results_context(whatif: WhatIf) -> dict:
    """Baseline (no change) or baseline against the what-if, per determination, with a chart."""
    if whatif.spec is None:
        tables = []
        allocations = use_cases.allocations(whatif.case)
        for determination in whatif.case.determinations():
            paid = [a for a in allocations if a.determination.number == determination.number]
            rows = [
                {
                    "code": a.code,
                    "name": a.name,
                    "baseline": decimal_pounds(a.pence),
                    "reform": decimal_pounds(a.pence),
                    "difference": "0.00",
                    "difference_percent": 0.0,
                }
                for a in paid
            ]
            total = decimal_pounds(sum(a.pence for a in paid))
            tables.append(
                {
                    "determination": determination,
                    "paid_per": determination.paid_per,
                    "rows": rows,
                    "total": {
                        "name": "Total",
                        "baseline": total,
                        "reform": total,
                        "difference": "0.00",
                        "difference_percent": 0.0,
                    },
                    "factor": None,
                    "changes_nothing": True,
                    "unread": [],
                }
            )
        return {
            "whatif": whatif,
            "changed": False,
            "tables": tables,
            "query": whatif.query(),
            "draft_label": determinations.DRAFT_LABEL,
        }
    tables = []
    for comparison in compare_whatif(whatif):
        data = comparison.as_dict()
        tables.append(
            {
                "determination": comparison.determination,
                "paid_per": comparison.paid_per,
                "rows": data["rows"],
                "total": data["total"],
                "factor": comparison.budget_neutral_factor,
                "changes_nothing": comparison.changes_nothing,
                "unread": comparison.unread_changes,
                "chart": difference_chart(data["rows"]),
            }
        )
    return {
        "whatif": whatif,
        "changed": True,
        "tables": tables,
        "query": whatif.query(),
        "draft_label": determinations.DRAFT_LABEL,
    }


# ---- charts as inline SVG (no script, no request outside the server) --------------------------


def pounds(amount: str) -> str:
    """ "322800.00" -> "£322,800.00" (exact: from the decimal string, through integer pence)."""
    return format_pounds(to_pence(amount))


def difference_chart(rows: list[dict]) -> Markup:
    """Each body's difference as a bar either side of zero, labelled in £ and %."""
    pence = [to_pence(r["difference"]) for r in rows]
    widest = max((abs(p) for p in pence), default=0) or 1
    # Names on the left, bars either side of zero in the middle, each label in its own column on
    # the right, so that no label overlaps a name or a bar.
    row_height, label_width, half, value_width = 26, 230, 200, 200
    width, height = label_width + 2 * half + value_width, row_height * len(rows) + 40
    zero = label_width + half
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-title"><title id="chart-title">Difference from the baseline, by body</title>',
        f'<line x1="{zero}" y1="10" x2="{zero}" y2="{height - 20}" stroke="#333"/>',
    ]
    for index, (row, amount) in enumerate(zip(rows, pence, strict=True)):
        y = 20 + index * row_height
        length = half * abs(amount) / widest
        x = zero if amount >= 0 else zero - length
        colour = PALETTE[0] if amount >= 0 else PALETTE[5]
        percent = row["difference_percent"]
        label = pounds(row["difference"]) + ("" if percent is None else f" ({percent:+.2f}%)")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="13">{escape(row["name"][:32])}</text>'
        )
        if amount:
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{max(length, 1):.1f}" height="{row_height - 8}" fill="{colour}"/>'
            )
        parts.append(f'<text x="{zero + half + 10}" y="{y + 15}" font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sweep_context(result: dict, current: float | None) -> dict:
    return {"result": result, "chart": sweep_chart(result, current), "current": current}


def sweep_chart(result: dict, current: float | None) -> Markup:
    """Each body's grant across the swept values, one line each, the current value marked."""
    values = result["values"]
    amounts = [[float(a) for a in row] for row in result["amounts"]]
    bodies = result["bodies"]
    low, high = min(values), max(values)
    flat = [a for row in amounts for a in row]
    # The axis spans the amounts (labelled), not from £0: a £4,800 change on £318,000 stays visible.
    spread = (max(flat) - min(flat)) or max(abs(max(flat)), 1.0)
    bottom, top = min(flat) - spread * 0.05, max(flat) + spread * 0.05
    width, height, left, right, upper, lower = 760, 360, 90, 200, 20, 50
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(value):
        return left + (plot_w * (value - low) / (high - low) if high > low else plot_w / 2)

    def y(amount):
        return upper + plot_h * (1 - (amount - bottom) / (top - bottom))

    rate = result["parameter"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" aria-labelledby="sweep-title">'
        f'<title id="sweep-title">Each body\'s grant as {escape(rate)} varies</title>',
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" stroke="#333"/>',
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#333"/>',
    ]
    for tick in range(5):
        amount = bottom + (top - bottom) * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(amount) + 4:.1f}" text-anchor="end" font-size="11">{escape(_pounds_short(amount))}</text>'
        )
        value = low + (high - low) * tick / 4
        parts.append(
            f'<text x="{x(value):.1f}" y="{upper + plot_h + 18}" text-anchor="middle" font-size="11">{value:g}</text>'
        )
    for index, body in enumerate(bodies):
        colour = PALETTE[index % len(PALETTE)]
        dash = "" if index < len(PALETTE) else ' stroke-dasharray="4 3"'
        points = " ".join(f"{x(v):.1f},{y(row[index]):.1f}" for v, row in zip(values, amounts, strict=True))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{points}"/>')
        if index < 24:
            parts.append(
                f'<text x="{left + plot_w + 10}" y="{upper + 12 + index * 14}" font-size="11" fill="{colour}">&#9632; '
                f"{escape(body['name'][:28])}</text>"
            )
    if current is not None and low <= current <= high and math.isfinite(current):
        parts.append(
            f'<line x1="{x(current):.1f}" y1="{upper}" x2="{x(current):.1f}" y2="{upper + plot_h}" stroke="#000" stroke-dasharray="6 4"/>'
            f'<text x="{x(current) + 4:.1f}" y="{upper + 12}" font-size="11">current {current:g}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _pounds_short(amount: float) -> str:
    return f"£{amount:,.0f}"


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
