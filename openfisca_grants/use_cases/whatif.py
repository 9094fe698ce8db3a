"""A what-if as every use case takes it: a financial year read once, a set of changes, the flags.

Every face builds one here, from what it was given (``--set`` texts and a reform file on the
command line, a JSON body or a URL's query on the web, a dict or a file's path in Python), so
that each way in reads values the same way and gives the same messages. A ``WhatIf`` with no
changes is the baseline: the rules as the letters give them.
"""

from __future__ import annotations

import json
import pathlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openfisca_grants import boundary, determinations
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear

if TYPE_CHECKING:
    from openfisca_grants import reforms


@dataclass(frozen=True)
class Words:
    """What a face calls each thing it was given, so that its refusals name what its user typed:
    the command line's options (``--region``), the Web's fields (``region``), the Python API's
    keywords. A refusal made deep in the rules names the command line's option; ``say`` puts it
    as the face that was asked names it."""

    set: str
    region: str
    authority: str
    body: str
    determination: str
    year: str
    budget_neutral: str
    parameters_listed: str  # where the changeable parameters are listed

    def say(self, error: RulesCannotAnswer) -> RulesCannotAnswer:
        """``error`` with each command-line option it names as this face names it (itself when
        this face is the command line)."""
        if self == COMMAND_LINE:
            return error

        def said(text: str) -> str:
            text = text.replace(COMMAND_LINE.parameters_listed, self.parameters_listed)
            return _OPTION.sub(lambda found: getattr(self, found.group(1).replace("-", "_")), text)

        return RulesCannotAnswer(said(error.asked), said(error.available), said(error.hint))


COMMAND_LINE = Words(
    "--set", "--region", "--authority", "--body", "--determination", "--year", "--budget-neutral",
    "'openfisca-grants parameters'",
)  # fmt: skip
# A field of a JSON body or a query (quoted, as it is a word of the sentence), and the API's keywords.
HTTP = Words(
    '"set"', '"region"', '"authority"', '"body"', '"determination"', '"year"', '"budget_neutral"',
    "GET /api/parameters",
)  # fmt: skip
PYTHON = Words(
    "changes=", "region=", "authority=", "body=", "determination=", "year=", "budget_neutral=",
    "openfisca_grants.api.parameters()",
)  # fmt: skip
_OPTION = re.compile(r"(?<![\w-])--(set|region|authority|body|determination|year|budget-neutral)\b")


@dataclass(frozen=True)
class WhatIf:
    """The rules of ``year``, changed by ``spec`` (None: as the letters give them).

    ``given`` keeps each change as it was typed (path, value), so that a link or a downloaded
    reform file says it the same way; ``budget_neutral`` scales reformed amounts to the
    baseline total; ``determination`` narrows the year to one determination (its number);
    ``words`` are how the face that built it names its inputs, for refusals.
    """

    year: FinancialYear
    spec: reforms.ReformSpec | None = None
    budget_neutral: bool = False
    determination: str | None = None
    given: tuple[tuple[str, str], ...] = field(default=())
    name: str = ""
    words: Words = field(default=COMMAND_LINE, compare=False)

    @property
    def changed(self) -> bool:
        return self.spec is not None and not self.spec.is_empty

    def determinations(self) -> list[determinations.Determination]:
        """The determinations this what-if asks about: all of its year's, or the one named."""
        governing = determinations.for_year(self.year)
        if self.determination is None:
            return governing
        for determination in governing:
            if determination.number == self.determination:
                return [determination]
        raise RulesCannotAnswer(
            f"determination {boundary.shown(self.determination)} does not govern {self.year.label}.",
            available=f"Determinations of {self.year.label}: " + ", ".join(d.label for d in governing) + ".",
        )


def year_of(value, where: str = "year", governed: bool = False) -> FinancialYear:
    """A financial year from outside, read once at the edge. With ``governed``, a year no
    determination governs is refused here, saying which years are encoded; else the use case
    refuses it in its own words (a sweep names the parameter whose year it is not)."""
    year = value if isinstance(value, FinancialYear) else boundary.financial_year(value, where)
    if governed:
        determinations.for_year(year)
    return year


def what_if(
    year,
    changes=None,
    reform=None,
    budget_neutral: bool | None = None,
    determination: str | None = None,
    name: str | None = None,
    where: str = "--set",
    words: Words = COMMAND_LINE,
) -> WhatIf:
    """A checked ``WhatIf``; raises ``RulesCannotAnswer`` at the first refusal.

    ``changes`` maps parameter paths to values, as text ("20%", "£80,000") or numbers; ``reform``
    is a reform file's path or a ``ReformSpec``. A reform file may say ``budget_neutral: true``;
    ``budget_neutral`` given here (True or False) says otherwise. ``where`` names how changes
    were given, for messages ("--set" quotes ``--set PATH=VALUE``); ``words`` how the face names
    the rest (``Words``).
    """
    year = year_of(year)
    if budget_neutral is not None and not isinstance(budget_neutral, bool):
        raise boundary.refuse("budget_neutral", budget_neutral, "is not true or false.")
    if determination is not None and (not isinstance(determination, str) or not determination.strip()):
        raise boundary.refuse("determination", determination, "is not a determination's number.")
    if where != "--set" and isinstance(changes, dict):
        # Values as given (a number stays a number), so that a refusal quotes what was passed.
        parsed = [parse_change(path, value, year, where) for path, value in changes.items()]
        given = tuple((str(path), _as_text(value)) for path, value in changes.items())
    else:
        given = given_changes(changes)
        parsed = [parse_change(path, value, year, where) for path, value in given]
    return from_parsed(
        year, given, parsed, reform_spec(reform), budget_neutral, determination, name, where, words
    )


def from_parsed(
    year: FinancialYear,
    given: tuple[tuple[str, str], ...],
    parsed: list[reforms.ParameterChange],
    spec: reforms.ReformSpec | None = None,
    budget_neutral: bool | None = None,
    determination: str | None = None,
    name: str | None = None,
    where: str = "--set",
    words: Words = COMMAND_LINE,
) -> WhatIf:
    """A ``WhatIf`` from changes already checked one by one (the page checks each field alone, so
    as to say what is wrong with every field at once)."""
    from openfisca_grants import reforms

    given = tuple(given)
    if determination is not None and (not isinstance(determination, str) or not determination.strip()):
        raise boundary.refuse("determination", determination, "is not a determination's number.")
    if parsed:
        texts = ", ".join(f"{path}={value}" for path, value in given)
        if where != "--set":  # as a notebook shows a change: the parameter's own name and value
            texts = ", ".join(f"{c.path.rsplit('.', 1)[-1]} = {c.value}" for c in parsed)
        if spec is None:
            spec = reforms.from_changes(name or texts, parsed)
        else:
            spec = reforms.ReformSpec(
                name=f"{spec.name} with {texts}",
                description=spec.description,
                changes=[*spec.changes, *parsed],
                formula_reform=spec.formula_reform,
                source=spec.source,
                budget_neutral=spec.budget_neutral,
            )
    if spec is not None:
        reforms.refuse_changed_twice(spec.changes)
    if budget_neutral is None:
        budget_neutral = bool(spec is not None and spec.budget_neutral)
    whatif = WhatIf(
        year,
        spec,
        budget_neutral,
        None if determination is None else determination.strip(),
        given,
        name or (spec.name if spec else ""),
        words,
    )
    if whatif.determination is not None:
        whatif.determinations()  # a determination that does not govern the year is refused now
    return whatif


def reform_spec(reform) -> reforms.ReformSpec | None:
    from openfisca_grants import reforms

    if reform is None:
        return None
    if isinstance(reform, reforms.ReformSpec):
        return reforms.checked_spec(reform)
    if isinstance(reform, (str, pathlib.Path)):
        return reforms.load(reform)
    raise boundary.refuse("reform", reform, "is not a reform.", "Give a reform file's path or a ReformSpec.")


def given_changes(changes, hint: str = "") -> tuple[tuple[str, str], ...]:
    """Each change as (path, value as text): a number becomes the text JSON would write."""
    if changes is None:
        return ()
    if isinstance(changes, dict):
        items = list(changes.items())
    elif isinstance(changes, (list, tuple)):
        items = [_split_set(text) for text in changes]
    else:
        raise boundary.refuse("set", changes, "is not an object of parameter paths and values.", hint)
    given = []
    for path, value in items:
        if not isinstance(path, str):
            raise boundary.refuse("set", path, "is not a parameter path.")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            shown = path.strip().removeprefix("determinations.")[:200]
            raise boundary.refuse(f"set: {shown}", value, "is not a value: give a number or text.", hint)
        given.append((path, _as_text(value)))
    return tuple(given)


def _as_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _split_set(text) -> tuple[str, str]:
    if not isinstance(text, str) or "=" not in text:
        raise RulesCannotAnswer(f"--set {text}: write PATH=VALUE.")
    path, value = text.split("=", 1)
    return path.strip(), value.strip()


def parse_change(path: str, value: str, year: FinancialYear, where: str = "--set") -> reforms.ParameterChange:
    from openfisca_grants import reforms

    if where == "--set":
        return reforms.parse_set(f"{path}={value}", year=year)
    return reforms.validate(_baseline(), path, value, year=year, where=f"{where} {boundary.shown(path)}")


def _baseline():
    from openfisca_grants.simulation import tax_benefit_system

    return tax_benefit_system()
