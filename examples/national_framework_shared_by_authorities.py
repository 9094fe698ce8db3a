"""National Framework funding as one national pot, shared between regions by their authorities.

Baseline: "funding of £27,200 per region". This reform keeps the national pot (£27,200 x the
nine regions = £244,800) but shares it by each region's number of authorities on 1 April 2024,
so London (33 of 153) gets more and the East Midlands (10) less.

    openfisca-grants compare examples/national_framework_shared_by_authorities.py --year 2024-25
    openfisca-grants sweep riia_31_7421.national_framework_implementation.amount_per_region \\
        --from 27200 --to 30000 --steps 3 --year 2024-25 \\
        --reform examples/national_framework_shared_by_authorities.py

The pot and the shares are worked out within the region's own country with
``openfisca_grants.within_country``: a sum over every region of the simulation
(``authorities.sum()``) would be England's in ``compare`` but every copy's in a sweep.
"""

from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Region
from openfisca_grants.money import Money, round_to_pence
from openfisca_grants.within_country import regions_in_country, share_of_country

RIIA = by_number("31/7421")


@RIIA.governs
class riia_national_framework_implementation(Money):
    entity = Region
    definition_period = YEAR
    label = "National Framework implementation: the national pot shared by number of authorities (reform)"
    reference = "Determination 31/7421, covering letter, National Framework paragraphs (reformed)"

    def formula_2024_04(region, period, parameters):
        framework = parameters(period).determinations.riia_31_7421.national_framework_implementation
        pot = framework.amount_per_region * regions_in_country(region)
        authorities = region("local_authorities_in_region", period)
        return round_to_pence(pot * share_of_country(region, authorities))


class national_framework_shared_by_authorities(Reform):
    name = "National Framework funding shared by number of authorities"

    def apply(self):
        self.update_variable(riia_national_framework_implementation)
