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
    if value is None or isinstance(value, reforms.ReformSpec):
        return value
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
    return [c.as_dict() for c in _compare.compare(spec, year, budget_neutral=budget_neutral)]


def sweep(parameter: str, values, year, reform=None) -> dict:
    """Each body's grant for each value: ``pence`` is an int64 array (values x bodies)."""
    year = _year(year)
    result = _sweep.sweep(parameter, boundary.sweep_values(values), year, reform=as_reform(reform, year))
    return {
        "parameter": result.parameter,
        "financial_year": result.year.label,
        "method": result.method,
        "values": result.values,
        "codes": result.codes,
        "names": result.names,
        "pence": result.pence,
    }


def explain(year, region: str | None = None, authority: str | None = None, reform=None) -> dict:
    """The computation tree of one body's grant, with each parameter's source."""
    year = _year(year)
    region, authority = _body(region, authority)
    return _explain.explain(year, region=region, authority=authority, reform=as_reform(reform, year))


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
