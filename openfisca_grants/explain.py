"""Why a figure is what it is: the computation of one body's grant as a tree, with sources.

``explain("2024-25", region="South West")`` traces the calculation of the region's grant and
returns each variable's value for that region, the variables it was computed from, and the
parameters it read: each with its value, unit, and where it comes from (determination,
paragraph or Annex A row, and the letter's words where the parameters quote them). Under a
reform, each parameter whose value the reform changed is marked ``changed``, with its baseline
value beside the reformed one, so that a reformed value is never read as the letter's.
"""

from __future__ import annotations

import re

import numpy

from openfisca_grants import parameter_index
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import MONEY_DTYPE, format_pounds, pence_array
from openfisca_grants.openfisca_adapter import populations, tracing
from openfisca_grants.openfisca_adapter.variables import storage_dtype
from openfisca_grants.paid_bodies import paid_body
from openfisca_grants.reforms import ReformSpec, apply
from openfisca_grants.register import register
from openfisca_grants.simulation import build_simulation, tax_benefit_system

_GSS = re.compile(r"E\d{8}")


def explain(
    year,
    region: str | None = None,
    authority: str | None = None,
    reform: ReformSpec | None = None,
    system=None,
    number: str | None = None,
) -> dict:
    """The computation tree of the grant paid to ``region`` or ``authority`` in ``year`` (by the
    determination numbered ``number``, where several govern the year)."""
    body = paid_body(year, region=region, authority=authority, number=number)
    year, determination, code, key = body.year, body.determination, body.code, body.key
    baseline = system or tax_benefit_system()
    system = apply(reform, baseline) if reform else baseline
    simulation = build_simulation(year, system)
    tracing.start_tracing(simulation)
    variable = determination.grant_variable
    simulation.calculate(variable, year.period)
    root = tracing.calculation_of(simulation, variable)
    index = populations.index_of(simulation, system.variables[variable].entity.plural, code)
    if numpy.asarray(root.value)[index] < 0:
        raise RulesCannotAnswer(
            f"Under the reform, {determination.label} would pay {body.name} "
            f"{format_pounds(int(pence_array(root.value)[index]))}: a grant cannot be negative.",
            hint="A negative adjustment larger than what the formula gives, say.",
        )
    reform_name = ""
    if reform:
        reform_name = f"'{reform.name}'" + (
            f" ({reform.source})" if reform.source and reform.source != "--set" else ""
        )
    baseline_of = _BaselineOf(baseline, year.start.isoformat(), reform_name)
    computation = _node(root, system, index, key, code, baseline_of)
    return {
        "determination": determination.number,
        "status": determination.status_text,
        "financial_year": year.label,
        "body": {"code": code, "name": body.name, "kind": body.kind},
        "reform": reform.name if reform else None,
        "changed_parameters": _changed(computation) if reform else [],
        "computation": computation,
    }


class _BaselineOf:
    """A parameter's value under the baseline rules, on the day the year's rules are read."""

    def __init__(self, system, instant: str, reform: str = "") -> None:
        self.system, self.instant, self.reform = system, instant, reform

    def __call__(self, path: str):
        """The baseline value, or None for a parameter the reform added."""
        parameter = parameter_index.index(self.system).leaves.get(path)
        return None if parameter is None else parameter(self.instant)


def _changed(computation: dict) -> list[dict]:
    """Each parameter the reform changed that the computation read, once, in order."""
    found = {}

    def walk(node: dict) -> None:
        for parameter in node["parameters"]:
            if parameter["changed"]:
                found.setdefault(
                    parameter["parameter"],
                    {k: parameter[k] for k in ("parameter", "baseline_value", "value", "unit")},
                )
        for child in node["computed_from"]:
            walk(child)

    walk(computation)
    return list(found.values())


def _node(
    node: tracing.Calculation, system, index: int, key: str, code: str, baseline_of: _BaselineOf
) -> dict:
    variable = system.variables[node.variable]
    value = node.value
    if isinstance(value, numpy.ndarray) and value.ndim == 1 and len(value) > index:
        value = value[index]
    replaced = variable is not baseline_of.system.variables.get(node.variable)
    children = [_node(child, system, index, key, code, baseline_of) for child in node.computed_from]
    return {
        "variable": node.variable,
        "label": variable.label,
        "value": _shown(value, storage_dtype(variable) == MONEY_DTYPE),
        # A formula the reform replaced is the reform's, not the letter's: cite the reform.
        "reference": f"replaced by the reform {baseline_of.reform}"
        if replaced
        else _reference(variable.reference),
        "replaced_by_reform": replaced,
        "parameters": [
            _parameter(parameter, system, baseline_of)
            for parameter in _deduplicated(node.parameters)
            if _concerns(parameter.path, key, code)
        ],
        "computed_from": children,
        # The letter's formula, but fed by one the reform replaced: its amount is not the letter's.
        "depends_on_reform": any(c["replaced_by_reform"] or c["depends_on_reform"] for c in children),
    }


def _deduplicated(parameters: list[tracing.ParameterRead]) -> list[tracing.ParameterRead]:
    seen = {}
    for parameter in parameters:
        seen.setdefault(parameter.path, parameter)
    return list(seen.values())


def _concerns(path: str, key: str, code: str) -> bool:
    """False for another body's entry in a table keyed by body (Annex A rows, lead bodies)."""
    last = path.rsplit(".", 1)[-1]
    region_keys = {r.key for r in register().regions}
    if _GSS.fullmatch(last) or last in region_keys:
        return last in (key, code)
    return True


def _parameter(parameter: tracing.ParameterRead, system, baseline_of: _BaselineOf) -> dict:
    entry = parameter_index.index(system).find(parameter.path)
    unit = entry.unit
    baseline_value = baseline_of(parameter.path)
    return {
        "parameter": parameter.path,
        "value": _shown(parameter.value, unit == "currency-GBP"),
        "changed": bool(baseline_value != parameter.value),
        "baseline_value": _shown(baseline_value, unit == "currency-GBP"),
        "unit": unit,
        "determination": entry.determination.number,
        "source": entry.reference,
        "letter_wording": entry.letter_wording,
    }


def _shown(value, money: bool):
    if money and value is not None and not isinstance(value, str):
        return format_pounds(int(pence_array(value)))
    if isinstance(value, numpy.generic):
        return value.item() if not isinstance(value, numpy.datetime64) else str(value)
    if isinstance(value, bytes):
        return value.decode()
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def _reference(reference) -> str:
    if isinstance(reference, (list, tuple)):
        return "; ".join(str(r) for r in reference)
    return reference or ""


def _in_units(value, unit: str) -> str:
    from openfisca_grants.render.values import in_units

    return value if isinstance(value, str) else in_units(value, unit)


def _marker(node: dict) -> str:
    if node.get("replaced_by_reform"):
        return "[formula REPLACED by the reform] "
    if node.get("depends_on_reform"):
        return "[the letter's formula, from a replaced one] "
    return ""


def as_text(explanation: dict) -> str:
    """The tree, one line a variable or parameter, sources beside each."""
    body = explanation["body"]
    lines = [
        f"{body['name']} ({body['code']}), {explanation['financial_year']}, determination "
        f"{explanation['determination']}"
        + (f" ({explanation['status']})" if explanation.get("status", "published") != "published" else "")
        + (f", under the reform '{explanation['reform']}'" if explanation["reform"] else "")
    ]

    def walk(node: dict, prefix: str) -> None:
        items = [("parameter", p) for p in node["parameters"]] + [
            ("variable", child) for child in node["computed_from"]
        ]
        for position, (kind, item) in enumerate(items):
            last = position == len(items) - 1
            branch = "└── " if last else "├── "
            if kind == "parameter" and item["changed"]:
                lines.append(
                    f"{prefix}{branch}[parameter, CHANGED by the reform] {item['parameter']} = "
                    f"{_in_units(item['value'], item['unit'])} (baseline "
                    f"{_in_units(item['baseline_value'], item['unit'])})  ({item['source']})"
                )
            elif kind == "parameter":
                lines.append(
                    f"{prefix}{branch}[parameter] {item['parameter']} = "
                    f"{_in_units(item['value'], item['unit'])}  ({item['source']})"
                )
            else:
                marker = _marker(item)
                lines.append(
                    f"{prefix}{branch}{marker}{item['variable']} = {item['value']}  ({item['reference']})"
                )
                walk(item, prefix + ("    " if last else "│   "))

    for changed in explanation.get("changed_parameters", []):
        lines.append(
            f"Changed by the reform: {changed['parameter']} = {_in_units(changed['value'], changed['unit'])} "
            f"(baseline {_in_units(changed['baseline_value'], changed['unit'])})"
        )
    if explanation["reform"] and not explanation.get("changed_parameters"):
        lines.append("The reform changes no parameter this computation reads (it may change a formula).")
    scaled = explanation.get("budget_neutral")
    if scaled:
        lines.append(
            f"Budget neutral: every reformed amount is scaled by {scaled['factor']:.9f} to keep the "
            f"baseline total, so {body['name']} is paid {scaled['paid']}, not the formula's amount below."
        )
    top = explanation["computation"]
    marker = _marker(top)
    lines.append(f"{marker}{top['variable']} = {top['value']}  ({top['reference']})")
    walk(top, "")
    return "\n".join(lines)
