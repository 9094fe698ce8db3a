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
    simulation.trace = True
    variable = determination.grant_variable
    simulation.calculate(variable, year.period)
    root = next(tree for tree in simulation.tracer.trees if tree.name == variable)
    index = simulation.get_population(system.variables[variable].entity.plural).get_index(code)
    if numpy.asarray(root.value)[index] < 0:
        raise RulesCannotAnswer(
            f"Under the reform, {determination.label} would pay {body.name} "
            f"{format_pounds(int(pence_array(root.value)[index]))}: a grant cannot be negative.",
            hint="A negative adjustment larger than what the formula gives, say.",
        )
    computation = _node(root, system, index, key, code, _BaselineOf(baseline, year.start.isoformat()))
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

    def __init__(self, system, instant: str) -> None:
        self.system, self.instant = system, instant

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


def _node(node, system, index: int, key: str, code: str, baseline_of: _BaselineOf) -> dict:
    variable = system.variables[node.name]
    value = node.value
    if isinstance(value, numpy.ndarray) and value.ndim == 1 and len(value) > index:
        value = value[index]
    return {
        "variable": node.name,
        "label": variable.label,
        "value": _shown(value, variable.dtype == MONEY_DTYPE),
        "reference": _reference(variable.reference),
        "parameters": [
            _parameter(parameter, system, baseline_of)
            for parameter in _deduplicated(node.parameters)
            if _concerns(parameter.name, key, code)
        ],
        "computed_from": [_node(child, system, index, key, code, baseline_of) for child in node.children],
    }


def _deduplicated(parameters):
    seen = {}
    for parameter in parameters:
        seen.setdefault(parameter.name, parameter)
    return list(seen.values())


def _concerns(path: str, key: str, code: str) -> bool:
    """False for another body's entry in a table keyed by body (Annex A rows, lead bodies)."""
    last = path.rsplit(".", 1)[-1]
    region_keys = {r.key for r in register().regions}
    if _GSS.fullmatch(last) or last in region_keys:
        return last in (key, code)
    return True


def _parameter(parameter, system, baseline_of: _BaselineOf) -> dict:
    entry = parameter_index.index(system).find(parameter.name)
    unit = entry.unit
    baseline_value = baseline_of(parameter.name)
    return {
        "parameter": parameter.name,
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
                    f"{item['value']} (baseline {item['baseline_value']})  ({item['source']})"
                )
            elif kind == "parameter":
                lines.append(
                    f"{prefix}{branch}[parameter] {item['parameter']} = {item['value']}  ({item['source']})"
                )
            else:
                lines.append(f"{prefix}{branch}{item['variable']} = {item['value']}  ({item['reference']})")
                walk(item, prefix + ("    " if last else "│   "))

    for changed in explanation.get("changed_parameters", []):
        lines.append(
            f"Changed by the reform: {changed['parameter']} = {changed['value']} "
            f"(baseline {changed['baseline_value']})"
        )
    if explanation["reform"] and not explanation.get("changed_parameters"):
        lines.append("The reform changes no parameter this computation reads (it may change a formula).")
    top = explanation["computation"]
    lines.append(f"{top['variable']} = {top['value']}  ({top['reference']})")
    walk(top, "")
    return "\n".join(lines)
