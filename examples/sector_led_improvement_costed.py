"""Sector-led improvement costed from the letter's prose, so that its day rate matters.

The letter allocates "£94,000 [...] based on four LAs receiving 39 days of support, costed at
£600 per day", and the baseline pays the £94,000 it states. This reform pays the costing instead
(authorities x days x day rate: £93,600 at £600), so a change to the day rate changes the grant:

    openfisca-grants compare examples/sector_led_improvement_costed.py --year 2024-25 \\
        --set riia_31_7421.sector_led_improvement.costing.day_rate=650

How to write such a reform: subclass openfisca_core's ``Reform``; in ``apply``, replace a
variable with ``update_variable`` by a class of the same name whose formula you write. Keep the
base class (``Money`` for money: float64, exact to the penny), decorate it with the
determination's ``governs`` so it keeps to its year, and read parameters as the baseline does.
A formula returns one value per region: ``one_per_region`` turns an amount worked out from
parameters alone (a number in ``compare``, one value per copy in a sweep) into that.
"""

from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform

from openfisca_grants.determinations import by_number
from openfisca_grants.entities import Region
from openfisca_grants.money import Money, round_to_pence
from openfisca_grants.within_country import one_per_region

RIIA = by_number("31/7421")


@RIIA.governs
class riia_sector_led_improvement(Money):
    entity = Region
    definition_period = YEAR
    label = "Sector-led improvement support, costed as authorities x days x day rate (reform)"
    reference = "Determination 31/7421, covering letter, second core function (costing prose)"

    def formula_2024_04(region, period, parameters):
        costing = parameters(period).determinations.riia_31_7421.sector_led_improvement.costing
        amount = costing.authorities_supported * costing.days_per_authority * costing.day_rate
        return one_per_region(region, round_to_pence(amount))


class sector_led_improvement_costed(Reform):
    name = "Sector-led improvement costed from its days and day rate"

    def apply(self):
        self.update_variable(riia_sector_led_improvement)
