"""What the what-if page shows beside what ``app`` works out: the answer's summary, the error
summary, the what-if's name and its changes in words, the sweep's and the grid's starting values;
and the page's template filters. The rules' fields are arranged in ``rule_fields``, the query
checked in ``query_checks``, the sweep drawn in ``sweep_chart``.

Nothing here computes a grant or reads a request: it arranges what ``app`` has already worked out.
Nothing names a determination.
"""

from __future__ import annotations

from openfisca_grants import reforms
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.web import query_checks
from openfisca_grants.web.query_checks import MAX_VALUE_CHARACTERS
from openfisca_grants.web.rule_fields import arrange, component_and_label, read_by_the_grants, short_label
from openfisca_grants.web.sweep_chart import sweep_figure, swept_kind, value_as_written


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

MAX_NAME_CHARACTERS = 100
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
        label = component_and_label(full) if full.count(".") > 2 else full.split(".")[-1]
        baseline = ""
        if full in rows:
            parameter = reforms.find_parameter(system, full)[1]
            baseline = shown_value(reforms.parameter_kind(full, parameter), rows[full]["value"])
        described.append({"label": label, "value": value, "baseline": baseline})
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
        item["short_label"] = component_and_label("determinations." + item["path"])
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
    """The page's filters and its query checks, added to the app."""
    app.add_template_filter(signed_pounds, "signed_pounds")
    app.add_template_global(sweep_figure, "sweep_figure")
    app.add_template_global(swept_kind, "swept_kind")
    app.add_template_global(value_as_written, "value_as_written")
    app.add_template_global(short_label, "short_label")
    from openfisca_grants.money import format_pounds

    app.add_template_global(format_pounds, "pence_pounds")
    query_checks.install(app)
