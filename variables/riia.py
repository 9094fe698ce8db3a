"""Determination 31/7421 (2024-25): the Regional Improvement and Innovation Alliance grant.

The covering letter builds each region's amount from four core functions of its Regional
Improvement and Innovation Alliance (RIA) plus National Framework implementation funding:

=====================================  ==========================================================
component                              the letter's words
=====================================  ==========================================================
riia_regional_data_coordinator         "£80,000 allocated to each region to fund a full-time
                                       regional data coordinator post. London weighting of 14%
                                       will be included."
riia_sector_led_improvement            "£94,000 allocated to each region based on four LAs
                                       receiving 39 days of support, costed at £600 per day."
riia_self_assessment_and_peer_challenge "£3,200 allocated to each LA within the region"
riia_data_to_insight                   "£10,000 allocated to each region [...] full £90,000 to be
                                       paid to the South East"
riia_national_framework_implementation "funding of £27,200 per region"
=====================================  ==========================================================

The formula reproduces 8 of the 9 rows of Annex A. The South West's row (£260,600) is £11,400
more than the formula gives (£249,200), and the letter does not say why: that difference is the
named adjustment ``annex_a_adjustment.south_west``, so that ``riia_grant`` is what was paid and
``riia_formula_amount`` stays visible beside it. Where the letter's costing prose gives another
figure than the amount it states (£93,600 against £94,000; £26,400 against £27,200), the stated
amount is what the Annex uses; both are encoded and ``openfisca-grants reconcile`` shows the
difference.
"""

import datetime

import numpy
from openfisca_core.periods import YEAR
from openfisca_core.variables import Variable

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Country, Region
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.lookup import by_code
from openfisca_grants.money import MONEY_DTYPE, Money, round_to_pence
from openfisca_grants.register import register
from openfisca_grants.within_country import once_per_region

RIIA = by_number("31/7421")
LONDON = register().region("London").code


def riia(parameters, period):
    """31/7421's parameters, or those of a draft rolled forward from it, for the period's year."""
    return RIIA.rules(parameters, period)


def by_region(region, period, values_by_key, default=None, dtype=None) -> numpy.ndarray:
    """``values_by_key[key]`` for each region, keyed as the register keys regions ("south_west")."""
    keys = by_code(region("region_code", period), {r.code: r.key for r in register().regions})
    return by_code(keys, values_by_key, default=default, dtype=dtype)


def per_region(region, amount) -> numpy.ndarray:
    return numpy.full(region.count, amount, dtype=MONEY_DTYPE)


@RIIA.governs
class riia_regional_data_coordinator(Money):
    entity = Region
    definition_period = YEAR
    label = "Regional data coordinator funding, with the London weighting (31/7421)"
    reference = "Determination 31/7421, covering letter, first core function"
    documentation = """
    "Collection of 25 agreed core children's services indicators, to be submitted to the
    Department for Education on a quarterly basis - £80,000 allocated to each region to fund a
    full-time regional data coordinator post. London weighting of 14% will be included."
    London: £80,000 x 1.14 = £91,200.
    """

    def formula_2024_04(region, period, parameters):
        coordinator = riia(parameters, period).regional_data_coordinator
        is_london = region("region_code", period) == LONDON
        weighting = numpy.where(is_london, 1 + coordinator.london_weighting, 1)
        return round_to_pence(coordinator.amount_per_region * weighting)


@RIIA.governs
class riia_sector_led_improvement(Money):
    entity = Region
    definition_period = YEAR
    label = "Sector-led improvement support funding, as the letter states it (31/7421)"
    reference = "Determination 31/7421, covering letter, second core function"
    documentation = """
    "£94,000 allocated to each region based on four LAs receiving 39 days of support, costed at
    £600 per day." The costing (4 x 39 x £600) gives £93,600; the stated £94,000 is what Annex
    A uses. The costing is encoded under sector_led_improvement.costing.
    """

    def formula_2024_04(region, period, parameters):
        return per_region(region, riia(parameters, period).sector_led_improvement.amount_per_region)


@RIIA.governs
class riia_self_assessment_and_peer_challenge(Money):
    entity = Region
    definition_period = YEAR
    label = "Self-assessment and peer challenge funding, per authority in the region (31/7421)"
    reference = "Determination 31/7421, covering letter, third core function"
    documentation = """
    "£3,200 allocated to each LA within the region to cover four days of the Director of
    Children's Services time, costed at £800 per day." Authorities counted on 1 April 2024
    from the register (local_authorities_in_region).
    """

    def formula_2024_04(region, period, parameters):
        per_authority = riia(parameters, period).self_assessment_and_peer_challenge
        authorities = region("local_authorities_in_region", period)
        return round_to_pence(per_authority.amount_per_authority * authorities)


@RIIA.governs
class riia_data_to_insight(Money):
    entity = Region
    definition_period = YEAR
    label = "Data to Insight funding: every region's share, paid whole to the South East (31/7421)"
    reference = "Determination 31/7421, covering letter, fourth core function"
    documentation = """
    "£10,000 allocated to each region for data improvement activity – full £90,000 to be paid
    to the South East as the provider, Data to Insight, are part of East Sussex LA who are also
    the South East RIIA lead LA." The nine regions' shares are pooled and paid to the region
    named by data_to_insight.paid_to_region; every other region gets £0 of this component.
    """

    def formula_2024_04(region, period, parameters):
        data_to_insight = riia(parameters, period).data_to_insight
        pooled = data_to_insight.amount_per_region * len(register().regions)
        is_provider = region("region_code", period) == data_to_insight.paid_to_region
        return round_to_pence(numpy.where(is_provider, pooled, 0))


@RIIA.governs
class riia_national_framework_implementation(Money):
    entity = Region
    definition_period = YEAR
    label = "Children's Social Care National Framework implementation funding (31/7421)"
    reference = "Determination 31/7421, covering letter, National Framework paragraphs"
    documentation = """
    "In addition to this for FY2024-25, DFE are providing funding of £27,200 per region to
    support local authorities, via RIAs. [...] It is costed on £600 per day, for 11 additional
    days of support for 4 LAs in each region." The costing (4 x 11 x £600) gives £26,400; the
    stated £27,200 is what Annex A uses.
    """

    def formula_2024_04(region, period, parameters):
        framework = riia(parameters, period).national_framework_implementation
        return per_region(region, framework.amount_per_region)


@RIIA.governs
class riia_formula_amount(Money):
    entity = Region
    definition_period = YEAR
    label = "What the letter's formula gives the region, before any Annex A adjustment (31/7421)"
    reference = "Determination 31/7421, covering letter"
    documentation = """
    The sum of the five components. Equal to the Annex A figure for every region but the
    South West, where Annex A pays £11,400 more (riia_annex_a_adjustment).
    """

    def formula_2024_04(region, period):
        components = (
            "riia_regional_data_coordinator",
            "riia_sector_led_improvement",
            "riia_self_assessment_and_peer_challenge",
            "riia_data_to_insight",
            "riia_national_framework_implementation",
        )
        return sum(region(component, period) for component in components)


@RIIA.governs
class riia_annex_a_adjustment(Money):
    entity = Region
    definition_period = YEAR
    label = "Named adjustment: Annex A figure minus the letter's formula, where they differ (31/7421)"
    reference = "Determination 31/7421, Annex A row 7 (South West)"
    documentation = """
    Annex A is what was paid. Where a region's Annex A figure is not what the letter's formula
    gives, the difference is encoded as a named parameter under annex_a_adjustment, with its
    source, rather than absorbed: only the South West has one, £11,400, which the letter does
    not explain.
    """

    def formula_2024_04(region, period, parameters):
        adjustments = riia(parameters, period).annex_a_adjustment
        named = {key: adjustments[key] for key in adjustments}
        return by_region(region, period, named, default=0.0, dtype=MONEY_DTYPE)


@RIIA.governs
class riia_grant(Money):
    entity = Region
    definition_period = YEAR
    label = "Regional Improvement and Innovation Alliance grant to the region for 2024-25 (31/7421)"
    reference = "Determination 31/7421, paragraphs 3 and 4 and Annex A"
    documentation = """
    The region's entitlement: the letter's formula plus any named Annex A adjustment, which is
    the Annex A figure paid to the region's lead body (riia_lead_body) "in one instalment on or
    before 30 August 2024" (paragraph 4).
    """

    def formula_2024_04(region, period):
        return region("riia_formula_amount", period) + region("riia_annex_a_adjustment", period)


@RIIA.governs
class riia_lead_body(Variable):
    value_type = str
    entity = Region
    definition_period = YEAR
    label = "The body the region's grant is paid to, as Annex A of 31/7421 names it"
    reference = "Determination 31/7421, Annex A"

    def formula_2024_04(region, period, parameters):
        lead_bodies = riia(parameters, period).lead_bodies
        return by_region(region, period, {key: lead_bodies[key] for key in lead_bodies})


@RIIA.governs
class riia_lead_body_code(Variable):
    value_type = str
    entity = Region
    definition_period = YEAR
    label = "GSS code of the body the region's grant is paid to (31/7421)"
    reference = "Determination 31/7421, Annex A, resolved by the register of authorities"
    documentation = """
    For eight regions an authority with children's services duties; for the West Midlands the
    West Midlands Combined Authority (E47000007), which has none.
    """

    def formula_2024_04(region, period):
        on = FinancialYear.of_period(period).start
        names = region("riia_lead_body", period)
        return by_code(names, {name: register().resolve(name, on).code for name in set(names)})


@RIIA.governs
class riia_payment_due_by(Variable):
    value_type = datetime.date
    entity = Region
    definition_period = YEAR
    label = "Date by which the 31/7421 grant is payable, in one instalment"
    reference = 'Determination 31/7421, paragraph 4: "in one instalment on or before 30 August 2024"'

    def formula_2024_04(region, period):
        governing = RIIA.governing(period)
        if "payment_due_by" not in governing.metadata:
            raise RulesCannotAnswer(f"Determination {governing.label} sets no payment date.")
        due_by = numpy.datetime64(governing.metadata["payment_due_by"].isoformat())
        return numpy.full(region.count, due_by, dtype="datetime64[D]")


@RIIA.governs
class riia_total(Money):
    entity = Country
    definition_period = YEAR
    label = "Regional Improvement and Innovation Alliance grant to all regions for 2024-25 (31/7421)"
    reference = "Determination 31/7421, Annex A (the letter states no total)"
    documentation = """
    The sum of riia_grant over the regions whose authorities are in the country, each region
    counted once. For England: £2,413,000, the sum of Annex A's nine rows.
    """

    def formula_2024_04(country, period):
        authorities = country.members
        regional_grant = authorities.region("riia_grant", period)
        # Each region's grant reaches every one of its members; count it at its first only.
        return country.sum(once_per_region(country, regional_grant))
