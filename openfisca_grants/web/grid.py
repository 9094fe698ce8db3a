"""Two rules swept together on the page: a grid of values (``sweep.grid_sweep``, the command line's
``grid``), drawn as a heatmap of the total or of one body's grant, with the table of figures, and
downloaded as the command line's chart (PNG, SVG).

The request is the page's what-if (its query) plus the grid's own fields: ``grid_first``,
``grid_first_from``, ``grid_first_to``, ``grid_first_steps``, the same for ``grid_second``, and
``grid_body`` (``total`` or a body's code). Each is checked here, a refusal naming its field.
"""

from __future__ import annotations

import pathlib

from flask import Blueprint, render_template, request

from openfisca_grants import boundary
from openfisca_grants.errors import RulesCannotAnswer

routes = Blueprint("grid", __name__)

# On the page a grid is for reading: 25 x 25 cells is as many as a screen shows.
MAX_GRID_STEPS = 25
FIELDS = tuple(
    f"grid_{axis}{part}" for axis in ("first", "second") for part in ("", "_from", "_to", "_steps")
) + ("grid_body",)
# Cividis: a sequential scale colour-blind readers see the same way (the command line's grid chart).
SCALE = [
    "#00224e",
    "#123570",
    "#3b496c",
    "#575d6d",
    "#707173",
    "#8a8779",
    "#a69d75",
    "#c4b56c",
    "#e4cf5b",
    "#fee838",
]


class _FieldRefusal(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _checked(args):
    """The grid asked for, each field checked: ((paths), (values, values), body)."""
    import numpy

    from openfisca_grants import reforms
    from openfisca_grants.simulation import tax_benefit_system

    paths, values = [], []
    for axis in ("first", "second"):
        name = f"grid_{axis}"
        path = args.get(name, "").strip()
        try:
            full, parameter = reforms.find_parameter(tax_benefit_system(), path)
            if reforms.parameter_kind(full, parameter) not in reforms.NUMERIC_KINDS:
                raise RulesCannotAnswer(f"{path} is not a number: a grid sweeps numbers.")
        except RulesCannotAnswer as error:
            raise _FieldRefusal(name, str(error)) from None
        try:
            low = boundary.finite_float(args.get(f"{name}_from", ""), "From")
        except RulesCannotAnswer as error:
            raise _FieldRefusal(f"{name}_from", str(error)) from None
        try:
            high = boundary.finite_float(args.get(f"{name}_to", ""), "To")
        except RulesCannotAnswer as error:
            raise _FieldRefusal(f"{name}_to", str(error)) from None
        try:
            steps = boundary.whole_number(
                args.get(f"{name}_steps", ""), "Number of values", 1, MAX_GRID_STEPS, "a number of values"
            )
        except RulesCannotAnswer as error:
            raise _FieldRefusal(f"{name}_steps", str(error)) from None
        paths.append(full)
        values.append(numpy.round(numpy.linspace(low, high, steps), 12))
    if paths[0] == paths[1]:
        raise _FieldRefusal("grid_second", "Choose a second rule other than the first.")
    body = args.get("grid_body", "total").strip() or "total"
    return tuple(paths), tuple(values), body


def _grid_answered(respond):
    """``respond(result, body)`` to the grid the page's query asks for (the page's what-if and
    the grid's fields, each checked); or the refusal, naming its field."""
    from openfisca_grants import use_cases
    from openfisca_grants.web import whatif_form

    own = {key: request.args.get(key, "") for key in FIELDS}
    rest = request.args.copy()
    for key in FIELDS:
        rest.pop(key, None)
    whatif = whatif_form.whatif_from_query(rest)
    if whatif.errors:
        return whatif_form._error(400, "Some values cannot be used.", fields=whatif.errors)
    try:
        paths, values, body = _checked(own)
        result = use_cases.grid(whatif.case, list(paths), list(values))
        if body != "total" and body not in result.codes:
            raise _FieldRefusal("grid_body", f"{body[:40]!r} is not a body of this grid.")
    except _FieldRefusal as refusal:
        return whatif_form._error(400, str(refusal), fields={refusal.field: str(refusal)})
    except RulesCannotAnswer as error:
        return whatif_form._error(400, str(error), fields={"grid_first": str(error)})
    return respond(result, body)


@routes.get("/page/grid")
def page_grid():
    def page(result, body):
        context = grid_context(result, body)
        return render_template("grants_grid.html", grid=context, query=request.query_string.decode())

    return _grid_answered(page)


@routes.get("/download/grid.png")
@routes.get("/download/grid.svg")
def download_grid():
    from openfisca_grants.charts import grid_chart
    from openfisca_grants.web.downloads import _file

    suffix = pathlib.PurePosixPath(request.path).suffix

    def chart(result, body):
        chosen = None if body == "total" else body
        return _file(suffix, lambda path: grid_chart(result, path, chosen), f"grid{suffix}")

    return _grid_answered(chart)


def grid_context(result, body: str) -> dict:
    """The heatmap and its table: the amount in each cell, in pence and as written."""
    from openfisca_grants.web.rule_fields import component_and_label, short_label
    from openfisca_grants.web.sweep_chart import swept_kind, value_as_written

    kinds = [swept_kind(p, result.year) for p in result.parameters]
    labels = [component_and_label(p) for p in result.parameters]
    if body == "total":
        pence = result.pence.sum(axis=2)
        whose = "Total grant"
    else:
        index = result.codes.index(body)
        pence = result.pence[:, :, index]
        whose = f"Grant to {result.names[index]}"
    first, second = result.values
    rows = [
        {
            "value": value_as_written(float(v), kinds[0]),
            "cells": [int(pence[i, j]) for j in range(len(second))],
        }
        for i, v in enumerate(first)
    ]
    return {
        "whose": whose,
        "labels": labels,
        "first": [value_as_written(float(v), kinds[0]) for v in first],
        "second": [value_as_written(float(v), kinds[1]) for v in second],
        "rows": rows,
        "chart": heatmap(
            rows,
            [short_label(p, p.split(".")[2]) for p in result.parameters],
            [value_as_written(float(v), kinds[1]) for v in second],
            whose,
        ),
        "year": result.year.label,
        "method": result.method,
        "bodies": list(zip(result.codes, result.names, strict=True)),
        "body": body,
    }


def _pounds(pence: int) -> str:
    from openfisca_grants.money import format_pounds

    return format_pounds(pence)


def heatmap(rows: list[dict], labels: list[str], columns: list[str], whose: str):
    """The grid as an SVG heatmap: the first rule down, the second across, a scale beside it."""
    from markupsafe import Markup, escape

    values = [cell for row in rows for cell in row["cells"]]
    low, high = min(values), max(values)
    cell_w, cell_h = max(18, min(60, 520 // max(len(columns), 1))), max(14, min(36, 320 // max(len(rows), 1)))
    left, top = 180, 34
    width = left + cell_w * len(columns) + 170
    height = top + cell_h * len(rows) + 70

    def colour(pence: int) -> str:
        if high == low:
            return SCALE[len(SCALE) // 2]
        return SCALE[min(len(SCALE) - 1, int((pence - low) / (high - low) * len(SCALE)))]

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="grid-title"><title id="grid-title">{escape(whose)} as {escape(labels[0])} '
        f"and {escape(labels[1])} vary: from {escape(_pounds(low))} to {escape(_pounds(high))}</title>"
    ]
    step_rows = max(1, len(rows) // 10)
    step_columns = max(1, len(columns) // 8)
    for i, row in enumerate(rows):
        y = top + i * cell_h
        for j, pence in enumerate(row["cells"]):
            parts.append(
                f'<rect x="{left + j * cell_w}" y="{y}" width="{cell_w}" height="{cell_h}" '
                f'fill="{colour(pence)}"/>'
            )
        if i % step_rows == 0:
            parts.append(
                f'<text x="{left - 6}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end" font-size="11" '
                f'fill="#0b0c0c">{escape(row["value"])}</text>'
            )
    bottom = top + cell_h * len(rows)
    for j, text in enumerate(columns):
        if j % step_columns == 0:
            parts.append(
                f'<text x="{left + j * cell_w + cell_w / 2:.1f}" y="{bottom + 16}" text-anchor="middle" '
                f'font-size="11" fill="#0b0c0c">{escape(text)}</text>'
            )
    parts.append(
        f'<text x="{left + cell_w * len(columns) / 2:.1f}" y="{bottom + 40}" text-anchor="middle" '
        f'font-size="13" fill="#0b0c0c">{escape(labels[1])} (across)</text>'
        f'<text x="4" y="{top - 12}" font-size="13" fill="#0b0c0c">'
        f"{escape(labels[0])} (down)</text>"
    )
    key_x = left + cell_w * len(columns) + 20
    for k, shade in enumerate(reversed(SCALE)):
        parts.append(f'<rect x="{key_x}" y="{top + k * 16}" width="16" height="16" fill="{shade}"/>')
    parts.append(
        f'<text x="{key_x + 22}" y="{top + 12}" font-size="11" fill="#0b0c0c">{escape(_pounds(high))}</text>'
        f'<text x="{key_x + 22}" y="{top + 16 * len(SCALE) - 4}" font-size="11" fill="#0b0c0c">'
        f"{escape(_pounds(low))}</text>"
    )
    parts.append("</svg>")
    return Markup("".join(parts))
