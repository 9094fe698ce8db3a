"""Totals and shares across the regions of one country, for formulas that share a national pot.

A formula runs over every region of a simulation at once. ``weights.sum()`` adds up every
region in the simulation, which is the country only when the simulation holds one country: a
sweep holds one copy of the country per swept value, so there it would add up every copy. These
helpers add up within each region's own country (a region's country is its authorities'), so a
formula written with them gives the same figure in a simulation of one country, in a sweep of
100,000 copies, and in a YAML case::

    from openfisca_grants.within_country import regions_in_country, share_of_country

    def formula_2024_04(region, period, parameters):
        amount_per_region = ...  # a parameter of the determination's
        pot = amount_per_region * regions_in_country(region)
        return round_to_pence(pot * share_of_country(region, region("local_authorities_in_region", period)))

``examples/national_framework_shared_by_authorities.py`` is a worked reform written this way.
"""

from __future__ import annotations

import numpy

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.openfisca_adapter import populations


def one_per_region(region, amount) -> numpy.ndarray:
    """``amount`` for each region: a formula must return one value per region of the simulation.

    A formula that computes only from parameters gets a number in ``compare`` (one value for
    every region) but an array in a sweep (one value per copy of each region); this gives both
    the shape OpenFisca expects, where ``amount + 0 * region(...)`` would hide why.
    """
    return numpy.broadcast_to(numpy.asarray(amount, dtype=numpy.float64), (region.count,)).copy()


def country_of(region) -> numpy.ndarray:
    """For each region of the simulation, the index of the country its authorities are in."""
    # Counted with minlength: openfisca-core's nb_persons() leaves out regions after the last
    # one with a member, so an empty region listed last would otherwise slip through.
    members = numpy.bincount(region.members_entity_id, minlength=region.count)
    if (members == 0).any():
        raise RulesCannotAnswer(
            "A region without authorities is in no country, so no national pot can be shared with it.",
            hint="Place at least one authority in each region, or give the region's region_code "
            "so that the YAML runner fills it in from the register.",
        )
    country_of_each_authority = populations.group_of_each_member(region, "country")
    return region.value_from_first_person(country_of_each_authority).astype(numpy.int64)


def total_of_country(region, values) -> numpy.ndarray:
    """For each region, the sum of ``values`` over every region of its country."""
    countries = country_of(region)
    count = populations.group_count(region, "country")
    values = numpy.broadcast_to(numpy.asarray(values, dtype=numpy.float64), countries.shape)
    totals = numpy.bincount(countries, weights=values, minlength=count)
    return totals[countries]


def once_per_region(country, regional_values) -> numpy.ndarray:
    """``regional_values`` as each authority of the country sees it (its region's), kept at the
    region's first authority only and 0 elsewhere: summed over the country, each region counts once.
    """
    first_in_region = populations.first_member_of_its_group(country, "region")
    return numpy.where(first_in_region, regional_values, 0.0)


def regions_in_country(region) -> numpy.ndarray:
    """For each region, how many regions its country has (9 for England)."""
    return total_of_country(region, numpy.ones(region.count)).astype(numpy.int64)


def share_of_country(region, weights) -> numpy.ndarray:
    """For each region, its ``weights`` over the total of its country's (the shares add up to 1)."""
    weights = numpy.asarray(weights, dtype=numpy.float64)
    totals = total_of_country(region, weights)
    if (totals == 0).any():
        raise RulesCannotAnswer("Cannot share a pot by weights that add up to 0 over a country.")
    return weights / totals
