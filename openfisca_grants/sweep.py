"""Sweeps: each body's grant across a range of values of one parameter, all values at once.

Rebuilding a reformed system and a simulation per value costs milliseconds each; a sweep of
100,000 values would take minutes. Instead ``sweep`` builds one simulation holding one copy of
the paid bodies (the nine regions, say) per value, and gives the swept parameter a value per
copy: an array where OpenFisca would hold a number. The formulas are numpy throughout, so they
compute every variant in one pass. Where a parameter cannot be swept that way (its formula
reads it other than element by element), ``sweep`` falls back to one simulation per value and
says so. ``sweep_one_at_a_time`` is that slow path, which the tests hold the fast one equal to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from openfisca_core.periods import ETERNITY

from openfisca_grants import boundary, determinations
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.money import MONEY_UNIT, pence_array
from openfisca_grants.reforms import (
    NAMING_KINDS,
    ReformSpec,
    apply,
    find_parameter,
    from_changes,
    leaves,
    parameter_kind,
    validate,
)
from openfisca_grants.register import register
from openfisca_grants.simulation import simulation_from_arrays, tax_benefit_system


@dataclass
class SweepResult:
    parameter: str
    year: FinancialYear
    values: numpy.ndarray  # the swept values, as validated
    codes: list[str]  # the bodies paid, in column order
    names: list[str]
    pence: numpy.ndarray  # shape (len(values), len(codes)), int64 pence
    method: str  # "vectorised" or "one at a time"

    def as_dict(self) -> dict:
        return {
            "parameter": self.parameter,
            "financial_year": self.year.label,
            "method": self.method,
            "values": self.values.tolist(),
            "bodies": [{"code": c, "name": n} for c, n in zip(self.codes, self.names, strict=True)],
            "amounts": [[f"{p / 100:.2f}" for p in row] for row in self.pence.tolist()],
        }


def values_between(start, stop, steps) -> numpy.ndarray:
    """``steps`` values from ``start`` to ``stop``, ends included (checked at the boundary)."""
    start = boundary.finite_float(start, "--from")
    stop = boundary.finite_float(stop, "--to")
    steps = boundary.whole_number(steps, "--steps", 1, boundary.MAX_SWEEP_VALUES, "a number of steps")
    return numpy.linspace(start, stop, steps)


def _paid_bodies(determination, year: FinancialYear) -> tuple[str, list[str], list[str]]:
    paid_per = determination.paid_per
    if paid_per == "region":
        regions = register().regions
        return paid_per, [r.code for r in regions], [r.name for r in regions]
    authorities = register().authorities_on(year.start)
    return paid_per, [a.code for a in authorities], [a.name for a in authorities]


def _check(system, parameter: str, values, year: FinancialYear):
    """Validate the values as a reform would (unit, kind, year); return the path and the values.

    Money is swept in whole pence, so values are rounded to the penny first. The checks depend
    only on the range (negative, above 100%, whole), so the extremes stand for every value.
    """
    values = boundary.sweep_values(values)
    path, found = find_parameter(system, parameter)
    kind = parameter_kind(path, found, found(year.start.isoformat()))
    if kind in NAMING_KINDS:
        raise RulesCannotAnswer(
            f"Only numeric parameters can be swept: {path} holds the name or code of a "
            f"{kind.replace('_', ' ')}.",
            hint="'openfisca-grants parameters' lists each parameter with its unit.",
        )
    for extreme in {values.min(), values.max()}:
        validate(system, path, _exact(float(extreme), path, system), year=year.label)
    if found.metadata.get("unit", "") == MONEY_UNIT:
        values = numpy.round(values, 2)
    current = leaves(system)[path](year.start.isoformat())
    if (
        isinstance(current, int)
        and not isinstance(current, bool)
        and not (values == numpy.round(values)).all()
    ):
        raise RulesCannotAnswer(f"{path} is a whole number: sweep it over whole numbers.")
    return path, values


def _prepare(parameter, values, year, reform, system):
    """The system to sweep on, the checked path and values, and the bodies paid."""
    year = FinancialYear.parse(year)
    base = system or tax_benefit_system()
    if reform:
        base = apply(reform, base)
    path, checked = _check(base, parameter, values, year)
    (determination,) = [d for d in determinations.for_year(year) if path.split(".")[1] == d.key]
    paid_per, codes, names = _paid_bodies(determination, year)
    return base, year, path, checked, determination, paid_per, codes, names


def sweep(parameter: str, values, year, reform: ReformSpec | None = None, system=None) -> SweepResult:
    """The grant of every body the year's determination pays, for each value of ``parameter``."""
    base, year, path, checked, determination, paid_per, codes, names = _prepare(
        parameter, values, year, reform, system
    )
    try:
        pence = _vectorised(base, determination, path, checked, year, paid_per, codes)
        method = "vectorised"
    except (ValueError, TypeError, IndexError):
        # A formula that reads the parameter other than element by element: a genuine error
        # there is raised again by the slow path, so nothing is hidden.
        pence = _one_at_a_time(base, determination, path, checked, year, paid_per, codes)
        method = "one at a time"
    return SweepResult(path, year, checked, codes, names, pence, method)


def sweep_one_at_a_time(parameter: str, values, year, reform=None, system=None) -> SweepResult:
    """The same sweep, one reformed system and simulation per value (the reference path)."""
    base, year, path, checked, determination, paid_per, codes, names = _prepare(
        parameter, values, year, reform, system
    )
    pence = _one_at_a_time(base, determination, path, checked, year, paid_per, codes)
    return SweepResult(path, year, checked, codes, names, pence, "one at a time")


def _replicated_simulation(system, paid_per: str, codes: list[str], copies: int):
    """A simulation of ``copies`` copies of the paid bodies, built straight from numpy arrays.

    Each body is its own one-member group; nothing here aggregates over members, so no copy
    can see another.
    """
    count = copies * len(codes)
    every = numpy.arange(count)
    plurals = [entity.plural for entity in system.entities]
    simulation = simulation_from_arrays(
        system,
        ids=dict.fromkeys(plurals, every),
        memberships={plural: every for plural in plurals if plural != "local_authorities"},
    )
    tiled = numpy.tile(numpy.asarray(codes, dtype=object), copies)
    simulation.set_input("region_code" if paid_per == "region" else "gss_code", ETERNITY, tiled)
    return simulation


def _invariants(system, determination, path, year, paid_per, codes) -> dict[str, numpy.ndarray]:
    """Variables of the grant's computation that do not depend on ``path``, for one copy.

    Traced on one copy of the bodies: a variable whose formula, and every formula below it,
    reads no swept parameter has the same value in every copy of a sweep, so it is computed
    once here and tiled, rather than computed again for every copy.
    """
    simulation = _replicated_simulation(system, paid_per, codes, 1)
    simulation.trace = True
    simulation.calculate(determination.grant_variable, year.period)
    found = {}

    def reads_path(node) -> bool:
        below = [reads_path(child) for child in node.children]  # visit every child
        depends = any(below) or any(p.name == path for p in node.parameters)
        if not depends and str(node.period) == str(year.period):
            found[node.name] = numpy.asarray(node.value)
        return depends

    for tree in simulation.tracer.trees:
        reads_path(tree)
    return found


def _vectorised(system, determination, path, values, year, paid_per, codes) -> numpy.ndarray:
    system = system.clone()
    invariants = _invariants(system, determination, path, year, paid_per, codes)
    simulation = _replicated_simulation(system, paid_per, codes, len(values))
    for variable, value in invariants.items():
        simulation.set_input(variable, year.period, numpy.tile(value, len(values)))
    # The node of parameters the formulas will read for this year, with the swept leaf holding
    # one value per copy of the bodies instead of one number. OpenFisca caches the node per
    # system and argument, and formulas ask for it with the period, so ask the same way.
    node = system.get_parameters_at_instant(year.period)
    *parents, leaf = path.split(".")
    for key in parents:
        node = node[key]
    if not isinstance(node._children.get(leaf), (int, float)):
        raise TypeError(f"{path} is not a number at {year.label}")
    node.add_child(leaf, numpy.repeat(values, len(codes)))
    result = simulation.calculate(determination.grant_variable, year.period)
    if result.shape != (len(values) * len(codes),):
        raise ValueError("the formula did not compute one amount per copy")
    return pence_array(result, what=determination.grant_variable).reshape(len(values), len(codes))


def _one_at_a_time(system, determination, path, values, year, paid_per, codes) -> numpy.ndarray:
    rows = []
    for value in values.tolist():
        change = validate(system, path, _exact(value, path, system), year=year.label)
        reformed = apply(from_changes("sweep", [change]), system)
        simulation = _replicated_simulation(reformed, paid_per, codes, 1)
        result = simulation.calculate(determination.grant_variable, year.period)
        rows.append(pence_array(result, what=determination.grant_variable, ids=codes))
    return numpy.vstack(rows) if rows else numpy.zeros((0, len(codes)), dtype=numpy.int64)


def _exact(value: float, path: str, system):
    """A swept float as the reform path wants it (whole pence for money, an int for a count)."""
    parameter = leaves(system)[path]
    if parameter.metadata.get("unit", "") == MONEY_UNIT:
        return boundary.money_pence(round(value, 2), path, allow_negative=True) / 100
    if isinstance(parameter.values_list[-1].value or parameter.values_list[0].value, int):
        return int(round(value))
    return value
