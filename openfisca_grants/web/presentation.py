"""What the what-if page shows, worked out from the catalogue and parameter metadata: plain labels,
the letter's costing folded apart from the rules that pay, the answer's summary, the error summary.

Nothing here computes a grant or reads a request: it arranges what ``app`` has already worked out.
Nothing names a determination.
"""

from __future__ import annotations

import functools

from openfisca_grants import determinations, reforms
from openfisca_grants.errors import RulesCannotAnswer

COSTING_WORDS = "The letter's costing (changes no payment)"


def field_id(path: str) -> str:
    """The page's id of a rule's field: ``p-`` and its path with dashes (ids stay CSS-safe)."""
    return "p-" + path.replace(".", "-")


def short_label(path: str, folder: str) -> str:
    """A rule's plain label from its path within its component: ``costing.day_rate`` -> "Day rate"."""
    parts = path.split(".")
    rest = parts[parts.index(folder) + 1 :] if folder in parts else parts[-1:]
    rest = [part for part in rest if part != "costing"] or parts[-1:]
    words = " ".join(part.replace("_", " ") for part in rest)
    return words[:1].upper() + words[1:]


@functools.lru_cache(maxsize=32)
def read_by_the_grants(year_label: str) -> frozenset[str]:
    """Every parameter a formula reads when the year's grants are worked out under the letter's
    rules: a rule outside this set changes no payment, whatever its value."""
    from openfisca_grants.financial_year import FinancialYear
    from openfisca_grants.openfisca_adapter import tracing
    from openfisca_grants.simulation import build_simulation

    year = FinancialYear.parse(year_label)
    simulation = build_simulation(year)
    tracing.start_tracing(simulation)
    for determination in determinations.for_year(year):
        try:
            simulation.calculate(determination.grant_variable, year.period)
        except RulesCannotAnswer:  # a formula not yet encoded reads nothing; the page says why
            continue
    return frozenset(tracing.parameters_read(simulation))


def costing_paths(determination) -> set[str]:
    """The full paths of a determination's costing checks' figures (the letter's working): a
    figure among them that no formula reads is shown apart, as changing no payment."""
    return {
        f"{determination.parameters_path}.{path}"
        for check in determination.costing_checks
        for path in (check.stated, *check.factors)
        if path != determinations.REGIONS_FACTOR
    }


def arrange(groups: list[dict], year) -> list[dict]:
    """Each component's fields split into the rules that pay (``fields``) and the letter's costing
    that no formula reads (``costing``), each with a plain ``short_label`` and its ``hint``."""
    if not groups:
        return groups
    read = read_by_the_grants(year.label)
    arranged = []
    for group in groups:
        determination = group["determination"]
        costing = costing_paths(determination)
        paying, working = [], []
        for field in group["fields"]:
            full = f"determinations.{field['path']}"
            folder = field["path"].split(".")[1] if "." in field["path"] else field["path"]
            field = {**field, "short_label": short_label(field["path"], folder), "hint": field["label"]}
            (working if full in costing and full not in read else paying).append(field)
        arranged.append({**group, "fields": paying, "costing": working, "costing_words": COSTING_WORDS})
    return arranged


def error_summary(whatif, groups: list[dict]) -> list[dict]:
    """Each refusal as the error summary lists it: its message and the id of its field."""
    ids = {f["path"]: f["id"] for g in groups for f in [*g["fields"], *g.get("costing", [])]}
    ids |= {
        "year": "year",
        "budget_neutral": "budget_neutral",
        "changes": "rules-title",
        "name": "whatif_name",
    }
    return [
        {"text": text, "href": "#" + ids.get(path, "rules-title")} for path, text in whatif.errors.items()
    ]


def answer(results: dict | None) -> list[dict]:
    """The answer beside the rules: for each determination, its totals and each body that changes."""
    if not results:
        return []
    summary = []
    for table in results["tables"]:
        changed = [row for row in table["rows"] if row["difference"] != "0.00"]
        summary.append(
            {
                "determination": table["determination"],
                "paid_per": table["paid_per"].replace("_", " "),
                "total": table["total"],
                "changed": changed,
                "unchanged": len(table["rows"]) - len(changed),
                "factor": table["factor"],
            }
        )
    return summary


# ---- the page's context, added to what ``app`` works out ------------------------------------

# Longer than any value a rule takes (the longest authority name is under 60 characters); the
# browser refuses more before sending (maxlength), and the server reads at most this.
MAX_VALUE_CHARACTERS = 200
MAX_NAME_CHARACTERS = 100
MAX_KEPT_CHARACTERS = 8 * 1024  # the kept what-if (A): its own query
LIMITS = {"value": MAX_VALUE_CHARACTERS, "name": MAX_NAME_CHARACTERS}


def whatif_name(args) -> str:
    """The what-if's name from the link (``name=``), checked: printable text, at most 100 characters."""
    return " ".join(str(args.get("name", "")).split())


def name_error(args) -> str:
    values = args.getlist("name")
    if len(values) > 1:
        return "The what-if's name is given more than once: say which you mean."
    name = values[0] if values else ""
    if len(name) > MAX_NAME_CHARACTERS:
        return f"The what-if's name is {len(name):,} characters: give at most {MAX_NAME_CHARACTERS}."
    if any(not character.isprintable() for character in name):
        return "The what-if's name has a control character: give plain text."
    return ""


def with_name(query: str, name: str) -> str:
    from urllib.parse import urlencode

    return query + ("&" + urlencode({"name": name}) if name else "")


def describe_changes(whatif) -> list[dict]:
    """Each change in words: its component and rule, the value given and the letter's."""
    from openfisca_grants.simulation import tax_benefit_system
    from openfisca_grants.web.page_context import shown_value

    system = tax_benefit_system()
    rows = {r["parameter"]: r for r in reforms.changeable_parameters(year=whatif.year)}
    described = []
    for path, value in whatif.given.items():
        full = "determinations." + path.removeprefix("determinations.")
        parts = full.split(".")
        component = parts[2].replace("_", " ").capitalize() if len(parts) > 3 else ""
        label = short_label(full, parts[2]) if len(parts) > 3 else parts[-1]
        baseline = ""
        if full in rows:
            parameter = reforms.find_parameter(system, full)[1]
            baseline = shown_value(reforms.parameter_kind(full, parameter), rows[full]["value"])
        described.append(
            {"label": f"{component}: {label}" if component else label, "value": value, "baseline": baseline}
        )
    return described


def extend_results(results: dict | None, args) -> dict | None:
    """The results' context with the answer's summary, the changes in words and the name."""
    if results is None:
        return None
    name = whatif_name(args)
    results["name"] = name
    results["query"] = with_name(results["query"], name)
    results["answer"] = answer(results)
    results["change_labels"] = describe_changes(results["whatif"]) if results["changed"] else []
    results["query_without_kept"] = results["query"]
    results["query"] = with_kept(results["query"], args)
    from openfisca_grants.web import side_by_side

    try:
        results["side"] = side_by_side.context(args, results["whatif"])
    except RulesCannotAnswer as error:
        results["side"] = {"error": str(error)}
    return results


def with_kept(query: str, args) -> str:
    """The page's query with the kept what-if (A), if any, so that a link reproduces both."""
    from urllib.parse import urlencode

    kept = args.get("kept", "")
    return query + ("&" + urlencode({"kept": kept}) if kept else "")


def sweep_defaults(items: list[dict], whatif=None) -> dict:
    """Each sweepable rule's plain label and a range around its current value (the what-if's,
    where it changes the rule), as the fields write it (a rate in %, money in £): from none to
    twice the value, or to at least 30% for a rate."""
    current = {c.path.removeprefix("determinations."): c.value for c in (whatif.changes if whatif else [])}
    for item in items:
        if item["path"] in current and isinstance(current[item["path"]], (int, float)):
            item["value"] = current[item["path"]]
        parts = ("determinations." + item["path"]).split(".")
        item["short_label"] = (
            f"{parts[2].replace('_', ' ').capitalize()}: {short_label('.'.join(parts), parts[2])}"
        )
        value = float(item["value"])
        if item["kind"] == "rate":
            item["from"], item["to"] = "0%", f"{min(100, max(30, round(value * 200))):g}%"
        elif item["kind"] == "money":
            item["from"], item["to"] = "£0", f"£{max(value * 2, 1):,.0f}"
        else:
            item["from"], item["to"] = "0", f"{max(int(value) * 2, 1)}"
    chosen = next((i for i in items if i.get("selected")), items[0] if items else None)
    return {"from": chosen["from"], "to": chosen["to"]} if chosen else {"from": "", "to": ""}


def page_context(context: dict, whatif, args) -> dict:
    """What the GOV.UK layout adds to ``app.page``'s context."""
    context["groups"] = arrange(context["groups"], whatif.year) if whatif.year else []
    problem = name_error(args)
    if problem:
        whatif.errors["name"] = problem
    context["whatif_name"] = whatif_name(args)[:MAX_NAME_CHARACTERS]
    context["error_summary"] = error_summary(whatif, context["groups"])
    context["limits"] = LIMITS
    context["results"] = extend_results(context["results"], args) if not problem else None
    context["sweep_default"] = sweep_defaults(context["sweepable"], whatif)
    # The grid starts on the first two rules that pay (a rate and an amount where there are).
    numeric = context["sweepable"]
    read = read_by_the_grants(whatif.year.label) if whatif.year else frozenset()
    paying = [i for i, s in enumerate(numeric) if "determinations." + s["path"] in read]
    paying.sort(key=lambda i: not numeric[i].get("selected"))
    if paying:  # the second from the first's component where it has another
        component = numeric[paying[0]]["path"].split(".")[1]
        paying[1:] = sorted(paying[1:], key=lambda i: numeric[i]["path"].split(".")[1] != component)
    context["grid_default"] = (paying + [i for i in range(len(numeric)) if i not in paying])[:2]
    if len(context["grid_default"]) < 2:
        context["grid_default"] = [0, 0]
    return context


def signed_pounds(amount) -> str:
    """ "4800.00" -> "+£4,800.00"; "-12.50" -> "-£12.50"; "0.00" -> "£0.00"."""
    from openfisca_grants.web.inline_charts import pounds

    text = str(amount)
    if text.startswith("-"):
        return "-" + pounds(text[1:])
    return ("+" if text.strip("0.") else "") + pounds(text)


def install(app) -> None:
    """The page's filters and its query clean-up, added to the app."""
    from flask import request
    from werkzeug.datastructures import ImmutableMultiDict

    app.add_template_filter(signed_pounds, "signed_pounds")
    app.add_template_global(sweep_figure, "sweep_figure")
    app.add_template_global(swept_kind, "swept_kind")
    app.add_template_global(value_as_written, "value_as_written")
    app.add_template_global(short_label, "short_label")
    from openfisca_grants.money import format_pounds

    app.add_template_global(format_pounds, "pence_pounds")

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


# ---- the sweep: values as the rule's field writes them, a chart with titled axes --------------

# Colour-blind-safe (Okabe and Ito) lines, each with a dash pattern of its own, and a legend in
# dark text beside a swatch: the legend's words never depend on the line's colour for contrast.
SWEEP_COLOURS = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#882255",
    "#999999",
]
SWEEP_DASHES = ["", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2", "8 3 2 3", "4 4"]


def swept_kind(parameter: str, year) -> str:
    """The swept rule's kind (money, rate, count), from its metadata."""
    from openfisca_grants.simulation import tax_benefit_system

    found = reforms.find_parameter(tax_benefit_system(), parameter)
    return reforms.parameter_kind(found[0], found[1])


def value_as_written(value: float, kind: str) -> str:
    """A swept value as the rule's field writes it: 14%, £80,000, 4."""
    if kind == "rate":
        return f"{round(value * 100, 8):g}%"
    if kind == "money":
        text = f"£{value:,.2f}"
        return text.removesuffix(".00")
    return f"{value:g}"


def sweep_figure(result: dict, current: float | None):
    """Each body's grant across the swept values as an SVG line chart, its axes titled, the
    current value marked, the values written as the rule's field writes them."""
    import math

    from markupsafe import Markup, escape

    parameter = result["parameter"]
    kind = swept_kind(parameter, result["financial_year"])
    label = short_label(parameter, parameter.split(".")[2]) if parameter.count(".") >= 3 else parameter
    values = result["values"]
    amounts = [[float(a) for a in row] for row in result["amounts"]]
    bodies = result["bodies"]
    low, high = min(values), max(values)
    flat = [a for row in amounts for a in row]
    spread = (max(flat) - min(flat)) or max(abs(max(flat)), 1.0)
    bottom, top = min(flat) - spread * 0.05, max(flat) + spread * 0.05
    width, height, left, right, upper, lower = 760, 380, 100, 210, 20, 70
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(value):
        return left + (plot_w * (value - low) / (high - low) if high > low else plot_w / 2)

    def y(amount):
        return upper + plot_h * (1 - (amount - bottom) / (top - bottom))

    unit = {"rate": " (%)", "money": " (£)"}.get(kind, "")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="sweep-title">'
        f'<title id="sweep-title">Each body\'s grant as {escape(label)} goes from '
        f"{escape(value_as_written(low, kind))} to {escape(value_as_written(high, kind))}</title>",
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" '
        'stroke="#0b0c0c"/>',
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#0b0c0c"/>',
        f'<text x="{left + plot_w / 2}" y="{height - 12}" text-anchor="middle" font-size="13" '
        f'fill="#0b0c0c">{escape(label)}{unit}</text>',
        f'<text x="16" y="{upper + plot_h / 2}" text-anchor="middle" font-size="13" fill="#0b0c0c" '
        f'transform="rotate(-90 16 {upper + plot_h / 2})">Grant (£)</text>',
    ]
    for tick in range(5):
        amount = bottom + (top - bottom) * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(amount) + 4:.1f}" text-anchor="end" font-size="11" fill="#0b0c0c">'
            f"£{amount:,.0f}</text>"
        )
        value = low + (high - low) * tick / 4
        parts.append(
            f'<text x="{x(value):.1f}" y="{upper + plot_h + 18}" text-anchor="middle" font-size="11" '
            f'fill="#0b0c0c">{escape(value_as_written(value, kind))}</text>'
        )
    for index, body in enumerate(bodies):
        colour = SWEEP_COLOURS[index % len(SWEEP_COLOURS)]
        dash = SWEEP_DASHES[index % len(SWEEP_DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        points = " ".join(f"{x(v):.1f},{y(row[index]):.1f}" for v, row in zip(values, amounts, strict=True))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dashed} points="{points}"/>'
        )
        if index < 24:
            key_y = upper + 10 + index * 16
            parts.append(
                f'<line x1="{left + plot_w + 10}" y1="{key_y}" x2="{left + plot_w + 34}" y2="{key_y}" '
                f'stroke="{colour}" stroke-width="3"{dashed}/>'
                f'<text x="{left + plot_w + 40}" y="{key_y + 4}" font-size="11" fill="#0b0c0c">'
                f"{escape(body['name'][:26])}</text>"
            )
    if current is not None and math.isfinite(current) and low <= current <= high:
        parts.append(
            f'<line x1="{x(current):.1f}" y1="{upper}" x2="{x(current):.1f}" y2="{upper + plot_h}" '
            f'stroke="#0b0c0c" stroke-dasharray="6 4"/>'
            f'<text x="{x(current) + 4:.1f}" y="{upper + 12}" font-size="11" fill="#0b0c0c">'
            f"now {escape(value_as_written(current, kind))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
