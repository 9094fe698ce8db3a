"""The Python API, for notebooks: allocations, reforms compared, sweeps, explanations, as plain data.

Every argument passes the checked boundary (``openfisca_grants.boundary``): a value the rules
cannot take raises ``RulesCannotAnswer`` saying what was given and what would be accepted.
Every function returns lists, dicts and numpy arrays; money is given both as exact integer
pence (``*_pence``) and as a decimal string in pounds. A reform is a ``ReformSpec``, the path
of a reform file (``.yaml`` or ``.py``), or a dict ``{parameter path: new value}``::

    from openfisca_grants import api

    api.allocations("2024-25")["E12000009"]["amount"]          # '260600.00'
    api.entitlement("2016-17", authority="London Borough of Southwark")["amount"]  # '1637997.91'
    for row in api.compare("examples/london_weighting_20.yaml", "2024-25")[0]["rows"]:
        print(row["name"], row["baseline"], row["reform"], row["difference"])
    rate = "..."  # the path of a rate, as api.parameters("2024-25") lists them
    swept = api.sweep(rate, [0.10, 0.14, 0.20], "2024-25")
    swept["pence"].shape                                         # (3, 9): values x regions
    api.explain("2024-25", region="South West")["computation"]["value"]   # '£260,600.00'
"""

from __future__ import annotations

import pathlib

from openfisca_grants import boundary, determinations, reforms
from openfisca_grants import compare as _compare
from openfisca_grants import explain as _explain
from openfisca_grants import reconcile as _reconcile
from openfisca_grants import sweep as _sweep
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.paid_bodies import paid_body
from openfisca_grants.register import register
from openfisca_grants.simulation import amounts_in_pence, build_simulation, tax_benefit_system


def _year(year) -> FinancialYear:
    return boundary.financial_year(year, "year")


def _body(region, authority) -> tuple[str | None, str | None]:
    for name, value in (("region", region), ("authority", authority)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise boundary.refuse(
                name,
                value,
                f"is not the name or code of {'a region' if name == 'region' else 'an authority'}.",
            )
    return region, authority


def as_reform(value, year=None, name: str | None = None) -> reforms.ReformSpec | None:
    """A ``ReformSpec`` from a spec, a reform file's path, or a dict of parameter changes.

    A ``.py`` reform file is a program: loading it runs its code, so load only files you trust.
    """
    if value is None:
        return value
    if isinstance(value, reforms.ReformSpec):
        return reforms.checked_spec(value)
    if isinstance(value, (str, pathlib.Path)):
        return reforms.load(value)
    if isinstance(value, dict):
        if not value:
            raise RulesCannotAnswer("The reform changes nothing: give at least one parameter and its value.")
        year = None if year is None else _year(year)
        changes = [
            reforms.validate(
                tax_benefit_system(), path, new, year=year, where=f"change {boundary.shown(path)}"
            )
            for path, new in value.items()
        ]
        reforms.refuse_changed_twice(changes)  # a path with or without its leading "determinations."
        label = name or ", ".join(f"{c.path.rsplit('.', 1)[-1]} = {c.value}" for c in changes)
        return reforms.from_changes(label, changes)
    raise boundary.refuse(
        "reform",
        value,
        "is not a reform.",
        "Give a dict of parameter changes, a reform file's path or a ReformSpec.",
    )


def allocations(year, reform=None) -> dict[str, dict]:
    """Each paid body's grant for ``year`` (under a reform, if given): {code: {name, pence, amount}}."""
    year = _year(year)
    spec = as_reform(reform, year)
    with reforms.computing_under(spec):
        return _allocations(year, spec)


def _allocations(year, spec) -> dict[str, dict]:
    system = reforms.apply(spec) if spec else tax_benefit_system()
    simulation = build_simulation(year, system)
    result = {}
    for determination in determinations.for_year(year):
        paid_per = determination.paid_per
        amounts = amounts_in_pence(simulation, determination.grant_variable, year)
        for code, pence in amounts.items():
            if paid_per == "local_authority" and pence == 0:
                continue
            name = register().region(code).name if paid_per == "region" else register().authority(code).name
            result[code] = {
                "name": name,
                "determination": determination.number,
                "status": determination.status_text,
                "pence": pence,
                "amount": f"{pence / 100:.2f}",
            }
    return result


def entitlement(year, region: str | None = None, authority: str | None = None, reform=None) -> dict:
    """One body's grant for ``year``; raises for a body the year's determination does not pay."""
    year = _year(year)
    body = paid_body(year, *_body(region, authority))
    spec = as_reform(reform, year)
    with reforms.computing_under(spec):
        simulation = build_simulation(year, reforms.apply(spec) if spec else tax_benefit_system())
        pence = amounts_in_pence(simulation, body.determination.grant_variable, year)[body.code]
    return {
        "determination": body.determination.number,
        "status": body.determination.status_text,
        "financial_year": body.year.label,
        "code": body.code,
        "name": body.name,
        "pence": pence,
        "amount": f"{pence / 100:.2f}",
    }


def compare(reform, year, budget_neutral: bool = False) -> list[dict]:
    """Baseline against reform for each determination of ``year`` (see ``Comparison.as_dict``)."""
    year = _year(year)
    if not isinstance(budget_neutral, bool):
        raise boundary.refuse("budget_neutral", budget_neutral, "is not true or false.")
    spec = as_reform(reform, year)
    if spec is None:
        raise RulesCannotAnswer("compare needs a reform: a dict of parameter changes or a reform file.")
    with reforms.computing_under(spec):
        return [c.as_dict() for c in _compare.compare(spec, year, budget_neutral=budget_neutral)]


def sweep(parameter: str, values, year, reform=None) -> dict:
    """Each body's grant for each value: ``pence`` is an int64 array (values x bodies)."""
    year = _year(year)
    spec = as_reform(reform, year)
    with reforms.computing_under(spec):
        result = _sweep.sweep(parameter, boundary.sweep_values(values), year, reform=spec)
    return {
        "parameter": result.parameter,
        "financial_year": result.year.label,
        "method": result.method,
        "checked": result.checked,  # values recomputed one at a time before reporting
        "note": result.note,  # why the sweep went one at a time, if it did
        "values": result.values,
        "codes": result.codes,
        "names": result.names,
        "pence": result.pence,
    }


def explain(year, region: str | None = None, authority: str | None = None, reform=None) -> dict:
    """The computation tree of one body's grant, with each parameter's source."""
    year = _year(year)
    region, authority = _body(region, authority)
    spec = as_reform(reform, year)
    with reforms.computing_under(spec):
        return _explain.explain(year, region=region, authority=authority, reform=spec)


def parameters(year=None) -> list[dict]:
    """Every parameter a reform can change: path, value, unit, source."""
    return reforms.changeable_parameters(year=None if year is None else _year(year))


def reconcile(year=None) -> list[dict]:
    """Annex A against the rules (see ``Reconciliation.as_dict``)."""
    return [r.as_dict() for r in _reconcile.reconcile(None if year is None else _year(year))]


__all__ = [
    "FinancialYear",
    "allocations",
    "entitlement",
    "compare",
    "explain",
    "parameters",
    "reconcile",
    "as_reform",
    "sweep",
]


# ---- tables: pandas DataFrames (money as exact int64 pence beside decimal strings) -----------


def allocations_table(year, reform=None):
    """``allocations`` as a DataFrame: one row per paid body; ``amount_pence`` and ``amount``."""
    from openfisca_grants.tables import money_frame

    records = [
        {
            "code": code,
            "name": row["name"],
            "determination": row["determination"],
            "amount_pence": row["pence"],
        }
        for code, row in allocations(year, reform).items()
    ]
    return money_frame(records, ["amount"])


def _flag(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise boundary.refuse(name, value, "is not true or false.")
    return value


def compare_table(reform, year, budget_neutral: bool = False, total: bool = False):
    """``compare`` as a DataFrame: one row per paid body (``total=True`` adds each Total row)."""
    from openfisca_grants.tables import comparison_frame

    year = _year(year)
    budget_neutral, total = _flag("budget_neutral", budget_neutral), _flag("total", total)
    spec = as_reform(reform, year)
    if spec is None:
        raise RulesCannotAnswer("compare needs a reform: a dict of parameter changes or a reform file.")
    return comparison_frame(_compare.compare(spec, year, budget_neutral=budget_neutral), total=total)


def sweep_table(parameter: str, values, year, reform=None, budget_neutral: bool = False):
    """``sweep`` as a long DataFrame: one row per value and body, ``grant_pence`` and ``grant``."""
    from openfisca_grants.tables import sweep_frame

    year = _year(year)
    values = boundary.sweep_values(values)
    budget_neutral = _flag("budget_neutral", budget_neutral)
    spec = as_reform(reform, year)
    return sweep_frame(_sweep.sweep(parameter, values, year, reform=spec, budget_neutral=budget_neutral))


def grid_sweep(parameters, values, year, reform=None, budget_neutral: bool = False):
    """Two parameters swept together: a ``GridSweepResult`` (``pence``: first x second x bodies)."""
    year = _year(year)
    budget_neutral = _flag("budget_neutral", budget_neutral)
    if (
        not isinstance(parameters, (list, tuple))
        or not isinstance(values, (list, tuple))
        or (len(parameters) != 2 or len(values) != 2)
    ):
        raise RulesCannotAnswer(
            "A grid sweep takes two parameters and two lists of values: "
            "grid_sweep([first, second], [first_values, second_values], year)."
        )
    checked = tuple(boundary.sweep_values(some) for some in values)
    spec = as_reform(reform, year)
    return _sweep.grid_sweep(tuple(parameters), checked, year, reform=spec, budget_neutral=budget_neutral)


def grid_sweep_table(parameters, values, year, reform=None, budget_neutral: bool = False):
    """``grid_sweep`` as a long DataFrame: one row per pair of values and body."""
    from openfisca_grants.tables import grid_sweep_frame

    return grid_sweep_frame(grid_sweep(parameters, values, year, reform, budget_neutral))


def reconcile_table(year=None):
    """``reconcile`` as a DataFrame: every Annex A row and total, published beside computed."""
    from openfisca_grants.tables import reconciliation_frame

    return reconciliation_frame(_reconcile.reconcile(None if year is None else _year(year)))


__all__ += [
    "allocations_table",
    "compare_table",
    "sweep_table",
    "grid_sweep",
    "grid_sweep_table",
    "reconcile_table",
]
