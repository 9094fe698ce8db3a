"""The catalogue of encoded determinations: one typed description each, read from beside its rules.

Each determination lives in a home of its own: a folder under ``parameters/determinations/``
whose ``index.yaml`` metadata describes it (number, title, financial year, letter, who is paid,
grant variable, payment, how its Annex A rows map to the rules, its costing checks), its
parameters beside that, its variables module, its letter in ``sources/`` and its YAML cases.
This module finds every such folder, reads each description into a ``Determination`` (refusing
a description that is incomplete or misspelt), so that reconcile, explain, compare, sweep, the
docs, the command line and the Web API read the description and never name a determination;
and it keeps each determination's variables to its own financial year, so that a grant asked
for another year raises ``RulesCannotAnswer`` instead of returning 0.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from importlib import resources

import yaml

from openfisca_grants import payees
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader

# Who a determination pays: one kind of payee each (openfisca_grants.payees).
PAID_PER = tuple(payees.KINDS)
STATUSES = ("published", "draft")
DRAFT_LABEL = "draft, not a published determination"
# A costing factor that is not a parameter: the number of regions in the register.
REGIONS_FACTOR = "register.regions"


def unit_plural(unit: str) -> str:
    """A parameter's unit in the plural: "day" -> "days", "authority" -> "authorities"."""
    if unit.endswith("y") and unit[-2:-1] not in tuple("aeiou"):
        return unit[:-1] + "ies"
    return f"{unit}s"


@dataclass(frozen=True)
class Letter:
    file: str | None  # under openfisca_grants/sources/; None for a draft (no letter yet)
    date: str
    signed_by: str
    made_by: str
    legal_basis: str


@dataclass(frozen=True)
class Payment:
    text: str  # the letter's payment paragraph
    instalments: int | None
    due: str  # "2017-03" (a month), "by 2024-08-30", or ""


@dataclass(frozen=True)
class AnnexAMapping:
    """How Annex A rows map to the rules."""

    rows: str  # what a row names: the payee kind's row_label
    amounts: str | None  # parameter node of fixed amounts keyed by GSS code (a letter with no formula)
    adjustments: str | None  # parameter node of named adjustments keyed by the paid body's key
    components: tuple[tuple[str, str], ...]  # the formula's components: (parameter folder, variable)


@dataclass(frozen=True)
class CostingCheck:
    """A figure the letter states, against the same figure worked out from the letter's costing.

    The check passes when the two agree, or when they differ by exactly ``recorded_difference_pence``
    (stated minus worked out), the difference the letter is known to have.
    """

    name: str
    stated: str  # parameter path, relative to the determination
    factors: tuple[str, ...]  # parameter paths (or REGIONS_FACTOR) whose product is the costing
    recorded_difference_pence: int | None
    explanation: str


@dataclass(frozen=True)
class Determination:
    key: str  # the folder under parameters/determinations/
    number: str
    title: str
    financial_year: FinancialYear
    status: str
    letter: Letter
    payment: Payment
    paid_per: str
    lead_bodies: str | None  # parameter node naming each region's lead body (paid per region)
    grant_variable: str
    total_variable: str
    listed_variable: str | None  # bool variable: the authority is listed in Annex A
    formula_variable: str | None  # the formula's amount, before any named adjustment
    adjustment_variable: str | None
    variables_module: str
    annex_a: AnnexAMapping
    costing_checks: tuple[CostingCheck, ...]
    draft_of: str | None = None  # the determination a draft was rolled forward from
    not_carried: tuple[str, ...] = ()  # what a draft deliberately leaves behind, in words
    metadata: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def payee(self) -> payees.PayeeKind:
        """The kind of body it pays: what every use asks about who is paid."""
        return payees.kind(self.paid_per)

    @property
    def encoded_by_hand(self) -> bool:
        """Its rules were written by hand, not by a command: remove-determination keeps it."""
        return bool(self.metadata.get("encoded_by_hand"))

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def status_text(self) -> str:
        """ "published", or the draft label every surface shows for a draft."""
        return DRAFT_LABEL if self.is_draft else "published"

    @property
    def label(self) -> str:
        if self.is_draft:
            return f"{self.number} ({self.financial_year.label}, {DRAFT_LABEL})"
        return f"{self.number} ({self.financial_year.label})"

    @property
    def parameters_path(self) -> str:
        """Where its parameters sit in the tax-benefit system's tree."""
        return f"determinations.{self.key}"

    def parameter(self, system, relative: str):
        """The parameter (or node) at ``relative`` under the determination's parameters."""
        node = system.parameters
        for part in f"{self.parameters_path}.{relative}".split("."):
            node = node.children[part]
        return node

    def drafts(self) -> list[Determination]:
        """The drafts rolled forward from this determination, by year."""
        return [d for d in catalogue() if d.draft_of == self.number]

    def governing(self, period) -> Determination:
        """This determination, or its draft, for the financial year of ``period``; raises otherwise."""
        asked = FinancialYear.of_period(period)
        for determination in (self, *self.drafts()):
            if determination.financial_year == asked:
                return determination
        raise _not_governed(self, asked)

    def rules(self, parameters, period):
        """Its parameters at ``period``: its own, or a draft's for the draft's year (for formulas)."""
        node = parameters(period).determinations
        return node[self.governing(period).key]

    def governs(self, variable_class):
        """Class decorator: the variable is a rule of this determination, for its year only.

        Its dated formula (``formula_YYYY_04``) runs only for the financial-year period
        ``year:YYYY-04`` (and for each year a draft rolled forward from it models, reading the
        draft's parameters through ``rules``); for any other period the variable raises
        ``RulesCannotAnswer``, naming the year asked and the years encoded.
        """
        years = [self, *self.drafts()]
        for name, formula in list(vars(variable_class).items()):
            if name.startswith("formula"):
                setattr(variable_class, name, _checked(formula, self))
                for draft in years[1:]:
                    setattr(
                        variable_class,
                        f"formula_{draft.financial_year.start_year}_04",
                        _checked(formula, draft),
                    )
        variable_class.formula = _outside(self)
        last = max(d.financial_year.start_year for d in years)
        for year in range(self.financial_year.start_year + 1, last + 2):
            if not any(d.financial_year.start_year == year for d in years):
                setattr(variable_class, f"formula_{year}_04", _outside(self))
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


def _determinations_folder():
    return resources.files("openfisca_grants.parameters").joinpath("determinations")


def _load(key: str) -> Determination:
    index = _determinations_folder().joinpath(key, "index.yaml")
    with index.open(encoding="utf-8") as file:
        data = yaml.load(file, Loader=_Loader)
    try:
        return described(key, data["description"], data["metadata"])
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"parameters/determinations/{key}/index.yaml: {error}") from None


def described(key: str, title: str, metadata: dict) -> Determination:
    """The typed description of a determination's ``index.yaml`` metadata; raises ValueError."""
    known = {
        "determination", "title", "status", "programme", "financial_year", "letter_date",
        "annex_date", "letter_file", "signed_by", "legal_basis", "made_by", "payment",
        "payment_instalments", "payment_month", "payment_due_by", "formula", "paid_per",
        "lead_bodies", "grant_variable", "total_variable", "listed_variable", "formula_variable",
        "adjustment_variable", "variables_module", "annex_a", "costing_checks", "reference",
        "draft_of", "not_carried", "encoded_by_hand", "source_files", "annex_a_file",
        "original_files", "total_adjustments",
    }  # fmt: skip
    unknown = sorted(set(metadata) - known)
    if unknown:
        raise ValueError(f"unknown metadata {', '.join(unknown)}")
    status = metadata.get("status", "published")
    if status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    paid_per = metadata["paid_per"]
    payee = payees.kind(paid_per)
    payee.check(metadata)
    if status == "published" and not metadata.get("letter_file"):
        raise ValueError("a published determination names its letter_file")
    annex = metadata.get("annex_a") or {}
    unknown = sorted(set(annex) - {"amounts", "adjustments", "components"})
    if unknown:
        raise ValueError(f"unknown annex_a metadata {', '.join(unknown)}")
    due = metadata.get("payment_month") or metadata.get("payment_due_by") or ""
    if isinstance(due, datetime.date):
        due = f"by {due.isoformat()}"
    return Determination(
        key=key,
        number=str(metadata["determination"]),
        title=title,
        financial_year=FinancialYear.parse(str(metadata["financial_year"])),
        status=status,
        letter=Letter(
            file=metadata.get("letter_file"),
            date=str(metadata.get("letter_date", "")),
            signed_by=metadata.get("signed_by", ""),
            made_by=metadata.get("made_by", ""),
            legal_basis=metadata.get("legal_basis", ""),
        ),
        payment=Payment(
            text=" ".join(str(metadata.get("payment", "")).split()),
            instalments=metadata.get("payment_instalments"),
            due=str(due),
        ),
        paid_per=paid_per,
        lead_bodies=metadata.get("lead_bodies"),
        grant_variable=metadata["grant_variable"],
        total_variable=metadata["total_variable"],
        listed_variable=metadata.get("listed_variable"),
        formula_variable=metadata.get("formula_variable"),
        adjustment_variable=metadata.get("adjustment_variable"),
        variables_module=metadata["variables_module"],
        annex_a=AnnexAMapping(
            rows=payee.row_label,
            amounts=annex.get("amounts"),
            adjustments=annex.get("adjustments"),
            components=tuple((str(k), str(v)) for k, v in (annex.get("components") or {}).items()),
        ),
        costing_checks=tuple(_costing_check(check) for check in metadata.get("costing_checks", ())),
        draft_of=metadata.get("draft_of"),
        not_carried=tuple(metadata.get("not_carried", ())),
        metadata=metadata,
    )


def _costing_check(data: dict) -> CostingCheck:
    unknown = sorted(set(data) - {"name", "stated", "factors", "recorded_difference", "explanation"})
    if unknown:
        raise ValueError(f"unknown costing check metadata {', '.join(unknown)}")
    recorded = data.get("recorded_difference")
    if recorded is not None:
        from openfisca_grants.money import to_pence

        recorded = to_pence(recorded)
    factors = tuple(str(factor) for factor in data["factors"])
    if not factors:
        raise ValueError(f"costing check {data['name']!r} has no factors")
    return CostingCheck(
        name=str(data["name"]),
        stated=str(data["stated"]),
        factors=factors,
        recorded_difference_pence=recorded,
        explanation=" ".join(str(data.get("explanation", "")).split()),
    )


def _keys() -> list[str]:
    """The folders under parameters/determinations/ that describe a determination."""
    return sorted(
        entry.name
        for entry in _determinations_folder().iterdir()
        if entry.is_dir() and entry.joinpath("index.yaml").is_file()
    )


@functools.cache
def catalogue() -> tuple[Determination, ...]:
    """Every encoded determination, by financial year (published before draft), then number."""
    return tuple(in_catalogue_order(_load(key) for key in _keys()))


def in_catalogue_order(found) -> list[Determination]:
    """Determinations by financial year (published before draft), then number, as the catalogue is."""
    return sorted(found, key=lambda d: (d.financial_year.start_year, d.is_draft, d.number))


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
