"""Sweeps: each body's grant across a range of values of a parameter (or a grid of two), all at once.

Rebuilding a reformed system and a simulation per value costs milliseconds each; a sweep of
100,000 values would take minutes. Instead ``sweep`` builds one simulation holding one copy of
the year's country per value, and gives the swept parameter a value per copy: an array where
OpenFisca would hold a number. Each copy is its own country (its own ``country`` entity, with
its regions and authorities), so a formula that shares a national pot through
``openfisca_grants.within_country`` shares it within its copy. The formulas are numpy
throughout, so they compute every variant in one pass.

A formula can still mix the copies (``weights.sum()`` over every region of the simulation, say),
so a sweep checks itself before it reports: it recomputes a few values one at a time, exactly
as ``compare`` would, and on any difference computes every value one at a time and says why
(``SweepResult.note``). Where the parameter cannot be swept as an array at all, it does the
same. ``sweep_one_at_a_time`` is that slow path, the reference the tests hold the fast one to.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

import numpy
from openfisca_core.periods import ETERNITY

from openfisca_grants import boundary, determinations, parameter_index
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.grant_rules import refuse_negative_grants, scale_to_total
from openfisca_grants.money import MONEY_UNIT, decimal_pounds, format_pounds, pence_array
from openfisca_grants.openfisca_adapter import parameters, populations, tracing
from openfisca_grants.parameter_index import NAMING_KINDS
from openfisca_grants.reforms import ReformSpec, apply, from_changes, validate
from openfisca_grants.register import register
from openfisca_grants.simulation import bodies_of_year, build_simulation, tax_benefit_system

VECTORISED = "vectorised"
ONE_AT_A_TIME = "one at a time"
CHECKED_VALUES = 3  # values of a vectorised sweep recomputed one at a time before it reports
# Copies of the country in one simulation: larger sweeps run as several, so that memory stays
# near 120 MB whatever the number of values (and the arrays stay within the processor's caches
# no worse than one simulation would).
CHUNK_COPIES = 100_000


@dataclass
class SweepResult:
    parameter: str
    year: FinancialYear
    values: numpy.ndarray  # the swept values, as validated
    codes: list[str]  # the bodies paid, in column order
    names: list[str]
    pence: numpy.ndarray  # shape (len(values), len(codes)), int64 pence
    method: str  # "vectorised" or "one at a time"
    checked: list[float] = field(default_factory=list)  # values recomputed one at a time
    note: str = ""  # why the sweep went one at a time, if it did
    baseline_pence: numpy.ndarray | None = None  # each body's grant under the baseline rules
    budget_neutral_factors: numpy.ndarray | None = None  # per value, when scaled to the baseline
    label: str = ""  # the parameter's description, for people
    unit: str = ""  # the parameter's unit ("/1" a rate, "currency-GBP" money, "" a count)
    current_value: float | None = None  # its value before the sweep (under the reform, if any)
    status: str = "published"  # or the draft label, with the draft's number

    def as_dict(self) -> dict:
        data = {
            "parameter": self.parameter,
            "financial_year": self.year.label,
            "method": self.method,
            "checked_one_at_a_time": self.checked,
            "note": self.note,
            "values": self.values.tolist(),
            "bodies": [{"code": c, "name": n} for c, n in zip(self.codes, self.names, strict=True)],
            "amounts": [[decimal_pounds(p) for p in row] for row in self.pence.tolist()],
        }
        if self.budget_neutral_factors is not None:
            data["budget_neutral_factors"] = self.budget_neutral_factors.tolist()
        data["status"] = self.status
        return data


@dataclass
class GridSweepResult:
    """Each body's grant for every pair of values of two parameters."""

    parameters: tuple[str, str]
    year: FinancialYear
    values: tuple[numpy.ndarray, numpy.ndarray]
    codes: list[str]
    names: list[str]
    pence: numpy.ndarray  # shape (len(values[0]), len(values[1]), len(codes)), int64 pence
    method: str
    checked: list[tuple[float, float]] = field(default_factory=list)
    note: str = ""
    budget_neutral_factors: numpy.ndarray | None = None
    labels: tuple[str, str] = ("", "")
    units: tuple[str, str] = ("", "")
    current_values: tuple[float | None, float | None] = (None, None)
    status: str = "published"  # or the draft label, with the draft's number

    def as_dict(self) -> dict:
        return {
            "parameters": list(self.parameters),
            "financial_year": self.year.label,
            "method": self.method,
            "checked_one_at_a_time": [list(pair) for pair in self.checked],
            "note": self.note,
            "values": [v.tolist() for v in self.values],
            "bodies": [{"code": c, "name": n} for c, n in zip(self.codes, self.names, strict=True)],
            "amounts": [[[decimal_pounds(p) for p in cell] for cell in row] for row in self.pence.tolist()],
            "status": self.status,
        }


# Amounts a sweep computes at most (values x bodies): 1,000,000 values of the nine regions,
# about 43,000 of the 23 authorities of an Annex A.
MAX_SWEEP_AMOUNTS = 10_000_000


def status_of(determination) -> str:
    """ "published", or the draft label with the draft's number, as every surface shows it."""
    if determination.is_draft:
        return f"{determinations.DRAFT_LABEL} ({determination.number})"
    return "published"


def values_between(
    start, stop, steps, where: str = "", names=("--from", "--to", "--steps"), most=boundary.MAX_SWEEP_VALUES
) -> numpy.ndarray:
    """``steps`` values from ``start`` to ``stop``, ends included (checked at the boundary).

    ``names`` are the fields' names in messages (``where`` before each: "--first FROM").
    """
    if where:
        names = (f"{where} FROM", f"{where} TO", f"{where} STEPS")
    start = boundary.swept_value(start, names[0])
    stop = boundary.swept_value(stop, names[1])
    steps = boundary.whole_number(steps, names[2], 1, most, "a number of steps")
    # Rounded to 12 decimals so that 0.1 is 0.1, not the 0.09999999999999999 of floating steps.
    return numpy.round(numpy.linspace(start, stop, steps), 12)


def _paid_bodies(determination, year: FinancialYear) -> tuple[str, list[str], list[str]]:
    bodies = determination.payee.bodies(year.start)
    return determination.paid_per, [code for code, _ in bodies], [name for _, name in bodies]


def _check(system, parameter: str, values, year: FinancialYear):
    """Validate the values as a reform would (unit, kind, year); return the path and the values.

    Money is swept in whole pence: the ends must be whole pence, as ``--set`` wants, and the
    values between are rounded to the penny. The checks depend
    only on the range (negative, above 100%, whole), so the extremes stand for every value.
    """
    values = boundary.sweep_values(values)
    entry = parameter_index.index(system).find(parameter)
    path = entry.path
    kind = parameter_index.index(system).kind(path)
    if kind in NAMING_KINDS:
        raise RulesCannotAnswer(
            f"Only numeric parameters can be swept: {path} holds the name or code of a "
            f"{kind.replace('_', ' ')}.",
            hint="'openfisca-grants parameters' lists each parameter with its unit.",
        )
    for extreme in {values.min(), values.max()}:
        validate(system, path, _exact(float(extreme), path, system), year=year.label)
    if entry.unit == MONEY_UNIT:
        for extreme in {values.min(), values.max()}:  # the ends are what was typed: whole pence
            boundary.money_pence(float(extreme), path, allow_negative=True)
        values = numpy.round(values, 2)  # the values between, to the penny
    current = entry.value(year)
    if (
        isinstance(current, int)
        and not isinstance(current, bool)
        and not (values == numpy.round(values)).all()
    ):
        raise RulesCannotAnswer(f"{path} is a whole number: sweep it over whole numbers.")
    return path, values


def described(system, path: str, year: FinancialYear) -> tuple[str, str, float | None]:
    """A parameter's description, unit and current value in ``year``, for charts and tables."""
    entry = parameter_index.index(system).find(path)
    current = entry.value(year)
    number = isinstance(current, (int, float)) and not isinstance(current, bool)
    return entry.description or entry.label, entry.unit, float(current) if number else None


def _describe(result, system) -> None:
    if isinstance(result, SweepResult):
        result.label, result.unit, result.current_value = described(system, result.parameter, result.year)
    else:
        both = [described(system, path, result.year) for path in result.parameters]
        result.labels, result.units, result.current_values = (
            tuple(column) for column in zip(*both, strict=True)
        )


def _prepare(parameters, values, year, reform, system):
    """The system to sweep on, the checked paths and values, the determination and its bodies."""
    year = FinancialYear.parse(year)
    base = system or tax_benefit_system()
    if reform:
        base = apply(reform, base)
    checked = [
        _check(base, parameter, some, year) for parameter, some in zip(parameters, values, strict=True)
    ]
    paths = [path for path, _ in checked]
    if len(set(paths)) != len(paths):
        raise RulesCannotAnswer(f"A grid sweep needs two different parameters, not {paths[0]} twice.")
    keys = {path.split(".")[1] for path in paths}
    found = [d for d in determinations.for_year(year) if d.key in keys]
    if len(keys) != 1 or not found:
        raise RulesCannotAnswer(
            "The parameters of a grid sweep must belong to the same determination: " + ", ".join(paths) + "."
        )
    (determination,) = found
    paid_per, codes, names = _paid_bodies(determination, year)
    return base, year, checked, determination, paid_per, codes, names


def sweep(
    parameter: str,
    values,
    year,
    reform: ReformSpec | None = None,
    system=None,
    budget_neutral: bool = False,
) -> SweepResult:
    """The grant of every body the year's determination pays, for each value of ``parameter``."""
    base, year, [(path, checked)], determination, paid_per, codes, names = _prepare(
        [parameter], [values], year, reform, system
    )
    _refuse_too_many(len(checked), codes)
    pence, method, sampled, note = _sweep_copies(base, determination, year, {path: checked}, names)
    result = SweepResult(
        path, year, checked, codes, names, pence, method, [float(checked[i]) for i in sampled], note
    )
    _describe(result, base)
    result.status = status_of(determination)
    if budget_neutral:
        result.baseline_pence = _baseline(system, determination, year)
        result.pence, result.budget_neutral_factors = scale_to_total(pence, int(result.baseline_pence.sum()))
    return _only_paid(result, system, determination, year)


def grid_sweep(
    parameters: tuple[str, str],
    values: tuple,
    year,
    reform: ReformSpec | None = None,
    system=None,
    budget_neutral: bool = False,
) -> GridSweepResult:
    """The grant of every body for every pair (first value, second value) of two parameters."""
    base, year, checked, determination, paid_per, codes, names = _prepare(
        list(parameters), list(values), year, reform, system
    )
    (first, first_values), (second, second_values) = checked
    if len(first_values) * len(second_values) > boundary.MAX_SWEEP_VALUES:
        raise RulesCannotAnswer(
            f"A grid of {len(first_values):,} x {len(second_values):,} values: a sweep takes at most "
            f"{boundary.MAX_SWEEP_VALUES:,} pairs.",
            hint="Sweep a coarser grid, or in parts.",
        )
    per_copy = _pairs(checked)
    _refuse_too_many(len(first_values) * len(second_values), codes)
    pence, method, sampled, note = _sweep_copies(base, determination, year, per_copy, names)
    shape = (len(first_values), len(second_values), len(codes))
    pairs_checked = [(float(per_copy[first][i]), float(per_copy[second][i])) for i in sampled]
    result = _grid_result(checked, year, codes, names, pence, method, pairs_checked, note)
    _describe(result, base)
    result.status = status_of(determination)
    if budget_neutral:
        target = int(_baseline(system, determination, year).sum())
        scaled, factors = scale_to_total(pence, target)
        result.pence = scaled.reshape(shape)
        result.budget_neutral_factors = factors.reshape(shape[:2])
    return _only_paid(result, system, determination, year)


def sweep_one_at_a_time(parameter: str, values, year, reform=None, system=None) -> SweepResult:
    """The same sweep, one reformed system and simulation of the year per value (the reference).

    Each value is computed exactly as ``compare`` computes a reform: a simulation of every
    authority of the year, from the register.
    """
    base, year, [(path, checked)], determination, paid_per, codes, names = _prepare(
        [parameter], [values], year, reform, system
    )
    pence = _one_at_a_time(base, determination, year, {path: checked})
    result = SweepResult(path, year, checked, codes, names, pence, ONE_AT_A_TIME)
    _describe(result, base)
    return _only_paid(result, system, determination, year)


def grid_sweep_one_at_a_time(parameters, values, year, reform=None, system=None) -> GridSweepResult:
    """The same grid sweep, one reformed system and simulation per pair of values."""
    base, year, checked, determination, paid_per, codes, names = _prepare(
        list(parameters), list(values), year, reform, system
    )
    pence = _one_at_a_time(base, determination, year, _pairs(checked))
    result = _grid_result(checked, year, codes, names, pence, ONE_AT_A_TIME)
    return _only_paid(result, system, determination, year)


def _pairs(checked) -> dict[str, numpy.ndarray]:
    """Each pair of a grid's values, one copy a pair: the first value held while the second runs."""
    (first, first_values), (second, second_values) = checked
    return {
        first: numpy.repeat(first_values, len(second_values)),
        second: numpy.tile(second_values, len(first_values)),
    }


def _grid_result(checked, year, codes, names, pence, method, pairs_checked=(), note="") -> GridSweepResult:
    """A grid's result, its amounts one row a first value, one column a second, one cell a body."""
    (first, first_values), (second, second_values) = checked
    return GridSweepResult(
        (first, second),
        year,
        (first_values, second_values),
        codes,
        names,
        pence.reshape(len(first_values), len(second_values), len(codes)),
        method,
        list(pairs_checked),
        note,
    )


def _refuse_too_many(values: int, codes: list[str]) -> None:
    """A sweep computes every body for every value: bound the product, not only the values."""
    if values * len(codes) > MAX_SWEEP_AMOUNTS:
        raise RulesCannotAnswer(
            f"A sweep of {values:,} values over {len(codes):,} bodies computes {values * len(codes):,} "
            f"amounts; at most {MAX_SWEEP_AMOUNTS:,} are computed at once.",
            hint=f"Sweep at most {MAX_SWEEP_AMOUNTS // len(codes):,} values here, or in parts.",
        )


def _refuse_negative(result, determination) -> None:
    flat = result.pence.reshape(-1, result.pence.shape[-1])
    refuse_negative_grants(flat, result.names, determination, at="At swept value number {n}, ")


def _only_paid(result, system, determination, year):
    """Without the authorities the determination pays nothing, at the baseline or at any value
    swept: as ``compare`` leaves them out, so that no column of £0 reads as a grant."""
    _refuse_negative(result, determination)
    if determination.payee.shows_unpaid:
        return result
    flat = result.pence.reshape(-1, result.pence.shape[-1])
    keep = (_baseline(system, determination, year) != 0) | (flat != 0).any(axis=0)
    result.codes = [code for code, kept in zip(result.codes, keep, strict=True) if kept]
    result.names = [name for name, kept in zip(result.names, keep, strict=True) if kept]
    result.pence = result.pence[..., keep]
    if getattr(result, "baseline_pence", None) is not None:
        result.baseline_pence = result.baseline_pence[keep]
    return result


def _baseline(system, determination, year) -> numpy.ndarray:
    """Each paid body's grant under the baseline rules (no reform), in pence."""
    simulation = build_simulation(year, system or tax_benefit_system())
    variable = determination.grant_variable
    return pence_array(simulation.calculate(variable, year.period), what=variable)


def _sweep_copies(system, determination, year, per_copy: dict[str, numpy.ndarray], names: list[str]):
    """The grants for each copy (values of each path at that index): pence, method, checked, note."""
    copies = len(next(iter(per_copy.values())))
    try:
        pence = _vectorised(system, determination, year, per_copy)
    except _CannotVectorise as reason:
        note = f"computed one at a time: {reason}"
        return _one_at_a_time(system, determination, year, per_copy), ONE_AT_A_TIME, [], note
    except (ValueError, TypeError, IndexError) as error:
        # A formula that reads the parameter other than element by element: a genuine error
        # there is raised again by the slow path, so nothing is hidden.
        note = f"computed one at a time: a formula cannot take the swept values as an array ({error})"
        return _one_at_a_time(system, determination, year, per_copy), ONE_AT_A_TIME, [], note
    sampled = sorted({0, copies // 2, copies - 1})[:CHECKED_VALUES]
    reference = _one_at_a_time(system, determination, year, {p: v[sampled] for p, v in per_copy.items()})
    for position, index in enumerate(sampled):
        differs = numpy.flatnonzero(reference[position] != pence[index])
        if differs.size:
            body = differs[0]
            at = ", ".join(f"{path} = {values[index]:g}" for path, values in per_copy.items())
            note = (
                f"computed one at a time: the vectorised sweep differed from one at a time at {at} "
                f"({names[body]}: {format_pounds(int(pence[index, body]))} vectorised, "
                f"{format_pounds(int(reference[position, body]))} one at a time), so a formula "
                "mixes the copies of the country (a sum over every region of the simulation, "
                "say; openfisca_grants.within_country adds up within one country)"
            )
            return _one_at_a_time(system, determination, year, per_copy), ONE_AT_A_TIME, [], note
    return pence, VECTORISED, sampled, ""


class _CannotVectorise(Exception):
    """The swept parameters cannot be given one value per copy: the reason is the message."""


@dataclass
class _Plan:
    """What tracing one copy tells about a sweep: what to compute once, and how to lay out copies."""

    invariants: dict[str, tuple[str, numpy.ndarray]]  # variable: (entity key, value for one copy)
    readers: dict[str, str]  # swept path: key of the entity whose formulas read it
    compact: bool  # one authority per region suffices (no authority-level variable depends on it)


def _plan(system, determination, year, paths) -> _Plan:
    """Trace the grant on one copy of the year's country (the simulation ``compare`` uses).

    A variable whose formula, and every formula below it, reads no swept parameter has the same
    value in every copy, so it is computed once here and tiled, rather than computed again for
    every copy. If no variable that does depend on a swept parameter is a local authority's or a
    country's, or reads an authority's, each copy needs no authorities but one per region, to
    tie it to its country. (A formula that counts members without a variable, such as
    ``region.nb_persons()``, is caught by the sweep's self-check.)
    """
    simulation = build_simulation(year, system)
    tracing.start_tracing(simulation)
    simulation.calculate(determination.grant_variable, year.period)
    invariants, readers = {}, {}
    compact = determination.payee.entity != "local_authority"  # a group's grant: one member each

    def entity_of(node: tracing.Calculation) -> str:
        return system.variables[node.variable].entity.key

    def depends_on_paths(node: tracing.Calculation) -> bool:
        nonlocal compact
        below = [depends_on_paths(child) for child in node.computed_from]  # visit every child
        read_here = {p.path for p in node.parameters} & set(paths)
        for path in read_here:
            if readers.setdefault(path, entity_of(node)) != entity_of(node):
                raise _CannotVectorise(f"{path} is read by formulas of more than one entity")
        depends = any(below) or bool(read_here)
        if depends and (
            entity_of(node) in ("local_authority", "country")  # a country may count its members
            or any(entity_of(child) == "local_authority" for child in node.computed_from)
        ):
            compact = False
        if not depends and node.period == str(year.period):
            invariants[node.variable] = (entity_of(node), numpy.asarray(node.value))
        return depends

    for tree in tracing.calculations(simulation):
        depends_on_paths(tree)
    for path in paths:  # read by no formula of the grant: every copy gets the same grants
        readers.setdefault(path, system.variables[determination.grant_variable].entity.key)
    return _Plan(invariants, readers, compact)


def _copies_simulation(system, year, copies: int, compact: bool):
    """A simulation of ``copies`` copies of the year's country, built straight from numpy arrays.

    Each copy has the nine regions and its own country; its authorities are the year's, from the
    register, or (``compact``) one per region, enough to place the region in its country.
    Returns the simulation and the number of each entity per copy.
    """
    regions = register().regions
    region_index = {region.code: index for index, region in enumerate(regions)}
    if compact:
        authority_codes = None
        authority_region = numpy.arange(len(regions))
    else:
        authorities = bodies_of_year(year)  # as build_simulation holds them
        authority_codes = numpy.array([a.code for a in authorities], dtype=object)
        authority_region = numpy.array([region_index[a.region_code] for a in authorities])
    per_copy = {"local_authority": len(authority_region), "region": len(regions), "country": 1}
    copy_of_authority = numpy.repeat(numpy.arange(copies), per_copy["local_authority"])
    simulation = populations.simulation_from_arrays(
        system,
        ids={
            "local_authorities": numpy.arange(copies * per_copy["local_authority"]),
            "regions": numpy.arange(copies * len(regions)),
            "countries": numpy.arange(copies),
        },
        memberships={
            "regions": numpy.tile(authority_region, copies) + len(regions) * copy_of_authority,
            "countries": copy_of_authority,
        },
    )
    simulation.set_input(
        "region_code", ETERNITY, numpy.tile(numpy.array([r.code for r in regions], dtype=object), copies)
    )
    if authority_codes is not None:
        simulation.set_input("gss_code", ETERNITY, numpy.tile(authority_codes, copies))
    return simulation, per_copy


def _vectorised(system, determination, year, per_copy: dict[str, numpy.ndarray]) -> numpy.ndarray:
    system = system.clone()
    copies = len(next(iter(per_copy.values())))
    plan = _plan(system, determination, year, list(per_copy))
    # The swept leaves of the parameters the formulas will read for this year: each will hold
    # one value per entity of the copies instead of one number.
    swept_leaves = {}
    for path in per_copy:
        swept_leaves[path] = parameters.numeric_leaf_as_read(system, year.period, path)
        if swept_leaves[path] is None:
            raise _CannotVectorise(f"{path} is not a number in {year.label}")
    chunks = []
    for start in range(0, copies, CHUNK_COPIES):
        part = {path: values[start : start + CHUNK_COPIES] for path, values in per_copy.items()}
        chunks.append(_vectorised_chunk(system, determination, year, part, plan, swept_leaves))
        if copies > CHUNK_COPIES:
            # A simulation refers to itself through its populations, so only the cycle collector
            # frees it: collect now, or the chunks' arrays pile up until it happens to run.
            gc.collect()
    return numpy.vstack(chunks)


def _vectorised_chunk(system, determination, year, per_copy, plan: _Plan, swept_leaves) -> numpy.ndarray:
    """The grants of one simulation of copies (a chunk of the sweep's values)."""
    copies = len(next(iter(per_copy.values())))
    simulation, counts = _copies_simulation(system, year, copies, plan.compact)
    for variable, (entity, value) in plan.invariants.items():
        if value.shape == (counts[entity],):
            simulation.set_input(variable, year.period, numpy.tile(value, copies))
    for path, values in per_copy.items():
        swept_leaves[path].give(numpy.repeat(values, counts[plan.readers[path]]))
    variable = determination.grant_variable
    result = simulation.calculate(variable, year.period)
    paid = counts[system.variables[variable].entity.key]
    if result.shape != (copies * paid,):
        raise ValueError("the formula did not compute one amount per copy")
    unreadable = ~numpy.isfinite(result)
    if unreadable.any():  # say at which value and for whom, as one at a time would
        copy, body = divmod(int(numpy.argmax(unreadable)), paid)
        at = ", ".join(f"{path} = {values[copy]:g}" for path, values in per_copy.items())
        code = _paid_bodies(determination, year)[1][body]
        raise RulesCannotAnswer(
            f"{variable} for {code} comes out as {float(result[copy * paid + body])!r} at {at}: "
            "not an amount this tool reports.",
            hint="A formula, or a reform's formula, gave a value that is not an amount of money.",
        )
    return pence_array(result, what=variable).reshape(copies, paid)


def _one_at_a_time(system, determination, year, per_copy: dict[str, numpy.ndarray]) -> numpy.ndarray:
    """Each copy's grants from its own reformed system and simulation of the year (as ``compare``)."""
    rows = []
    copies = len(next(iter(per_copy.values())))
    codes = _paid_bodies(determination, year)[1]
    for index in range(copies):
        changes = [
            validate(system, path, _exact(float(values[index]), path, system), year=year.label)
            for path, values in per_copy.items()
        ]
        reformed = apply(from_changes("sweep", changes), system)
        simulation = build_simulation(year, reformed)
        variable = determination.grant_variable
        rows.append(pence_array(simulation.calculate(variable, year.period), what=variable, ids=codes))
    if rows:
        return numpy.vstack(rows)
    return numpy.zeros((0, len(codes)), dtype=numpy.int64)


def _exact(value: float, path: str, system):
    """A swept float as the reform path wants it (whole pence for money, an int for a count)."""
    entry = parameter_index.index(system).find(path)
    parameter = entry.parameter
    if entry.unit == MONEY_UNIT:
        return boundary.money_pence(round(value, 2), path, allow_negative=True) / 100
    if isinstance(parameter.values_list[-1].value or parameter.values_list[0].value, int):
        return int(round(value))
    return value
