"""A per-authority element distributed by an indicator of need read from a CSV (made-up data).

Baseline: "£3,200 allocated to each LA within the region" for self-assessment and peer challenge.
This reform keeps the national pot (£3,200 x 153 authorities = £489,600) but shares it between
regions by the sum of their authorities' need index, read from
``examples/data/illustrative_need_index_2024_25.csv``: ILLUSTRATIVE, MADE-UP data.

    openfisca-grants compare examples/need_weighted_self_assessment.py --year 2024-25

The CSV is checked against the register when the reform is built: an unknown code, an
authority that did not exist on 1 April 2024, a duplicate or a missing authority is refused.
Each region's share is rounded to the penny, so the shares may add up to the pot give or take a
few pence; ``--budget-neutral`` puts those pennies back.

The pot and the shares are added up within the region's own country
(``openfisca_grants.within_country``), from the authorities in the simulation: the same figures
in ``compare``, in a sweep (one copy of the country per value) and in a YAML case (the runner
fills in the rest of the country from the register). The need of a region is a variable of its
own, so a sweep computes it once rather than once per value.
"""

import pathlib

from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_grants.authority_data import authority_values, read_authority_csv
from openfisca_grants.determinations import by_number
from openfisca_grants.entities import LocalAuthority, Region
from openfisca_grants.money import Money, round_to_pence
from openfisca_grants.within_country import total_of_country

RIIA = by_number("31/7421")
DATA = pathlib.Path(__file__).parent / "data" / "illustrative_need_index_2024_25.csv"
NEED = read_authority_csv(DATA, "need_index", RIIA.financial_year)


class need_index(Variable):
    value_type = float
    entity = LocalAuthority
    definition_period = YEAR
    label = "Illustrative need index of the authority (made-up data, examples/data)"

    def formula(local_authority, period):
        # 0 for a combined authority, in a year a letter pays one: it has no need index.
        return authority_values(local_authority("gss_code", period), NEED)


class need_in_region(Variable):
    value_type = float
    entity = Region
    definition_period = YEAR
    label = "Sum of the illustrative need index of the region's authorities (made-up data)"

    def formula(region, period):
        return region.sum(region.members("need_index", period))


@RIIA.governs
class riia_self_assessment_and_peer_challenge(Money):
    entity = Region
    definition_period = YEAR
    label = "Self-assessment and peer challenge: the national pot shared by need (reform)"
    reference = "Determination 31/7421, covering letter, third core function; need index: made-up"

    def formula_2024_04(region, period, parameters):
        per_authority = parameters(period).determinations.riia_31_7421.self_assessment_and_peer_challenge
        authorities = total_of_country(region, region("local_authorities_in_region", period))
        pot = per_authority.amount_per_authority * authorities
        need = region("need_in_region", period)
        return round_to_pence(pot * need / total_of_country(region, need))


class need_weighted_self_assessment(Reform):
    name = "Self-assessment funding shared by an illustrative need index"

    def apply(self):
        self.add_variable(need_index)
        self.add_variable(need_in_region)
        self.update_variable(riia_self_assessment_and_peer_challenge)
