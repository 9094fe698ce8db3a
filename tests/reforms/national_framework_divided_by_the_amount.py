"""A formula that divides by the swept amount: at 0 it is not an amount of money."""

import numpy
from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Region
from openfisca_grants.money import Money
from openfisca_grants.within_country import one_per_region

RIIA = by_number("31/7421")


@RIIA.governs
class riia_national_framework_implementation(Money):
    label = "National Framework implementation, inversely to the amount (a test's reform)"
    entity = Region
    definition_period = YEAR

    def formula_2024_04(region, period, parameters):
        amount = parameters(
            period
        ).determinations.riia_31_7421.national_framework_implementation.amount_per_region
        with numpy.errstate(divide="ignore"):
            return one_per_region(region, 27200 * 27200 / amount)


class divides(Reform):
    name = "divides by the amount"

    def apply(self):
        self.update_variable(riia_national_framework_implementation)
