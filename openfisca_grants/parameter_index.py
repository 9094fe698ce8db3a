"""Every grant parameter by path, with what it holds and where it comes from, worked out once per system.

``index(system)`` walks the tax-benefit system's parameters under ``determinations`` once and
keeps, for each leaf: the leaf itself, its determination, its kind (money, rate, count, or the
name of a region, lead body or authority), its unit, a short ``label`` (for a page, a chart's
axis, a sheet's column; the long ``description`` stays), and its sources resolved through its
ancestors: the letter's words (``letter_wording``), the ``reference`` text and the structured
``references``, each dated (the day from which it applies) with a ``title`` (the reference as
the letter's reader would cite it) and an ``href`` to the letter's line. Looking a path up, or
its sources, is then a dictionary read rather than a walk of the tree.

The index is kept per system (weakly: a system no one holds is forgotten). The rules' metadata
never changes once loaded; a reformed system has its own index, since its leaves are its own.
"""

from __future__ import annotations

import datetime
import types
import weakref
from dataclasses import dataclass

from openfisca_grants import boundary, determinations
from openfisca_grants.errors import RulesCannotAnswer, closest
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.money import MONEY_UNIT

ROOT = "determinations"

# A parameter that names something says so in its metadata (``kind``); one that holds a number
# says what in its unit: money in pounds, a rate ("/1"), or a count of the unit's things.
NAMING_KINDS = ("region", "lead_body", "authority")
NUMERIC_KINDS = ("money", "rate", "count")
RATE_UNIT = "/1"


@dataclass(frozen=True)
class Reference:
    """Where a value comes from: dated from the day it applies, titled, linked to the letter's line."""

    since: str  # ISO date from which the reference applies (the first day of a financial year)
    title: str
    href: str  # the letter's line: "openfisca_grants/sources/<letter>.txt#L<line>"

    def as_dict(self) -> dict:
        return {"since": self.since, "title": self.title, "href": self.href}


@dataclass(frozen=True)
class IndexedParameter:
    path: str  # "determinations.<determination>.<...>"
    parameter: object  # the openfisca-core Parameter (leaf)
    determination_key: str
    kind: str | None  # None where the metadata gives it none (``kind`` then says why)
    unit: str
    description: str
    label: str
    reference: str  # the nearest ``reference`` text, this leaf's or an ancestor's
    references: tuple[Reference, ...]  # the nearest structured references
    letter_wording: str  # the nearest ``letter_wording``, on one line
    annex_a_row: int | None
    metadata: dict  # the leaf's own

    @property
    def short_path(self) -> str:
        return self.path.removeprefix(f"{ROOT}.")

    @property
    def determination(self) -> determinations.Determination:
        return next(d for d in determinations.catalogue() if d.key == self.determination_key)

    def value(self, year: FinancialYear):
        """Its value for the financial year (None if it has none): rules are read on 1 April."""
        return self.parameter(year.start.isoformat())

    def references_for(self, year: FinancialYear) -> list[Reference]:
        """The references that apply in ``year``: each one's latest dated on or before 1 April."""
        on = year.start.isoformat()
        dates = sorted({r.since for r in self.references if r.since <= on})
        return [r for r in self.references if dates and r.since == dates[-1]]


@dataclass(frozen=True)
class IndexedNode:
    """A group of parameters (a determination, a component, a costing), with its sources."""

    path: str
    node: object  # the openfisca-core ParameterNode
    description: str
    label: str
    reference: str
    letter_wording: str


def kind_of(path: str, metadata: dict) -> str:
    """What a parameter holds, from its metadata: "money", "rate", "count", "region",
    "lead_body" or "authority". Raises for a parameter whose metadata says none of these.
    """
    kind = metadata.get("kind")
    if kind in NAMING_KINDS:
        return kind
    unit = metadata.get("unit", "")
    if kind is None and unit == MONEY_UNIT:
        return "money"
    if kind is None and unit == RATE_UNIT:
        return "rate"
    if kind is None and unit:
        return "count"
    raise RulesCannotAnswer(
        f"{path}: its metadata gives it no kind (a unit, or kind: region, lead_body or authority).",
        hint="Each changeable parameter says what it holds in its metadata.",
    )


@dataclass(frozen=True)
class ParameterGroup:
    """A determination's parameters under one folder (a component of its formula, its Annex A...)."""

    determination: determinations.Determination
    folder: str  # the key under the determination's parameters
    node: IndexedNode | None  # None for a parameter filed directly in the determination's folder
    entries: tuple[IndexedParameter, ...]

    @property
    def title(self) -> str:
        """The group's description, as the page heads it (a lone parameter: its key, in words)."""
        title = self.node.description if self.node else self.folder.replace("_", " ").capitalize()
        return title or self.folder

    @property
    def letter_wording(self) -> str:
        """The letter's words the group implements, where the group itself quotes them."""
        if self.node is None or "letter_wording" not in self.node.node.metadata:
            return ""
        return self.node.letter_wording


class ParameterIndex:
    """The parameters under ``determinations`` of one system: by path, with resolved metadata."""

    def __init__(self, system) -> None:
        self.entries: dict[str, IndexedParameter] = {}
        self.nodes: dict[str, IndexedNode] = {}
        root = system.parameters.children[ROOT]
        self._walk(root, ROOT, _Inherited())
        # Read-only: every caller of the system shares this index.
        self.leaves = types.MappingProxyType({path: entry.parameter for path, entry in self.entries.items()})

    def _walk(self, node, path: str, inherited: _Inherited) -> None:
        inherited = inherited.under(node.metadata)
        self.nodes[path] = IndexedNode(
            path=path,
            node=node,
            description=node.description or "",
            label=str(node.metadata.get("label") or node.description or _from_key(path)),
            reference=inherited.reference,
            letter_wording=inherited.letter_wording,
        )
        for key, child in node.children.items():
            child_path = f"{path}.{key}"
            if hasattr(child, "children"):
                self._walk(child, child_path, inherited)
                continue
            own = inherited.under(child.metadata)
            metadata = child.metadata
            try:
                kind = kind_of(child_path, metadata)
            except RulesCannotAnswer:
                kind = None
            row = metadata.get("annex_a_row")
            self.entries[child_path] = IndexedParameter(
                path=child_path,
                parameter=child,
                determination_key=child_path.split(".")[1],
                kind=kind,
                unit=metadata.get("unit", ""),
                description=child.description or "",
                label=str(metadata.get("label") or child.description or _from_key(child_path)),
                reference=own.reference,
                references=own.references,
                letter_wording=own.letter_wording,
                annex_a_row=row if isinstance(row, int) else None,
                metadata=metadata,
            )

    def find(self, path, where: str = "") -> IndexedParameter:
        """The parameter a path names (with or without 'determinations.'); raises, naming ``where``,
        with what it holds for a group and the closest paths for an unknown one."""
        prefix = f"{where}: " if where else ""
        if not isinstance(path, str) or not path.strip():
            raise boundary.refuse(
                where, path, "is not a parameter path.", "'openfisca-grants parameters' lists them."
            )
        path = path.strip()
        if not path.startswith(f"{ROOT}.") and path != ROOT:
            path = f"{ROOT}.{path}"
        entry = self.entries.get(path)
        if entry is not None:
            return entry
        if path in self.nodes:
            inside = sorted(p for p in self.entries if p.startswith(path + "."))
            raise RulesCannotAnswer(
                f"{prefix}'{path}' is a group of parameters, not one value.",
                available="It holds: " + ", ".join(inside[:12]) + (" ..." if len(inside) > 12 else "."),
            )
        nearest = closest(path, self.entries, limit=3) if len(path) < 300 else []
        raise RulesCannotAnswer(
            f"{prefix}no parameter is called {boundary.shown(path)}.",
            available="Closest: " + ", ".join(nearest) + "." if nearest else "",
            hint="'openfisca-grants parameters' lists them all.",
        )

    def kind(self, path: str) -> str:
        """The parameter's kind; raises, as ``kind_of`` does, for one whose metadata gives none."""
        entry = self.find(path)
        return entry.kind if entry.kind is not None else kind_of(entry.path, entry.metadata)

    def node(self, path: str) -> IndexedNode | None:
        """The group at ``path`` (with or without 'determinations.'), or None."""
        if not path.startswith(f"{ROOT}.") and path != ROOT:
            path = f"{ROOT}.{path}"
        return self.nodes.get(path)

    def of_determination(self, key: str) -> list[IndexedParameter]:
        """The determination's parameters, in the order of its files."""
        prefix = f"{ROOT}.{key}."
        return [entry for path, entry in self.entries.items() if path.startswith(prefix)]

    def changeable(self, year=None) -> list[IndexedParameter]:
        """Every parameter a reform can change, of the determinations governing ``year`` (or all)."""
        chosen = determinations.for_year(year) if year else determinations.catalogue()
        keys = {d.key for d in chosen}
        return [entry for entry in self.entries.values() if entry.determination_key in keys]

    def groups(self, year) -> list[ParameterGroup]:
        """The changeable parameters of ``year`` by determination and folder, the formula's
        components first, in the letter's order (``annex_a.components``), then the rest as filed."""
        found = []
        for determination in determinations.for_year(year):
            by_folder: dict[str, list[IndexedParameter]] = {}
            for entry in self.of_determination(determination.key):
                by_folder.setdefault(entry.path.split(".")[2], []).append(entry)
            order = [folder for folder, _ in determination.annex_a.components]
            folders = [f for f in order if f in by_folder] + [f for f in by_folder if f not in order]
            for folder in folders:
                found.append(
                    ParameterGroup(
                        determination,
                        folder,
                        self.node(f"{determination.key}.{folder}"),
                        tuple(by_folder[folder]),
                    )
                )
        return found


class _Inherited:
    """What a node passes down: the nearest reference, structured references and letter's words."""

    __slots__ = ("reference", "references", "letter_wording")

    def __init__(self, reference: str = "", references=(), letter_wording: str = "") -> None:
        self.reference, self.references, self.letter_wording = reference, references, letter_wording

    def under(self, metadata: dict) -> _Inherited:
        reference = metadata.get("reference", self.reference)
        wording = metadata.get("letter_wording")
        return _Inherited(
            reference if isinstance(reference, str) else self.reference,
            _references(metadata["references"]) if "references" in metadata else self.references,
            " ".join(str(wording).split()) if wording is not None else self.letter_wording,
        )


LETTERS_FOLDER = "openfisca_grants/sources"  # where the letters are, from the repository's root


def letter_href(letter_file: str, line: int) -> str:
    """The ``href`` of a line of a letter in ``openfisca_grants/sources/``."""
    return f"{LETTERS_FOLDER}/{letter_file}#L{line}"


def dated_references(since, title: str, href: str) -> dict:
    """A parameter's ``references`` metadata, as a YAML file carries it (what a tool writing
    parameters, such as new-determination or roll-forward, writes): ``{"YYYY-MM-DD": [{title, href}]}``.
    The date is a string, so that YAML keeps it as written and JSON can carry it."""
    day = since if isinstance(since, datetime.date) else datetime.date.fromisoformat(str(since))
    return {day.isoformat(): [{"title": title, "href": href}]}


def _references(dated) -> tuple[Reference, ...]:
    """``{date: [{title, href}, ...]}`` as read from a parameter's YAML, as ``Reference``s."""
    found = []
    for since, entries in (dated or {}).items():
        day = since if isinstance(since, datetime.date) else datetime.date.fromisoformat(str(since))
        for entry in entries or ():
            found.append(Reference(day.isoformat(), str(entry["title"]), str(entry["href"])))
    return tuple(sorted(found, key=lambda r: r.since))


def _from_key(path: str) -> str:
    return path.rsplit(".", 1)[-1].replace("_", " ")


# Each system's index (weakly: a system no one holds is forgotten, and so is its index).
_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def index(system=None) -> ParameterIndex:
    """The index of ``system``'s parameters (default: the baseline rules), built once."""
    if system is None:
        from openfisca_grants.simulation import tax_benefit_system

        system = tax_benefit_system()
    found = _INDEXES.get(system)
    if found is None:
        found = _INDEXES[system] = ParameterIndex(system)
    return found
