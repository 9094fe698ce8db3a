"""The use cases, each written once: every face (command line, web page, Web API, Python API,
documentation) reads its input through the boundary into a ``WhatIf``, calls one of these, and
renders what it returns.

Each takes typed input (a ``WhatIf``: a financial year read once, a checked change set, the
flags) and returns typed results; each runs a Python reform's code under
``reforms.computing_under`` so that a failure in it names the file and line, whatever the face.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from openfisca_grants import boundary, determinations
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.grant_rules import refuse_negative_grants
from openfisca_grants.money import decimal_pounds, format_pounds
from openfisca_grants.use_cases.whatif import COMMAND_LINE, HTTP, PYTHON, WhatIf, Words, what_if, year_of

# At the end: statement reads the use cases above.

__all__ = [
    "Allocation",
    "COMMAND_LINE",
    "HTTP",
    "PYTHON",
    "WhatIf",
    "Words",
    "allocations",
    "compare",
    "entitlement",
    "explain",
    "grid",
    "parameters",
    "reconcile",
    "statement",
    "sweep",
    "what_if",
    "year_of",
]


@dataclass(frozen=True)
class Allocation:
    """One body's grant from one determination."""

    code: str
    name: str
    determination: determinations.Determination
    pence: int

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "determination": self.determination.number,
            "status": self.determination.status_text,
            "pence": self.pence,
            "amount": decimal_pounds(self.pence),
        }


def said_as_asked(use):
    """The use case, its refusals in the words of the face that asked (``WhatIf.words``): a
    refusal made deep in the rules names the command line's options; over HTTP it names fields."""

    @functools.wraps(use)
    def in_its_words(whatif, *args, **kwargs):
        try:
            return use(whatif, *args, **kwargs)
        except RulesCannotAnswer as error:
            said = getattr(whatif, "words", COMMAND_LINE).say(error)
            if said is error:
                raise
            raise said from None

    return in_its_words


def _system(whatif: WhatIf):
    from openfisca_grants import reforms
    from openfisca_grants.simulation import tax_benefit_system

    return reforms.apply(whatif.spec) if whatif.changed else tax_benefit_system()


@said_as_asked
def allocations(whatif: WhatIf) -> list[Allocation]:
    """Each body the what-if's determinations pay, and how much (under its changes, if any).

    An authority a determination pays nothing is left out; a region is always listed.
    """
    from openfisca_grants import reforms
    from openfisca_grants.simulation import amounts_in_pence, build_simulation

    if whatif.changed and whatif.budget_neutral:
        # The amounts a budget-neutral what-if pays are the comparison's, scaled to the baseline.
        return [
            Allocation(row.code, row.name, comparison.determination, row.reform_pence)
            for comparison in compare(whatif)
            for row in comparison.rows
        ]
    with reforms.computing_under(whatif.spec):
        simulation = build_simulation(whatif.year, _system(whatif))
        found = []
        for determination in whatif.determinations():
            amounts = amounts_in_pence(simulation, determination.grant_variable, whatif.year)
            paid = determination.payee.paid(amounts)
            names = [name for _, name, _ in paid]
            refuse_negative_grants([pence for *_, pence in paid], names, determination)
            found += [Allocation(code, name, determination, pence) for code, name, pence in paid]
    return found


@said_as_asked
def entitlement(whatif: WhatIf, region: str | None = None, authority: str | None = None) -> Allocation:
    """One body's grant; raises for a body no determination of the year pays."""
    from openfisca_grants import reforms
    from openfisca_grants.paid_bodies import paid_body
    from openfisca_grants.simulation import amounts_in_pence, build_simulation

    body = paid_body(whatif.year, *_body(region, authority), number=whatif.determination)
    with reforms.computing_under(whatif.spec):
        simulation = build_simulation(whatif.year, _system(whatif))
        pence = amounts_in_pence(simulation, body.determination.grant_variable, whatif.year)[body.code]
    return Allocation(body.code, body.name, body.determination, pence)


@said_as_asked
def compare(whatif: WhatIf):
    """Baseline against the what-if, for each of its determinations (``compare.Comparison``)."""
    from openfisca_grants import compare as comparing
    from openfisca_grants import reforms

    if not whatif.changed:
        raise RulesCannotAnswer("compare needs a reform: a file, or one or more changes of a parameter.")
    numbers = {d.number for d in whatif.determinations()}
    with reforms.computing_under(whatif.spec):
        results = comparing.compare(whatif.spec, whatif.year, budget_neutral=whatif.budget_neutral)
    return [result for result in results if result.determination.number in numbers]


@said_as_asked
def sweep(whatif: WhatIf, parameter, values):
    """Each paid body's grant for each of ``values`` of ``parameter`` (``sweep.SweepResult``)."""
    from openfisca_grants import reforms
    from openfisca_grants import sweep as sweeping

    values = boundary.sweep_values(values)
    with reforms.computing_under(whatif.spec):
        return sweeping.sweep(
            parameter, values, whatif.year, reform=_spec(whatif), budget_neutral=whatif.budget_neutral
        )


@said_as_asked
def grid(whatif: WhatIf, parameters, values):
    """Two parameters swept together (``sweep.GridSweepResult``: first x second x bodies)."""
    from openfisca_grants import reforms
    from openfisca_grants import sweep as sweeping

    if (
        not isinstance(parameters, (list, tuple))
        or not isinstance(values, (list, tuple))
        or (len(parameters) != 2 or len(values) != 2)
    ):
        raise RulesCannotAnswer(
            "A grid sweep takes two parameters and two lists of values: "
            "grid_sweep([first, second], [first_values, second_values], year)."
        )
    checked = tuple(boundary.sweep_values(some) for some in values)
    with reforms.computing_under(whatif.spec):
        return sweeping.grid_sweep(
            tuple(parameters),
            checked,
            whatif.year,
            reform=_spec(whatif),
            budget_neutral=whatif.budget_neutral,
        )


@said_as_asked
def explain(whatif: WhatIf, region: str | None = None, authority: str | None = None) -> dict:
    """The computation of one body's grant as a tree, each parameter with its source."""
    from openfisca_grants import explain as explaining
    from openfisca_grants import reforms

    region, authority = _body(region, authority)
    if (region is None) == (authority is None):
        raise RulesCannotAnswer("Give one of region or authority: the body whose grant to explain.")
    with reforms.computing_under(whatif.spec):
        explanation = explaining.explain(
            whatif.year, region=region, authority=authority, reform=_spec(whatif), number=whatif.determination
        )
    if whatif.changed and whatif.budget_neutral:
        # The formula's amount is scaled with every other body's to keep the total: say by how much.
        for comparison in compare(whatif):
            if comparison.determination.number != explanation["determination"]:
                continue
            (row,) = [row for row in comparison.rows if row.code == explanation["body"]["code"]]
            explanation["budget_neutral"] = {
                "factor": comparison.budget_neutral_factor,
                "paid": format_pounds(row.reform_pence),
            }
    return explanation


def reconcile(year: FinancialYear | None = None, determination: str | None = None):
    """Annex A against the rules: every encoded determination, those of ``year``, or the one
    numbered ``determination`` (refused if it does not govern ``year``)."""
    from openfisca_grants import reconcile as reconciling

    if determination is None:
        return reconciling.reconcile(year)
    if not isinstance(determination, str) or not determination.strip():
        raise boundary.refuse("determination", determination, "is not a determination's number.")
    determination = determination.strip()
    if year is not None:
        return [
            reconciling.reconcile_one(d) for d in WhatIf(year, determination=determination).determinations()
        ]
    return [reconciling.reconcile_one(determinations.by_number(determination))]


def parameters(year: FinancialYear | None = None) -> list[dict]:
    """Every parameter a what-if can change: path, value, unit, source."""
    from openfisca_grants import reforms

    return reforms.changeable_parameters(year=year)


def _spec(whatif: WhatIf):
    return whatif.spec if whatif.changed else None


def _body(region, authority) -> tuple[str | None, str | None]:
    for name, value in (("region", region), ("authority", authority)):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise boundary.refuse(
                name,
                value,
                f"is not the name or code of {'a region' if name == 'region' else 'an authority'}.",
            )
    return region, authority


from openfisca_grants.use_cases.statement import Statement, StatementLine  # noqa: E402
from openfisca_grants.use_cases.statement import statement as _statement  # noqa: E402

statement = said_as_asked(_statement)

__all__ += ["Statement", "StatementLine"]
