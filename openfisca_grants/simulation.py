"""Build a simulation of a financial year from the register, and read money out of it exactly.

``build_simulation("2024-25")`` puts every authority that exists on 1 April of that year in
the simulation, each in its region and all in England, so that any per-authority, regional or
national variable of the year can be calculated (built from arrays, by
``openfisca_adapter.populations``). ``amounts_in_pence`` reads a money variable as {entity id:
exact pence}: authorities are identified by GSS code, regions by ONS code.
"""

from __future__ import annotations

import functools

import numpy
from openfisca_core.periods import ETERNITY

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.money import pence_array
from openfisca_grants.openfisca_adapter import populations
from openfisca_grants.register import register

ENGLAND = "england"


@functools.cache
def tax_benefit_system():
    """The baseline rules, built once per process."""
    from openfisca_grants import CountryTaxBenefitSystem

    return CountryTaxBenefitSystem()


def build_simulation(year, system=None):
    """A simulation of every authority, region and England for the financial year ``year``.

    Every authority existing on 1 April of that year (ids: GSS codes) in its region (ids: ONS
    codes) and all in England (id: "england").
    """
    on = FinancialYear.parse(year).start
    authorities = register().authorities_on(on)
    regions = register().regions
    region_index = {region.code: index for index, region in enumerate(regions)}
    simulation = populations.simulation_from_arrays(
        system or tax_benefit_system(),
        ids={
            "local_authorities": [a.code for a in authorities],
            "regions": [r.code for r in regions],
            "countries": [ENGLAND],
        },
        memberships={
            "regions": [region_index[a.region_code] for a in authorities],
            "countries": numpy.zeros(len(authorities), dtype=int),
        },
    )
    simulation.set_input("gss_code", ETERNITY, numpy.array([a.code for a in authorities], dtype=object))
    simulation.set_input("region_code", ETERNITY, numpy.array([r.code for r in regions], dtype=object))
    return simulation


def amounts_in_pence(simulation, variable: str, year) -> dict[str, int]:
    """A money variable for the year as {entity id: exact pence}."""
    system = simulation.tax_benefit_system
    if variable not in system.variables:
        from openfisca_grants.errors import closest

        raise RulesCannotAnswer(
            f"No variable is called '{variable}'.",
            available="Closest: " + ", ".join(closest(variable, system.variables)) + ".",
        )
    ids = populations.ids(simulation, system.variables[variable].entity.plural)
    values = simulation.calculate(variable, FinancialYear.parse(year).period)
    pence = pence_array(values, what=variable, ids=ids)
    return dict(zip(ids, (int(p) for p in pence), strict=True))
