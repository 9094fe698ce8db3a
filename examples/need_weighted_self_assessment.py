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
"""

import pathlib

import numpy
from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform
from openfisca_core.variables import Variable

from openfisca_grants.authority_data import read_authority_csv
from openfisca_grants.determinations import by_number
from openfisca_grants.entities import LocalAuthority, Region
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.lookup import by_code
from openfisca_grants.money import Money, round_to_pence
from openfisca_grants.register import register

RIIA = by_number("31/7421")
DATA = pathlib.Path(__file__).parent / "data" / "illustrative_need_index_2024_25.csv"
NEED = read_authority_csv(DATA, "need_index", RIIA.financial_year)


class need_index(Variable):
    value_type = float
    entity = LocalAuthority
    definition_period = YEAR
    label = "Illustrative need index of the authority (made-up data, examples/data)"

    def formula(local_authority, period):
        return by_code(local_authority("gss_code", period), NEED, dtype=numpy.float64)


@RIIA.governs
class riia_self_assessment_and_peer_challenge(Money):
    entity = Region
    definition_period = YEAR
    label = "Self-assessment and peer challenge: the national pot shared by need (reform)"
    reference = "Determination 31/7421, covering letter, third core function; need index: made-up"

    def formula_2024_04(region, period, parameters):
        on = FinancialYear.of_period(period).start
        authorities = register().authorities_on(on)
        per_authority = parameters(period).determinations.riia_31_7421.self_assessment_and_peer_challenge
        pot = per_authority.amount_per_authority * len(authorities)
        need_by_region = {r.code: 0.0 for r in register().regions}
        for authority in authorities:
            need_by_region[authority.region_code] += NEED[authority.code]
        share = by_code(region("region_code", period), need_by_region, dtype=numpy.float64)
        return round_to_pence(pot * share / sum(need_by_region.values()))


class need_weighted_self_assessment(Reform):
    name = "Self-assessment funding shared by an illustrative need index"

    def apply(self):
        self.add_variable(need_index)
        self.update_variable(riia_self_assessment_and_peer_challenge)
