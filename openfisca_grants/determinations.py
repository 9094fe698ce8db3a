"""The catalogue of encoded determinations, and the guard that keeps each to its own year.

Each determination's parameter folder has an ``index.yaml`` whose metadata records its number,
financial year, letter, legal basis and payment arrangements. This module reads those, so
that code can ask which determination governs a year, and so that a grant variable asked for
a year its determination does not govern raises ``RulesCannotAnswer`` instead of returning 0.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

# The folder of each encoded determination under parameters/determinations/, in date order.
ENCODED = ("innovation_programme_31_3010", "riia_31_7421")


@dataclass(frozen=True)
class Determination:
    key: str
    number: str
    title: str
    financial_year: FinancialYear
    metadata: dict

    @property
    def label(self) -> str:
        return f"{self.number} ({self.financial_year.label})"

    def governs(self, variable_class):
        """Class decorator: the variable is a rule of this determination, for its year only.

        Its dated formula (``formula_YYYY_04``) runs only for the financial-year period
        ``year:YYYY-04``; for any other period the variable raises ``RulesCannotAnswer``,
        naming the year asked and the years encoded.
        """
        start = self.financial_year.start_year
        for name, formula in list(vars(variable_class).items()):
            if name.startswith("formula"):
                setattr(variable_class, name, _checked(formula, self))
        variable_class.formula = _outside(self)
        setattr(variable_class, f"formula_{start + 1}_04", _outside(self))
        return variable_class


def _checked(formula, determination: Determination):
    @functools.wraps(formula)
    def for_financial_year(entity, period, parameters):
        asked = FinancialYear.of_period(period)
        if asked != determination.financial_year:
            raise _not_governed(determination, asked)
        if formula.__code__.co_argcount == 2:
            return formula(entity, period)
        return formula(entity, period, parameters)

    return for_financial_year


def _outside(determination: Determination):
    def outside_the_determination(entity, period, parameters):
        raise _not_governed(determination, FinancialYear.of_period(period))

    return outside_the_determination


def _not_governed(determination: Determination, asked: FinancialYear) -> RulesCannotAnswer:
    governing = [d.label for d in catalogue() if d.financial_year == asked]
    return RulesCannotAnswer(
        f"Determination {determination.label} governs {determination.financial_year.label} "
        f"only; {asked.label} was asked.",
        available=(
            f"{asked.label} is governed by {', '.join(governing)}."
            if governing
            else f"No encoded determination governs {asked.label}."
        ),
        hint="Encoded determinations: " + ", ".join(d.label for d in catalogue()) + ".",
    )


def _load(key: str) -> Determination:
    index = resources.files("openfisca_grants.parameters").joinpath("determinations", key, "index.yaml")
    with index.open(encoding="utf-8") as file:
        data = yaml.load(file, Loader=_Loader)
    metadata = data["metadata"]
    return Determination(
        key=key,
        number=str(metadata["determination"]),
        title=data["description"],
        financial_year=FinancialYear.parse(str(metadata["financial_year"])),
        metadata=metadata,
    )


@functools.cache
def catalogue() -> tuple[Determination, ...]:
    """Every encoded determination, in date order."""
    return tuple(_load(key) for key in ENCODED)


def by_number(number: str) -> Determination:
    for determination in catalogue():
        if determination.number == number.strip():
            return determination
    raise RulesCannotAnswer(
        f"No encoded determination is numbered '{number}'.",
        available="Encoded: " + ", ".join(d.label for d in catalogue()) + ".",
    )


def for_year(year) -> list[Determination]:
    """The determinations governing a financial year; raises if there are none."""
    asked = FinancialYear.parse(year)
    found = [d for d in catalogue() if d.financial_year == asked]
    if not found:
        raise RulesCannotAnswer(
            f"No encoded determination governs {asked.label}.",
            available="Encoded determinations: " + ", ".join(d.label for d in catalogue()) + ".",
        )
    return found
