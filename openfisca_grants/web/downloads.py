"""The page's downloads and references: the what-if as an Excel workbook (the command line's
``--output``), each comparison chart as PNG or SVG (the command line's ``--chart``), the letters'
text, and the documentation site.

Every download is the what-if its link holds (the page's query: ``year``, ``PATH=VALUE`` pairs,
``budget_neutral=yes``, ``name``), read and checked exactly as the page reads it; a refusal is a
400 naming the field, never a file of wrong figures.
"""

from __future__ import annotations

import dataclasses
import pathlib
import tempfile

from flask import Blueprint, Response, request, send_from_directory

from openfisca_grants import determinations
from openfisca_grants.errors import RulesCannotAnswer

routes = Blueprint("downloads", __name__)

# Where the documentation site is built (README: sphinx -b html docs docs/_build/html); another
# folder may be given with OPENFISCA_GRANTS_DOCS.
DOCS_ENVIRONMENT = "OPENFISCA_GRANTS_DOCS"
MEDIA_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def _whatif():
    """The what-if of the link, its spec named as the page names it; or a refusal (a response)."""
    from openfisca_grants.web import presentation, whatif_form

    whatif = whatif_form.whatif_from_query(request.args)
    problem = presentation.name_error(request.args)
    if problem:
        whatif.errors["name"] = problem
    if whatif.errors or whatif.spec is None:
        return None, whatif_form._error(
            400, "Nothing to download: " + ("; ".join(whatif.errors.values()) or "change a rule first.")
        )
    name = presentation.whatif_name(request.args)
    spec = whatif.spec
    if name:
        spec = dataclasses.replace(spec, name=name)
    return (whatif, spec), None


def _file(suffix: str, write, filename: str) -> Response:
    with tempfile.TemporaryDirectory(prefix="openfisca-grants-") as folder:
        path = pathlib.Path(folder) / f"download{suffix}"
        write(path)
        data = path.read_bytes()
    return Response(
        data,
        mimetype=MEDIA_TYPES[suffix],
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


def _comparisons():
    """The link's what-if compared (``use_cases.compare``), its spec named as the page names it;
    or a refusal (a response)."""
    from openfisca_grants import use_cases
    from openfisca_grants.web import whatif_form

    found, refusal = _whatif()
    if refusal is not None:
        return None, refusal
    whatif, spec = found
    try:
        return (whatif, spec, use_cases.compare(dataclasses.replace(whatif.case, spec=spec))), None
    except RulesCannotAnswer as error:
        return None, whatif_form._error(400, str(error))


@routes.get("/download/comparison.xlsx")
def workbook():
    from openfisca_grants.excel import comparison_workbook

    found, refusal = _comparisons()
    if refusal is not None:
        return refusal
    whatif, spec, comparisons = found
    return _file(".xlsx", lambda path: comparison_workbook(comparisons, spec, path), "comparison.xlsx")


@routes.get("/download/comparison.png")
@routes.get("/download/comparison.svg")
def chart():
    from openfisca_grants.charts import comparison_chart
    from openfisca_grants.web import whatif_form

    suffix = pathlib.PurePosixPath(request.path).suffix
    number = request.args.get("determination", "")
    args = request.args.copy()
    args.pop("determination", None)
    request.args = args  # the what-if, without the chart's own field
    found, refusal = _comparisons()
    if refusal is not None:
        return refusal
    whatif, spec, comparisons = found
    chosen = [c for c in comparisons if c.determination.number == number] if number else comparisons[:1]
    if not chosen:
        return whatif_form._error(
            400,
            f"determination: {number[:40]!r} is not a determination of {whatif.year.label}. "
            "Determinations: " + ", ".join(c.determination.number for c in comparisons) + ".",
        )
    slug = chosen[0].determination.number.replace("/", "_")
    return _file(suffix, lambda path: comparison_chart(chosen[0], path), f"comparison_{slug}{suffix}")


@routes.get("/download/side_by_side.csv")
@routes.get("/download/side_by_side.xlsx")
def side_by_side_download():
    """The two what-ifs side by side (the page's B, and A kept as ``kept=``) against the published
    figures, as CSV or an Excel workbook: both what-ifs, each named in words. Without a kept what-if
    there is nothing side by side: refused, saying so."""
    from openfisca_grants.render import csv as render_csv
    from openfisca_grants.web import presentation, side_by_side, whatif_form

    suffix = pathlib.PurePosixPath(request.path).suffix
    current = whatif_form.whatif_from_query(request.args)
    problem = presentation.name_error(request.args)
    if problem:
        current.errors["name"] = problem
    if current.errors:
        return whatif_form._error(400, "Nothing to download: " + "; ".join(current.errors.values()))
    try:
        side = side_by_side.context(request.args, current)
    except RulesCannotAnswer as error:
        return whatif_form._error(400, "Nothing to download: " + str(error))
    if side is None:
        return whatif_form._error(
            400, "kept: nothing is side by side: keep a what-if as A (kept=its query) to compare it with B."
        )
    if suffix == ".csv":
        text = render_csv.text(render_csv.write_dicts, side_by_side.CSV_COLUMNS, side_by_side.csv_rows(side))
        disposition = {"Content-Disposition": "attachment; filename=side_by_side.csv"}
        return Response(text, mimetype="text/csv", headers=disposition)
    return _file(suffix, lambda path: side_by_side.workbook(side, path), "side_by_side.xlsx")


@routes.get("/download/sweep.png")
@routes.get("/download/sweep.svg")
def sweep_chart():
    """The page's sweep as the command line draws it (``sweep --chart``): the same what-if and
    range the page's sweep form sends (``sweep_parameter``, ``sweep_from``, ``sweep_to``,
    ``sweep_steps``), checked as the page checks them."""
    from openfisca_grants.charts import sweep_chart as draw
    from openfisca_grants.web import json_api, whatif_form

    suffix = pathlib.PurePosixPath(request.path).suffix
    fields = ("sweep_parameter", "sweep_from", "sweep_to", "sweep_steps")
    given = {key: request.args.get(key, "") for key in fields}
    args = request.args.copy()
    for key in fields:
        args.pop(key, None)
    request.args = args  # the what-if, without the sweep's own fields
    whatif = whatif_form.whatif_from_query(request.args)
    if whatif.errors:
        return whatif_form._error(400, "Some values cannot be used.", fields=whatif.errors)
    try:
        result = json_api.swept(
            whatif,
            given["sweep_parameter"],
            given["sweep_from"],
            given["sweep_to"],
            given["sweep_steps"],
            names=("sweep_from", "sweep_to", "sweep_steps"),
        )
    except RulesCannotAnswer as error:
        return whatif_form._error(400, str(error))
    return _file(suffix, lambda path: draw(result, path), f"sweep{suffix}")


@routes.get("/letters/<key>.txt")
def letter(key: str):
    """A determination's letter, verbatim, as the package ships it (the legal record)."""
    from openfisca_grants.web import whatif_form

    found = [d for d in determinations.catalogue() if d.key == key and d.letter.file]
    if not found:
        letters = [f"/letters/{d.key}.txt" for d in determinations.catalogue() if d.letter.file]
        return whatif_form._error(
            404, f"No letter is called {key[:80]!r}. Letters: " + ", ".join(letters) + "."
        )
    sources = pathlib.Path(__file__).resolve().parent.parent / "sources"
    text = (sources / found[0].letter.file).read_text(encoding="utf-8")
    return Response(text, mimetype="text/plain", headers={"Content-Language": "en-GB"})


def docs_folder() -> pathlib.Path:
    import os

    given = os.environ.get(DOCS_ENVIRONMENT)
    if given:
        return pathlib.Path(given)
    return pathlib.Path(__file__).resolve().parents[2] / "docs" / "_build" / "html"


@routes.get("/docs")
def docs_home():
    # OpenFisca's app sends /docs/ to /docs (it strips a trailing slash); the site's pages link to
    # each other relatively, so its home is opened at its own name.
    from flask import redirect

    return redirect("/docs/index.html")


@routes.get("/docs/<path:name>")
def docs(name: str):
    """The documentation site, where it has been built; otherwise a page saying how to build it."""
    folder = docs_folder()
    if (folder / "index.html").is_file():
        return send_from_directory(folder, name)
    from flask import render_template

    return render_template("grants_docs_missing.html", folder=str(folder)), 404
