"""Reforms as data: parameter changes from a YAML file or ``--set PATH=VALUE``, strictly validated.

A reform file::

    name: London weighting at 20%
    description: What each region would get if the London weighting were 20%.
    changes:
      - parameter: determinations.<determination>.<component>.<parameter>
        value: 20%
        year: 2024-25          # or: from: 2024-04-01 (the first day of a financial year)

Everything is checked before anything is applied, and a refusal names the file and line: an
unknown path (with the closest real paths), a node instead of a value, a value of the wrong
kind or unit (money must be whole pence; a rate is 0.2 or "20%"; a count a whole number; a
region or body must be one the register knows), or a year the parameter's determination does
not govern. A reform may also be a Python file defining an OpenFisca ``Reform`` that replaces
formulas (see ``examples/``); both kinds give a ``ReformSpec``, applied with ``apply``.
"""

from __future__ import annotations

import collections
import contextlib
import datetime
import inspect
import pathlib
import re
import traceback
import types
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field

import yaml
from openfisca_core.reforms import Reform

from openfisca_grants import boundary, determinations, parameter_index, parameter_overlay
from openfisca_grants.errors import RulesCannotAnswer, closest
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.money import Money
from openfisca_grants.register import register

REFORM_KEYS = {"name", "description", "changes", "budget_neutral"}
CHANGE_KEYS = {"parameter", "value", "year", "from"}


@dataclass(frozen=True)
class ParameterChange:
    path: str
    value: object
    year: FinancialYear
    where: str  # "reforms/london.yaml, line 7" or "--set"


@dataclass
class ReformSpec:
    name: str
    description: str = ""
    changes: list[ParameterChange] = field(default_factory=list)
    formula_reform: type[Reform] | None = None  # a Python reform that replaces formulas
    source: str = ""
    # Reformed amounts scaled to the baseline total: part of the what-if, so that a reform file
    # downloaded from the page reproduces the figures the page showed.
    budget_neutral: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.changes and self.formula_reform is None


# ---- reading ---------------------------------------------------------------------------------


def load(path: str | pathlib.Path, system=None) -> ReformSpec:
    """A reform from a ``.yaml`` file (parameter changes) or a ``.py`` file (an OpenFisca Reform).

    Loading a ``.py`` file runs its code: load only files you trust.
    """
    if not isinstance(path, (str, pathlib.Path)) or not str(path).strip():
        raise boundary.refuse("reform", path, "is not the path of a reform file.")
    path = pathlib.Path(path)
    if not path.is_file():
        raise RulesCannotAnswer(f"No reform file at '{path}'.")
    if path.suffix == ".py":
        return _load_python(path)
    if path.suffix not in (".yaml", ".yml"):
        raise RulesCannotAnswer(f"'{path}' is neither a YAML reform (.yaml) nor a Python reform (.py).")
    return _load_yaml(path, system or _baseline())


def _baseline():
    from openfisca_grants.simulation import tax_benefit_system

    return tax_benefit_system()


def _load_yaml(path: pathlib.Path, system) -> ReformSpec:
    text = boundary.read_text(path, "reform file", boundary.MAX_REFORM_FILE_BYTES)
    root = boundary.compose_yaml(text, str(path))

    def where(node) -> str:
        return f"{path}, line {node.start_mark.line + 1}"

    if not isinstance(root, yaml.MappingNode):
        raise RulesCannotAnswer(f"{path}: a reform file is a mapping with {', '.join(sorted(REFORM_KEYS))}.")
    fields = _mapping(root, REFORM_KEYS, where, "reform")
    if "name" not in fields:
        raise RulesCannotAnswer(f"{where(root)}: the reform has no name.", hint="Add 'name: ...'.")
    changes_node = fields.get("changes")
    if changes_node is None or not isinstance(changes_node, yaml.SequenceNode) or not changes_node.value:
        raise RulesCannotAnswer(
            f"{where(changes_node or root)}: 'changes' must be a list of parameter changes.",
            hint="Each: parameter, value, and year or from.",
        )
    name = _scalar(fields["name"], where)
    if not name.strip():
        raise RulesCannotAnswer(
            f"{where(fields['name'])}: the reform's name is empty.", hint="Add 'name: ...'."
        )
    spec = ReformSpec(
        name=name,
        description=_scalar(fields["description"], where) if "description" in fields else "",
        source=str(path),
        budget_neutral=_flag(fields["budget_neutral"], where) if "budget_neutral" in fields else False,
    )
    for item in changes_node.value:
        if not isinstance(item, yaml.MappingNode):
            raise RulesCannotAnswer(f"{where(item)}: a change is a mapping of parameter, value, year.")
        change = _mapping(item, CHANGE_KEYS, where, "change")
        for required in ("parameter", "value"):
            if required not in change:
                raise RulesCannotAnswer(f"{where(item)}: this change has no '{required}'.")
        if "year" in change and "from" in change:
            raise RulesCannotAnswer(f"{where(item)}: give 'year' or 'from', not both.")
        spec.changes.append(
            validate(
                system,
                path=_scalar(change["parameter"], where),
                value=_scalar(change["value"], where),
                year=_scalar(change["year"], where) if "year" in change else None,
                start=_scalar(change["from"], where) if "from" in change else None,
                where=where(item),
                where_value=where(change["value"]),
            )
        )
    refuse_changed_twice(spec.changes)
    return spec


def refuse_changed_twice(changes: list[ParameterChange]) -> None:
    """Raise if two changes set the same parameter for the same year: only one can be meant."""
    seen: dict[tuple[str, FinancialYear], ParameterChange] = {}
    for change in changes:
        earlier = seen.setdefault((change.path, change.year), change)
        if earlier is not change:
            raise RulesCannotAnswer(
                f"{change.where}: {change.path} is changed twice for {change.year.label} "
                f"(also at {earlier.where}); say which value you mean."
            )


def _mapping(node: yaml.MappingNode, allowed: set[str], where, what: str) -> dict:
    fields = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise RulesCannotAnswer(
                f"{where(key_node)}: a key here is a plain word, not a list or a mapping."
            )
        key = key_node.value
        if key in fields:
            raise RulesCannotAnswer(
                f"{where(key_node)}: '{key}' is given twice in this {what} "
                f"(first at line {fields[key].start_mark.line + 1})."
            )
        if key not in allowed:
            suggestion = closest(key, allowed, limit=1)
            raise RulesCannotAnswer(
                f"{where(key_node)}: unknown key '{key}' in a {what}.",
                available=f"Allowed: {', '.join(sorted(allowed))}."
                + (f" Did you mean '{suggestion[0]}'?" if suggestion else ""),
            )
        fields[key] = value_node
    return fields


def _scalar(node, where) -> str:
    """A scalar's text as written. Values are read by the parameter's kind, exactly as ``--set``
    reads them, so that the same value means the same thing, and is refused the same way, in a
    file and on the command line."""
    if not isinstance(node, yaml.ScalarNode):
        raise RulesCannotAnswer(f"{where(node)}: expected a single value, not a list or a mapping.")
    return node.value


def _flag(node, where) -> bool:
    """true or false, as written: not YAML's yes/on/1, which read as a flag by accident."""
    text = _scalar(node, where)
    if text not in ("true", "false"):
        raise RulesCannotAnswer(
            f"{where(node)}: budget_neutral: {boundary.shown(text)} is not true or false."
        )
    return text == "true"


def _load_python(path: pathlib.Path) -> ReformSpec:
    """Load a Python reform file. Loading it RUNS ITS CODE: load only files you trust."""
    source = boundary.read_text(path, "Python reform file", boundary.MAX_REFORM_FILE_BYTES)
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as error:
        raise RulesCannotAnswer(f"{path}, line {error.lineno}: not valid Python: {error.msg}.") from None
    module_name = f"openfisca_grants_reform_{re.sub(r'[^0-9a-zA-Z_]', '_', path.stem)}"
    module = types.ModuleType(module_name)
    module.__file__ = str(path)
    PYTHON_REFORM_FILES.add(str(path.resolve()))
    try:
        exec(code, module.__dict__)
    except (Exception, SystemExit) as error:
        raise reform_code_failed(error, "loading it") from None
    reforms = [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, Reform)
        and value is not Reform
        and value.__module__ == module.__name__
    ]
    if len(reforms) != 1:
        raise RulesCannotAnswer(
            f"{path}: a Python reform file defines exactly one openfisca_core Reform subclass; "
            f"found {len(reforms)}."
        )
    (reform,) = reforms
    name = getattr(reform, "name", None)
    if name is not None and not isinstance(name, str):
        raise boundary.refuse(f"{path}: the reform's name", name, "is not text.")
    # The reform's own docstring, else its module's first paragraph (never Reform's own).
    own_doc = reform.__dict__.get("__doc__") or (module.__doc__ or "").split("\n\n")[0]
    return ReformSpec(
        name=getattr(reform, "name", None) or reform.__name__,
        description=inspect.cleandoc(own_doc) if own_doc else "",
        formula_reform=reform,
        source=str(path),
    )


# Python reform files loaded in this process: an error raised from their code is the file's.
PYTHON_REFORM_FILES: set[str] = set()


def reform_code_failed(error: BaseException, doing: str, source: str = "") -> RulesCannotAnswer:
    """The error for a Python reform file whose own code raised (or exited) while ``doing``.

    Names the file and line where its code raised; else ``source``, the file whose formulas
    were running (a formula that returns text, say, fails inside OpenFisca, not in the file).
    """
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if str(pathlib.Path(frame.filename).resolve()) in PYTHON_REFORM_FILES
    ]
    if isinstance(error, SystemExit):
        what = f"called sys.exit({error.code!r})"
    else:
        what = f"raised {type(error).__name__}: {str(error)[:300]}"
    if frames:
        where = f"{frames[-1].filename}, line {frames[-1].lineno}: "
    else:
        where = f"{source}: " if source else ""
    return RulesCannotAnswer(
        f"{where}the Python reform {what} while {doing}.",
        hint="A Python reform file is a program: fix its code (and load only files you trust).",
    )


@contextlib.contextmanager
def computing_under(spec: ReformSpec | None):
    """Errors raised while computing under a Python reform are the reform's: say so, naming it."""
    try:
        yield
    except RulesCannotAnswer:
        raise
    except (Exception, SystemExit) as error:
        if spec is None or spec.formula_reform is None:
            raise
        raise reform_code_failed(error, "computing", source=spec.source) from error


def raised_by_reform_code(error: BaseException) -> bool:
    """Whether a Python reform file's code is where ``error`` was raised."""
    return any(
        str(pathlib.Path(frame.filename).resolve()) in PYTHON_REFORM_FILES
        for frame in traceback.extract_tb(error.__traceback__)
    )


def parse_set(text: str, year=None, system=None) -> ParameterChange:
    """A ``--set PATH=VALUE`` change, for ``year`` (default: its determination's year).

    The value is read by the parameter's kind, as a reform file's value is: never as YAML.
    """
    if not isinstance(text, str) or "=" not in text:
        raise RulesCannotAnswer(f"--set {text}: write PATH=VALUE.")
    path, raw = (part.strip() for part in text.split("=", 1))
    return validate(system or _baseline(), path, raw, year=year, start=None, where=f"--set {text}")


def checked_spec(spec: ReformSpec, system=None) -> ReformSpec:
    """A ``ReformSpec`` built by hand, checked as a file's would be: every change validated again."""
    if not isinstance(spec.name, str) or not isinstance(spec.changes, list):
        raise RulesCannotAnswer("A ReformSpec needs a name (text) and a list of ParameterChange.")
    checked = []
    for change in spec.changes:
        if not isinstance(change, ParameterChange):
            raise boundary.refuse("ReformSpec.changes", change, "is not a ParameterChange.")
        year = change.year if isinstance(change.year, FinancialYear) else None
        where = change.where if isinstance(change.where, str) else ""
        checked.append(validate(system or _baseline(), change.path, change.value, year=year, where=where))
    refuse_changed_twice(checked)
    if not isinstance(spec.budget_neutral, bool):
        raise boundary.refuse("ReformSpec.budget_neutral", spec.budget_neutral, "is not true or false.")
    return ReformSpec(
        spec.name, spec.description, checked, spec.formula_reform, spec.source, spec.budget_neutral
    )


def from_changes(name: str, changes: list[ParameterChange], description: str = "") -> ReformSpec:
    return ReformSpec(name=name, description=description, changes=list(changes), source="--set")


# ---- validation ------------------------------------------------------------------------------


def leaves(system) -> Mapping[str, object]:
    """Every parameter under ``determinations``, by path (from the system's parameter index)."""
    return parameter_index.index(system).leaves


def determination_of(path: str):
    key = path.split(".")[1]
    return next(d for d in determinations.catalogue() if d.key == key)


def governed_value(parameter, year: FinancialYear):
    """The parameter's value for the financial year (None if it has none)."""
    return parameter(year.period.start)  # an Instant: core need not parse a date's text for it


def find_parameter(system, path, where: str = ""):
    """The full path and the parameter a path names (with or without 'determinations.')."""
    entry = parameter_index.index(system).find(path, where)
    return entry.path, entry.parameter


def validate(
    system, path: str, value, year=None, start=None, where: str = "", where_value: str = ""
) -> ParameterChange:
    """A checked ``ParameterChange``; raises ``RulesCannotAnswer`` naming ``where``.

    ``where`` locates the change (file and line), ``where_value`` its value, if elsewhere.
    """
    prefix = f"{where}: " if where else ""
    entry = parameter_index.index(system).find(path, where)
    path, parameter = entry.path, entry.parameter
    determination = entry.determination
    asked = _year_asked(year, start, determination, prefix)
    if asked != determination.financial_year:
        raise RulesCannotAnswer(
            f"{prefix}{path} is a rule of determination {determination.label}, which governs "
            f"{determination.financial_year.label} only; the change asks for {asked.label}.",
            hint="Encoded determinations: " + ", ".join(d.label for d in determinations.catalogue()) + ".",
        )
    current = governed_value(parameter, asked)
    value_prefix = f"{where_value}: " if where_value else prefix
    checked = _checked_value(entry, current, value, asked, value_prefix)
    return ParameterChange(path, checked, asked, where_value or where)


def _year_asked(year, start, determination, prefix) -> FinancialYear:
    if year is None and start is None:
        return determination.financial_year
    if year is not None:
        return boundary.financial_year(year, prefix.rstrip(": "))
    try:
        date = start if isinstance(start, datetime.date) else datetime.date.fromisoformat(str(start).strip())
    except ValueError:
        raise RulesCannotAnswer(f"{prefix}'from: {start}' is not a date (YYYY-MM-DD).") from None
    if (date.month, date.day) != (4, 1):
        raise RulesCannotAnswer(
            f"{prefix}'from: {date.isoformat()}' is not the first day of a financial year.",
            hint="A determination's rules are read on 1 April, so a change from any other date "
            f"would change nothing: write from: {date.year if date.month >= 4 else date.year - 1}-04-01 "
            "or year: 2024-25.",
        )
    return FinancialYear(date.year)


NAMING_KINDS = parameter_index.NAMING_KINDS
NUMERIC_KINDS = parameter_index.NUMERIC_KINDS
RATE_UNIT = parameter_index.RATE_UNIT


def parameter_kind(path: str, parameter, current=None) -> str:
    """What a parameter holds, from its metadata: "money", "rate", "count", "region",
    "lead_body" or "authority". Raises for a parameter whose metadata says none of these.
    """
    return parameter_index.kind_of(path, parameter.metadata)


def _checked_value(entry: parameter_index.IndexedParameter, current, value, year, prefix):
    where = f"{prefix}{entry.path}"
    if isinstance(current, bool) or current is None:
        raise RulesCannotAnswer(f"{where}: this parameter has no value to change in {year.label}.")
    kind = entry.kind if entry.kind is not None else parameter_index.kind_of(entry.path, entry.metadata)
    if kind in NAMING_KINDS:
        what = kind.replace("_", " ")
        if not isinstance(value, str) or not value.strip():
            raise boundary.refuse(where, value, f"is not the name or code of a {what}.")
        try:
            if kind == "region":
                return register().region(value).code
            body = register().resolve(value, year.start)  # raises, with the closest names
            if kind == "authority":
                register().require_authorities([body.code], year.start)
        except RulesCannotAnswer as error:
            raise RulesCannotAnswer(f"{where} = {boundary.shown(value)}: {error}") from None
        if kind == "lead_body":
            _refuse_lead_body_outside_region(entry.path, body, value, year, where)
        return value.strip()
    if kind == "money":
        allow_negative = bool(entry.metadata.get("may_be_negative"))
        return boundary.money_pence(value, where, allow_negative=allow_negative) / 100
    if kind == "count":
        return boundary.count(value, where, determinations.unit_plural(entry.unit))
    return boundary.rate(value, where)


def _refuse_lead_body_outside_region(path: str, body, value, year, where: str) -> None:
    """A region's lead body is one of its own bodies (an authority, or a combined authority
    within it): its key in the parameter tree names the region."""
    try:
        region = register().region(path.rsplit(".", 1)[-1])
    except RulesCannotAnswer:
        return  # a lead body not keyed by a region: nothing to hold it to
    if body.region_code == region.code:
        return
    own = sorted(
        (b.letter_names[0] if b.letter_names else b.name)
        for b in register().bodies
        if b.region_code == region.code
        and b.exists_on(year.start)
        and (b.has_childrens_services or b.letter_names)
    )
    elsewhere = register().region_of_code(body.region_code).name if body.region_code else "no region"
    raise RulesCannotAnswer(
        f"{where}: {boundary.shown(value)} is {body.name}, in {elsewhere}, not {region.name}; "
        f"a region's lead body is one of its own bodies.",
        available=f"Bodies of {region.name}: " + "; ".join(own) + ".",
    )


# ---- applying --------------------------------------------------------------------------------


def apply(spec: ReformSpec, system=None):
    """The tax-benefit system with the reform applied (the baseline is left untouched)."""
    system = system or _baseline()
    if spec.formula_reform is not None:
        baseline = system
        try:
            system = spec.formula_reform(system)
        except (Exception, SystemExit) as error:
            if isinstance(error, RulesCannotAnswer):
                raise
            raise reform_code_failed(error, "applying it") from None
        _refuse_money_as_float32(baseline, system, spec.source)
    if not spec.changes:
        return system
    if spec.formula_reform is not None:
        return _parameter_reform(spec, system)
    # The same parameter changes on the same rules give the same system: a web page asked for
    # one what-if again and again need not copy the parameter tree each time (the copy is most
    # of what a comparison costs). tests/test_reforms.py holds cached and fresh systems equal.
    key = (spec.name, tuple((c.path, repr(c.value), c.year.start_year) for c in spec.changes))
    cached = _APPLIED.setdefault(system, collections.OrderedDict())
    if key in cached:
        cached.move_to_end(key)
        return cached[key]
    reformed = cached[key] = _parameter_reform(spec, system)
    if len(cached) > APPLIED_CACHE_SIZE:
        cached.popitem(last=False)
    return reformed


APPLIED_CACHE_SIZE = 128
# Reformed systems by baseline system (weakly: a baseline no one holds is forgotten), then by
# the changes made, most recently used last.
_APPLIED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _parameter_reform(spec: ReformSpec, system):
    """``system`` with the reform's parameter changes, as an OpenFisca ``Reform``.

    The changed leaves are laid over the baseline's tree rather than copying it all (see
    ``parameter_overlay``): the copy was most of what a new what-if cost.
    """
    return parameter_overlay.reformed_system(
        system, spec.name, [(change.path, change.year.period, change.value) for change in spec.changes]
    )


def _refuse_money_as_float32(baseline, reformed, source: str) -> None:
    """A reform that replaces a money variable with a stock float one would lose pence (float32)."""
    for name, variable in reformed.variables.items():
        before = baseline.variables.get(name)
        if isinstance(before, Money) and not isinstance(variable, Money):
            raise RulesCannotAnswer(
                f"{source}: the reform replaces the money variable {name} with one that is not "
                "money: stock OpenFisca floats are float32 and lose pence above £167,772.16.",
                hint="Define it as a subclass of openfisca_grants.money.Money.",
            )


def changeable_parameters(system=None, year=None) -> list[dict]:
    """Every parameter a reform can change, with its value, unit and source, for one year or all."""
    rows = []
    for entry in parameter_index.index(system or _baseline()).changeable(year):
        determination = entry.determination
        rows.append(
            {
                "parameter": entry.path,
                "determination": determination.number,
                "year": determination.financial_year.label,
                "value": governed_value(entry.parameter, determination.financial_year),
                "unit": entry.unit,
                "description": entry.description,
                "reference": entry.reference,
            }
        )
    return rows


def source_of(system, path: str) -> str:
    """Where the parameter comes from: the nearest ``reference`` (resolved once, by the index)."""
    return parameter_index.index(system).find(path).reference


def letter_wording(system, path: str) -> str:
    """The letter's words the parameter implements: the nearest ``letter_wording``, on one line."""
    return parameter_index.index(system).find(path).letter_wording
