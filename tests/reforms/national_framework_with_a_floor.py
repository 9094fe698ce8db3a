"""The National Framework pot shared by authorities, with a floor: no region below 3/4 of the amount.

Regions whose share falls below the floor get the floor; the rest of the pot is shared between
the other regions by their authorities. Every total is within the region's own country.
"""

import numpy
from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Region
from openfisca_grants.money import Money, round_to_pence
from openfisca_grants.within_country import regions_in_country, total_of_country

RIIA = by_number("31/7421")


@RIIA.governs
class riia_national_framework_implementation(Money):
    entity = Region
    definition_period = YEAR
    label = "National Framework implementation shared by authorities, with a floor (reform)"

    def formula_2024_04(region, period, parameters):
        per_region = parameters(period).determinations.riia_31_7421.national_framework_implementation
        pot = per_region.amount_per_region * regions_in_country(region)
        floor = per_region.amount_per_region * 0.75
        authorities = region("local_authorities_in_region", period).astype(numpy.float64)
        below = pot * authorities / total_of_country(region, authorities) < floor
        left = pot - total_of_country(region, numpy.where(below, floor, 0.0))
        sharing = total_of_country(region, numpy.where(below, 0.0, authorities))
        return round_to_pence(numpy.where(below, floor, left * authorities / sharing))


class national_framework_with_a_floor(Reform):
    name = "National Framework shared by authorities, with a floor"

    def apply(self):
        self.update_variable(riia_national_framework_implementation)
