"""What the page shows, from the catalogue, the parameters' metadata and the use cases: the rules
by component in the letter's order, what can be swept, Annex A reconciled, the results table."""

from __future__ import annotations

from openfisca_grants import determinations, reforms, use_cases
from openfisca_grants.money import decimal_pounds
from openfisca_grants.render import values as render_values
from openfisca_grants.web.inline_charts import difference_chart
from openfisca_grants.web.rule_fields import field_id
from openfisca_grants.web.whatif_form import WhatIf, _short, compare_whatif

shown_value = render_values.by_kind  # 14%, £80,000, 4 (days), or a code or name


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
                        "id": field_id(path),
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
