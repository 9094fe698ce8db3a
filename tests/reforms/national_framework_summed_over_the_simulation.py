"""The trap: the National Framework pot shared with sums over every region of the simulation.

Right in ``compare`` (one country), wrong in a vectorised sweep (every copy of the country adds
to the sums): the sweep's self-check must catch it and fall back to one value at a time.
"""

from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Region
from openfisca_grants.money import Money, round_to_pence
from openfisca_grants.register import register

RIIA = by_number("31/7421")


@RIIA.governs
class riia_national_framework_implementation(Money):
    entity = Region
    definition_period = YEAR
    label = "National Framework implementation shared by authorities, summed over the simulation"

    def formula_2024_04(region, period, parameters):
        framework = parameters(period).determinations.riia_31_7421.national_framework_implementation
        pot = framework.amount_per_region * len(register().regions)
        authorities = region("local_authorities_in_region", period)
        return round_to_pence(pot * authorities / authorities.sum())


class national_framework_summed_over_the_simulation(Reform):
    name = "National Framework shared by authorities (summed over the simulation)"

    def apply(self):
        self.update_variable(riia_national_framework_implementation)
