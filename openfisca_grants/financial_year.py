"""Financial years (1 April to 31 March): "2024-25" for people, ``year:2024-04`` for OpenFisca.

A determination governs one financial year. OpenFisca has no such unit, but a YEAR period may
start on any month: ``year:2024-04`` runs from 1 April 2024 to 31 March 2025, and parameters
dated ``2024-04-01`` and formulas named ``formula_2024_04`` apply to it. Everything a person
types or reads (command line, reports, test names) says "2024-25"; this module converts.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from openfisca_core import periods

from openfisca_grants.errors import RulesCannotAnswer

_LABEL = re.compile(r"^(?:FY\s*)?(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$", re.IGNORECASE)
# Years a person could mean: enough for any determination, and every date in them is valid.
FIRST_START_YEAR = 1900
LAST_START_YEAR = 2998
_PERIOD = re.compile(r"^(?:year:)?(\d{4})-04(?:-01)?$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The financial year that starts on 1 April of ``start_year``."""

    start_year: int

    @classmethod
    def parse(cls, text: str | int | FinancialYear) -> FinancialYear:
        """Read "2024-25", "2024/25", "2024-2025", "FY2024-25", "year:2024-04" or "2024-04"."""
        if isinstance(text, FinancialYear):
            return text
        text = str(text).strip()
        label = _LABEL.match(text)
        start = None
        if label:
            start, end = int(label.group(1)), label.group(2)
            expected_end = start + 1
            if int(end) not in (expected_end, expected_end % 100):
                start = None
        period = _PERIOD.match(text)
        if period:
            start = int(period.group(1))
        if start is not None and FIRST_START_YEAR <= start <= LAST_START_YEAR:
            return cls(start)
        if start is not None:
            raise RulesCannotAnswer(
                f"'{text}' is outside the financial years this tool reads "
                f"({cls(FIRST_START_YEAR).label} to {cls(LAST_START_YEAR).label})."
            )
        raise RulesCannotAnswer(
            f"'{text}' is not a financial year.",
            hint='Write it as "2024-25" (1 April 2024 to 31 March 2025), or year:2024-04 for OpenFisca.',
        )

    @classmethod
    def of_period(cls, period: periods.Period | str) -> FinancialYear:
        """The financial year an OpenFisca period stands for; refuses any other period."""
        return _of_period(periods.period(period))

    @property
    def label(self) -> str:
        """ "2024-25", as the letters and people write it."""
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def period(self) -> periods.Period:
        """The OpenFisca period ``year:YYYY-04``."""
        return _period(self.start_year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.start_year, 4, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 3, 31)

    def __str__(self) -> str:
        return self.label


# Each formula asks the financial year of its period, and each use the period of its year: a
# what-if asks both dozens of times, and parsing them again was a twentieth of its time. A Period is
# immutable, and there are at most 1,099 financial years.


@functools.cache
def _period(start_year: int) -> periods.Period:
    return periods.period(f"year:{start_year}-04")


@functools.lru_cache(maxsize=1024)
def _of_period(period: periods.Period) -> FinancialYear:
    start = period.start
    if period.unit == periods.DateUnit.YEAR and period.size == 1 and start.month == 4 and start.day == 1:
        return FinancialYear(start.year)
    if period.unit == periods.DateUnit.ETERNITY or not FIRST_START_YEAR < start.year <= LAST_START_YEAR:
        example = "year:2024-04 (2024-25)"
    else:
        example = (
            f"year:{start.year}-04 ({FinancialYear(start.year).label}) or year:{start.year - 1}-04 "
            f"({FinancialYear(start.year - 1).label})"
        )
    raise RulesCannotAnswer(
        f"The period {period} is not a financial year.",
        hint=f"Grant determinations govern financial years (1 April to 31 March): ask for {example}.",
    )
