"""Build a simulation of a financial year from the register, and read money out of it exactly.

``build_simulation("2024-25")`` puts the bodies of that year in the simulation (``bodies_of_year``:
every authority existing on 1 April; and, in a year a determination pays other bodies directly,
the combined authorities and the Greater London Authority existing in the year), each in its
region and all in England, so that any per-body, regional or national variable of the year can
be calculated (built from arrays, by
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


def bodies_of_year(year) -> list:
    """The bodies a simulation of the financial year ``year`` holds, in its order.

    The authorities with children's services duties on 1 April; and, where a determination of
    the year pays other bodies directly (its kind of payee ``can_pay`` a combined authority),
    every body a determination of the year could pay (``register().payees_in_year``). Only then:
    a formula reading data kept per authority (a need index by GSS code) meets a combined
    authority only in a year whose letters pay one.
    """
    from openfisca_grants import determinations

    start = FinancialYear.parse(year).start
    others = [body for body in register().payees_in_year(start) if not body.has_childrens_services]
    of_year = [d for d in determinations.catalogue() if d.financial_year.start == start]
    paying_others = any(d.payee.can_pay(body) for d in of_year for body in others)
    return register().payees_in_year(start) if paying_others else register().authorities_on(start)


def require_bodies_of_year(codes, start) -> None:
    """Raise unless every code is one of the bodies of the financial year from ``start``: a code
    of no body, of a body that did not exist then, or of a combined authority in a year no
    letter pays one, is an error naming why, never a body paid nothing."""
    bodies = bodies_of_year(start)
    if all(body.has_childrens_services for body in bodies):
        register().require_authorities(codes, start)
    else:
        register().require_payees(codes, start)


def build_simulation(year, system=None):
    """A simulation of the year's bodies, regions and England for the financial year ``year``.

    Each of ``bodies_of_year(year)`` (ids: GSS codes) in its region (ids: ONS codes) and all in
    England (id: "england"). A determination paying authorities pays a combined authority
    nothing; one paying regions counts its regions' authorities from the register, not from the
    members here.
    """
    authorities = bodies_of_year(year)
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
