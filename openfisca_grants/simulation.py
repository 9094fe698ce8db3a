"""Build a simulation of a financial year from the register, and read money out of it exactly.

``build_simulation("2024-25")`` puts every authority that exists on 1 April of that year in
the simulation, each in its region and all in England, so that any per-authority, regional or
national variable of the year can be calculated. ``amounts_in_pence`` reads a money variable as
{entity id: exact pence}: authorities are identified by GSS code, regions by ONS code.
"""

from __future__ import annotations

import functools

from openfisca_core.simulations import Simulation, SimulationBuilder

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.money import pence_array
from openfisca_grants.register import register

ENGLAND = "england"


@functools.cache
def tax_benefit_system():
    """The baseline rules, built once per process."""
    from openfisca_grants import CountryTaxBenefitSystem

    return CountryTaxBenefitSystem()


def situation(year) -> dict:
    """The situation (OpenFisca's input format) of every authority on 1 April of ``year``."""
    on = FinancialYear.parse(year).start
    authorities = register().authorities_on(on)
    return {
        "local_authorities": {a.code: {"gss_code": {"ETERNITY": a.code}} for a in authorities},
        "regions": {
            region.code: {
                "members": [a.code for a in authorities if a.region_code == region.code],
                "region_code": {"ETERNITY": region.code},
            }
            for region in register().regions
        },
        "countries": {ENGLAND: {"authorities": [a.code for a in authorities]}},
    }


def build_simulation(year, system=None) -> Simulation:
    """A simulation of every authority, region and England for the financial year ``year``."""
    return SimulationBuilder().build_from_entities(system or tax_benefit_system(), situation(year))


def amounts_in_pence(simulation: Simulation, variable: str, year) -> dict[str, int]:
    """A money variable for the year as {entity id: exact pence}."""
    system = simulation.tax_benefit_system
    if variable not in system.variables:
        from openfisca_grants.errors import closest

        raise RulesCannotAnswer(
            f"No variable is called '{variable}'.",
            available="Closest: " + ", ".join(closest(variable, system.variables)) + ".",
        )
    entity = system.variables[variable].entity
    population = simulation.get_population(entity.plural)
    values = simulation.calculate(variable, FinancialYear.parse(year).period)
    return dict(zip(population.ids, (int(p) for p in pence_array(values)), strict=True))
