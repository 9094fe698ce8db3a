"""The National Framework pot held by the country, shared by authorities counted as its members.

A country-level variable that depends on the swept amount and counts the country's authorities
(``country.nb_persons()``): the sweep must lay out every authority of each copy for it.
"""

from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Country, Region
from openfisca_grants.money import Money, round_to_pence

RIIA = by_number("31/7421")


@RIIA.governs
class national_framework_pot_per_authority(Money):
    entity = Country
    definition_period = YEAR
    label = "The National Framework pot (9 x the per-region amount) per authority of the country"

    def formula_2024_04(country, period, parameters):
        per_region = parameters(period).determinations.riia_31_7421.national_framework_implementation
        return per_region.amount_per_region * 9 / country.nb_persons()


@RIIA.governs
class riia_national_framework_implementation(Money):
    entity = Region
    definition_period = YEAR
    label = "National Framework implementation: the country's pot per authority x the region's authorities"

    def formula_2024_04(region, period, parameters):
        per_authority = region.value_from_first_person(
            region.members.country("national_framework_pot_per_authority", period)
        )
        return round_to_pence(per_authority * region("local_authorities_in_region", period))


class national_framework_pot_from_a_country_variable(Reform):
    name = "National Framework pot held by the country"

    def apply(self):
        self.add_variable(national_framework_pot_per_authority)
        self.update_variable(riia_national_framework_implementation)
