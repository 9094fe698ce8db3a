"""Determination 31/3010 (2016-17): the Children's Social Care Innovation Programme grant.

The determination has no formula. Paragraph 3: "The Secretary of State determines the
authorities to which grant is to be paid and the amount of grant to be paid; these are set out
in Annex A." Annex A lists 23 authorities, each with a fixed amount, total £32,350,063.17, paid
in one instalment in March 2017 (paragraph 5). The amounts are the parameters
``determinations.innovation_programme_31_3010.annex_a.<GSS code>``.
"""

from openfisca_core.periods import YEAR
from openfisca_core.variables import Variable

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Country, LocalAuthority
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.lookup import by_code
from openfisca_grants.money import MONEY_DTYPE, Money
from openfisca_grants.simulation import require_bodies_of_year

INNOVATION_PROGRAMME = by_number("31/3010")


def annex_a_amounts(parameters, period) -> dict[str, float]:
    """Annex A of 31/3010 as {GSS code: amount in pounds}."""
    annex_a = INNOVATION_PROGRAMME.rules(parameters, period).annex_a
    return {code: annex_a[code] for code in annex_a}


@INNOVATION_PROGRAMME.governs
class innovation_programme_listed_in_annex_a(Variable):
    value_type = bool
    entity = LocalAuthority
    definition_period = YEAR
    label = "The authority is listed in Annex A of determination 31/3010"
    reference = "Determination 31/3010, paragraph 3 and Annex A"
    documentation = """
    Paragraph 3: "The Secretary of State determines the authorities to which grant is to be
    paid [...]; these are set out in Annex A." An authority not listed gets no grant under
    this determination.
    """

    def formula_2016_04(local_authority, period, parameters):
        codes = local_authority("gss_code", period)
        require_bodies_of_year(codes, FinancialYear.of_period(period).start)
        listed = dict.fromkeys(annex_a_amounts(parameters, period), True)
        return by_code(codes, listed, default=False, dtype=bool)


@INNOVATION_PROGRAMME.governs
class innovation_programme_grant(Money):
    entity = LocalAuthority
    definition_period = YEAR
    label = "Innovation Programme grant to the authority for 2016-17 (determination 31/3010)"
    reference = "Determination 31/3010, paragraphs 3 and 5 and Annex A"
    documentation = """
    The amount Annex A sets out for the authority; £0 for an authority Annex A does not list
    (see innovation_programme_listed_in_annex_a). Paragraph 5: "The grant will be paid in one
    instalment in March 2017 and will be for the sum attributed to the 2016-17 financial
    year."
    """

    def formula_2016_04(local_authority, period, parameters):
        codes = local_authority("gss_code", period)
        require_bodies_of_year(codes, FinancialYear.of_period(period).start)
        return by_code(codes, annex_a_amounts(parameters, period), default=0.0, dtype=MONEY_DTYPE)


@INNOVATION_PROGRAMME.governs
class innovation_programme_total(Money):
    entity = Country
    definition_period = YEAR
    label = "Innovation Programme grant to all the country's authorities for 2016-17 (31/3010)"
    reference = 'Determination 31/3010, Annex A, "Total: £32,350,063.17"'
    documentation = """
    The sum of innovation_programme_grant over the country's authorities. For England, with
    every authority of 2016-17 in the simulation, it is Annex A's total.
    """

    def formula_2016_04(country, period):
        return country.sum(country.members("innovation_programme_grant", period))
