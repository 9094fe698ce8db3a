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

from openfisca_grants import boundary, reforms, use_cases
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear


def _whatif(year, reform=None, budget_neutral=None, determination=None) -> use_cases.WhatIf:
    """The what-if a call asks about: a reform given as a spec, a file's path or a dict."""
    if isinstance(reform, dict):
        if not reform:
            raise RulesCannotAnswer("The reform changes nothing: give at least one parameter and its value.")
        return use_cases.what_if(
            year,
            changes=reform,
            budget_neutral=budget_neutral,
            determination=determination,
            where="change",
            words=use_cases.PYTHON,
        )
    _refuse_what_is_not_a_reform(reform)
    return use_cases.what_if(
        year,
        reform=reform,
        budget_neutral=budget_neutral,
        determination=determination,
        words=use_cases.PYTHON,
    )


def _refuse_what_is_not_a_reform(reform) -> None:
    if reform is not None and not isinstance(reform, (dict, str, pathlib.Path, reforms.ReformSpec)):
        raise boundary.refuse(
            "reform",
            reform,
            "is not a reform.",
            "Give a dict of parameter changes, a reform file's path or a ReformSpec.",
        )


def as_reform(value, year=None, name: str | None = None) -> reforms.ReformSpec | None:
    """A ``ReformSpec`` from a spec, a reform file's path, or a dict of parameter changes.

    A ``.py`` reform file is a program: loading it runs its code, so load only files you trust.
    """
    _refuse_what_is_not_a_reform(value)
    if value is None:
        return None
    if year is None and isinstance(value, dict) and value:
        # Each change for its own determination's year, as a reform file without 'year:' reads.
        path = next(iter(value))
        year = reforms.determination_of(reforms.find_parameter(_baseline(), path, "change")[0]).financial_year
    if year is None:
        return use_cases.whatif.reform_spec(value) if not isinstance(value, dict) else None
    spec = _whatif(year, value).spec
    if name and spec is not None:
        spec.name = name
    return spec


def _governed(year) -> FinancialYear | None:
    """A year some determination governs (None: every encoded year)."""
    return None if year is None else use_cases.year_of(year, governed=True)


def _baseline():
    from openfisca_grants.simulation import tax_benefit_system

    return tax_benefit_system()


def allocations(year, reform=None) -> dict[str, dict]:
    """Each paid body's grant for ``year`` (under a reform, if given): {code: {name, pence, amount}}."""
    return {a.code: a.as_dict() for a in use_cases.allocations(_whatif(year, reform))}


def entitlement(year, region: str | None = None, authority: str | None = None, reform=None) -> dict:
    """One body's grant for ``year``; raises for a body the year's determination does not pay."""
    whatif = _whatif(year, reform)
    found = use_cases.entitlement(whatif, region=region, authority=authority)
    return {
        "determination": found.determination.number,
        "status": found.determination.status_text,
        "financial_year": whatif.year.label,
        "code": found.code,
        "name": found.name,
        "pence": found.pence,
        "amount": found.as_dict()["amount"],
    }


def _comparisons(reform, year, budget_neutral, determination=None):
    if reform is None:
        raise RulesCannotAnswer("compare needs a reform: a dict of parameter changes or a reform file.")
    return use_cases.compare(_whatif(year, reform, _flag("budget_neutral", budget_neutral), determination))


def compare(reform, year, budget_neutral: bool | None = None, determination: str | None = None) -> list[dict]:
    """Baseline against reform for each determination of ``year``, or the one numbered
    ``determination`` (see ``Comparison.as_dict``).

    ``budget_neutral`` left out: as the reform file says (``budget_neutral: true``), else not.
    """
    return [c.as_dict() for c in _comparisons(reform, year, budget_neutral, determination)]


def sweep(parameter: str, values, year, reform=None, budget_neutral: bool | None = None) -> dict:
    """Each body's grant for each value: ``pence`` is an int64 array (values x bodies)."""
    result = use_cases.sweep(
        _whatif(year, reform, _flag("budget_neutral", budget_neutral)), parameter, values
    )
    return {
        "parameter": result.parameter,
        "financial_year": result.year.label,
        "status": result.status,
        "method": result.method,
        "checked": result.checked,  # values recomputed one at a time before reporting
        "note": result.note,  # why the sweep went one at a time, if it did
        "values": result.values,
        "codes": result.codes,
        "names": result.names,
        "pence": result.pence,
    }


def explain(
    year, region: str | None = None, authority: str | None = None, reform=None, determination=None
) -> dict:
    """The computation tree of one body's grant, with each parameter's source."""
    return use_cases.explain(_whatif(year, reform, determination=determination), region, authority)


def statement(year, body: str, reform=None, determination=None, budget_neutral: bool | None = None) -> dict:
    """Every payment to ``body`` in ``year``, from each determination (directly or as a region's
    lead body), with each line's source and the total (see ``Statement.as_dict``)."""
    whatif = _whatif(year, reform, _flag("budget_neutral", budget_neutral), determination)
    return use_cases.statement(whatif, body).as_dict()


def parameters(year=None) -> list[dict]:
    """Every parameter a reform can change: path, value, unit, source."""
    return use_cases.parameters(_governed(year))


def reconcile(year=None, determination: str | None = None) -> list[dict]:
    """Annex A against the rules: every determination, those of ``year``, or one by number
    (see ``Reconciliation.as_dict``)."""
    return [r.as_dict() for r in use_cases.reconcile(_governed(year), determination)]


__all__ = [
    "FinancialYear",
    "allocations",
    "entitlement",
    "compare",
    "explain",
    "parameters",
    "reconcile",
    "as_reform",
    "statement",
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


def _flag(name: str, value) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise boundary.refuse(name, value, "is not true or false.")
    return value


def compare_table(reform, year, budget_neutral: bool | None = None, total: bool = False):
    """``compare`` as a DataFrame: one row per paid body (``total=True`` adds each Total row)."""
    from openfisca_grants.tables import comparison_frame

    total = bool(_flag("total", total))
    return comparison_frame(_comparisons(reform, year, budget_neutral), total=total)


def sweep_table(parameter: str, values, year, reform=None, budget_neutral: bool | None = None):
    """``sweep`` as a long DataFrame: one row per value and body, ``grant_pence`` and ``grant``."""
    from openfisca_grants.tables import sweep_frame

    whatif = _whatif(year, reform, _flag("budget_neutral", budget_neutral))
    return sweep_frame(use_cases.sweep(whatif, parameter, values))


def grid_sweep(parameters, values, year, reform=None, budget_neutral: bool | None = None):
    """Two parameters swept together: a ``GridSweepResult`` (``pence``: first x second x bodies)."""
    whatif = _whatif(year, reform, _flag("budget_neutral", budget_neutral))
    return use_cases.grid(whatif, parameters, values)


def grid_sweep_table(parameters, values, year, reform=None, budget_neutral: bool | None = None):
    """``grid_sweep`` as a long DataFrame: one row per pair of values and body."""
    from openfisca_grants.tables import grid_sweep_frame

    return grid_sweep_frame(grid_sweep(parameters, values, year, reform, budget_neutral))


def reconcile_table(year=None):
    """``reconcile`` as a DataFrame: every Annex A row and total, published beside computed."""
    from openfisca_grants.tables import reconciliation_frame

    return reconciliation_frame(use_cases.reconcile(_governed(year)))


__all__ += [
    "allocations_table",
    "compare_table",
    "sweep_table",
    "grid_sweep",
    "grid_sweep_table",
    "reconcile_table",
]
