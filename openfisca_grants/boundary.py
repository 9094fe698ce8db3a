"""The checked boundary: every value from outside is parsed and checked here, once, before the rules see it.

The command line, reform files, ``--set``, CSV files, the Python API and HTTP bodies all call
these functions, so the same mistake gets the same message wherever it is made. A refusal is a
``RulesCannotAnswer`` that names what was given, where (file and line, argument, JSON path) and
what would be accepted.

What the boundary accepts:

* **numbers**: finite decimals written plainly (``80000``, ``80000.50``, ``0.2``, ``1e3``); never
  NaN, infinity, true/false, an empty value, a list, a mapping or a date;
* **money**: whole pence, at most £1,000,000,000,000.00 (10^14 pence) either way. float64, in
  which money variables are stored, holds every whole-penny amount to 2^53 pence (about £90
  trillion) exactly, so sums of thousands of amounts within the limit stay exact, and so do
  int64 pence;
* **rates**: from 0 to 1 (``0.2``) or from 0% to 100% (``"20%"``);
* **counts**: whole numbers from 0 to 1,000,000;
* **text files**: UTF-8 (a byte-order mark is allowed and dropped); a reform file at most 1 MiB,
  a CSV at most 10 MiB; **YAML and JSON**: nested at most 32 deep, no duplicate keys, no tags or
  anchors in a reform file;
* **HTTP bodies**: JSON sent as ``application/json``, at most 1 MiB;
* **dates**: ISO dates (``2024-04-01``) the register covers (from 1 April 2009);
* **output files**: a path whose folder exists and can be written, never an existing file
  unless the caller says ``force``.
"""

from __future__ import annotations

import datetime
import decimal
import json
import math
import os
import pathlib
import re
import tempfile

import yaml

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import MAX_PENCE

MAX_COUNT = 1_000_000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_REFORM_FILE_BYTES = 1024 * 1024
MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_SWEEP_VALUES = 1_000_000

MONEY_LIMIT_TEXT = "£1,000,000,000,000.00"

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?")
_MONEY = re.compile(r"(-)?\s*£?\s*(\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d{1,6}))?")
_PERCENT = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%")


def _prefix(where: str) -> str:
    return f"{where}: " if where else ""


def shown(value) -> str:
    """A value as the message quotes it: short, on one line."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return repr(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value.isoformat()}"
    if isinstance(value, int) and abs(value) > 10**60:
        return f"a whole number of about {int(value.bit_length() * 0.30103)} digits"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def refuse(where: str, given, reason: str, hint: str = "") -> RulesCannotAnswer:
    """The error for a value refused at the boundary (raise it)."""
    return RulesCannotAnswer(f"{_prefix(where)}{shown(given)} {reason}", hint=hint)


# ---- numbers ---------------------------------------------------------------------------------


def number(value, where: str = "", accepts: str = "a number such as 0.2 or 80000") -> decimal.Decimal:
    """A finite number, exactly as written (a Decimal), from text, an int, a float or a Decimal."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, tuple, dict, set)):
        raise refuse(where, value, "is not a number.", f"Expected {accepts}.")
    if isinstance(value, (datetime.date, datetime.datetime)):
        raise refuse(where, value, "is not a number.", f"Expected {accepts}.")
    if isinstance(value, decimal.Decimal):
        exact = value
    elif isinstance(value, int):
        exact = decimal.Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise refuse(where, value, "is not a finite number.", f"Expected {accepts}.")
        exact = decimal.Decimal(repr(value))  # as written: 0.1 is 0.1, not 0.1000000000000000055
    elif hasattr(value, "dtype") and getattr(value, "shape", None) == ():  # a numpy scalar
        kind = value.dtype.kind
        if kind in "iu":
            return number(int(value), where, accepts)
        if kind == "f":
            return number(float(value), where, accepts)
        raise refuse(where, value, "is not a number.", f"Expected {accepts}.")
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise refuse(where, value, "is empty: no value was given.", f"Expected {accepts}.")
        if not _NUMBER.fullmatch(text):
            reason = "is not a finite number." if _looks_infinite(text) else "is not a number."
            raise refuse(where, value, reason, f"Expected {accepts}.")
        exact = decimal.Decimal(text)
    else:
        raise refuse(where, value, "is not a number.", f"Expected {accepts}.")
    if not exact.is_finite():
        raise refuse(where, value, "is not a finite number.", f"Expected {accepts}.")
    # Beyond these no parameter means anything, and Decimal arithmetic on them can overflow.
    if exact and exact.adjusted() > 30:
        raise refuse(where, value, "is too large a number.", f"Expected {accepts}.")
    if exact and exact.adjusted() < -30:
        raise refuse(where, value, "is too small a number to mean anything here.", f"Expected {accepts}.")
    return exact


def _looks_infinite(text: str) -> bool:
    return text.lower().lstrip("+-.") in ("inf", "infinity", "nan")


def money_pence(value, where: str = "", allow_negative: bool = False) -> int:
    """An amount of money in pounds as exact whole pence, within the limit either way.

    Takes a number, or money as the letters print it: "£80,000", "80000.50".
    """
    accepts = "an amount in pounds, in whole pence: 80000, 80000.50 or '£80,000'"
    if isinstance(value, str):
        text = value.strip()
        match = _MONEY.fullmatch(text)
        if not match:
            if not text:
                raise refuse(where, value, "is empty: no amount was given.", f"Expected {accepts}.")
            reason = "is not a finite amount." if _looks_infinite(text) else "is not an amount of money."
            raise refuse(where, value, reason, f"Expected {accepts}.")
        sign, digits, exponent = match.groups()
        amount = decimal.Decimal(
            (sign or "") + digits.replace(",", "") + (f"e{exponent}" if exponent else "")
        )
    else:
        amount = number(value, where, accepts)
    if abs(amount) > decimal.Decimal(MAX_PENCE) / 100:
        raise refuse(
            where,
            value,
            f"is beyond the {MONEY_LIMIT_TEXT} either way that this tool computes exactly.",
        )
    pence = amount * 100
    if pence != pence.to_integral_value():
        raise refuse(where, value, "is not a whole number of pence.", f"Expected {accepts}.")
    pence = int(pence)
    if pence < 0 and not allow_negative:
        raise refuse(where, value, "is negative: an amount of grant cannot be negative.")
    return pence


def rate(value, where: str = "") -> float:
    """A rate from 0 to 1, given as a number (0.2) or a percentage ("20%")."""
    accepts = "a rate: a number from 0 to 1 such as 0.2, or a percentage such as '20%'"
    if isinstance(value, str) and "%" in value:
        match = _PERCENT.fullmatch(value.strip())
        if not match:
            raise refuse(where, value, "is not a percentage.", f"Expected {accepts}.")
        exact = decimal.Decimal(match.group(1)) / 100
    else:
        exact = number(value, where, accepts)
    if exact < 0:
        raise refuse(where, value, "is negative: a rate cannot be negative.", f"Expected {accepts}.")
    if exact > 1:
        percent = exact * 100
        hint = "Write 0.2 or '20%' for twenty per cent."
        if not (isinstance(value, str) and "%" in value):
            hint = f"Did you mean {float(exact) / 100:g} ({float(exact):g}%)? " + hint
        raise refuse(where, value, f"is above 1: a rate of {float(percent):g}% is more than 100%.", hint)
    return float(exact)


def swept_value(value, where: str = "") -> float:
    """An end of a sweep's range, written as the rule's field takes it: a number, a percentage
    ("10%": 0.1, a rate) or money ("£50,000": whole pence). The rule itself checks its kind."""
    if isinstance(value, str) and "%" in value:
        return rate(value, where)
    if isinstance(value, str) and "£" in value:
        return money_pence(value, where, allow_negative=True) / 100
    return finite_float(value, where)


def count(value, where: str = "", unit: str = "") -> int:
    """A whole number from 0 to ``MAX_COUNT``."""
    what = unit or "items"
    accepts = f"a whole number of {what}, from 0 to {MAX_COUNT:,}"
    exact = number(value, where, accepts)
    if exact != exact.to_integral_value():
        raise refuse(where, value, f"is not a whole number of {what}.", f"Expected {accepts}.")
    if exact < 0:
        raise refuse(where, value, f"is negative: a number of {what} cannot be negative.")
    if exact > MAX_COUNT:
        raise refuse(where, value, f"is more than {MAX_COUNT:,} {what}.", f"Expected {accepts}.")
    return int(exact)


def whole_number(value, where: str, low: int, high: int, what: str) -> int:
    """A whole number within [low, high], for arguments such as a number of steps."""
    accepts = f"a whole number from {low:,} to {high:,}"
    exact = number(value, where, accepts)
    if exact != exact.to_integral_value() or not low <= exact <= high:
        raise refuse(where, value, f"is not {what} from {low:,} to {high:,}.", f"Expected {accepts}.")
    return int(exact)


def sweep_values(values, where: str = "the sweep's values"):
    """The values of a sweep: finite numbers, at least one, at most ``MAX_SWEEP_VALUES``."""
    import numpy

    try:
        given = numpy.asarray(values)
    except (TypeError, ValueError):
        raise RulesCannotAnswer(f"{where}: expected a list of numbers.") from None
    if given.dtype.kind not in "iuf" or given.dtype == bool:
        raise RulesCannotAnswer(f"{where}: expected a list of numbers, not {given.dtype.name} values.")
    if given.ndim > 1:
        raise RulesCannotAnswer(f"{where}: expected a flat list of numbers, not a table of {given.shape}.")
    array = given.astype(numpy.float64).ravel()
    if array.size == 0:
        raise RulesCannotAnswer(f"{where}: a sweep needs at least one value.")
    if array.size > MAX_SWEEP_VALUES:
        raise RulesCannotAnswer(
            f"{where}: {array.size:,} values; a sweep takes at most {MAX_SWEEP_VALUES:,}.",
            hint="Sweep a coarser range, or in parts.",
        )
    finite = numpy.isfinite(array)
    if not finite.all():
        first = int(numpy.argmin(finite))
        raise refuse(f"{where}, value {first + 1}", float(array[first]), "is not a finite number.")
    return array


def finite_float(value, where: str) -> float:
    """A number that a float64 holds (so not 1e999), as a float."""
    exact = number(value, where)
    converted = float(exact)
    if not math.isfinite(converted):
        raise refuse(where, value, "is too large a number.")
    if exact and not converted:
        raise refuse(where, value, "is too small a number: it would be read as 0.")
    return converted


# ---- years and dates -------------------------------------------------------------------------


def financial_year(value, where: str = ""):
    """A ``FinancialYear`` from "2024-25" (or the other forms ``FinancialYear.parse`` reads)."""
    from openfisca_grants.financial_year import FinancialYear

    if not isinstance(value, (str, int, FinancialYear)) or isinstance(value, bool):
        raise refuse(where, value, "is not a financial year.", 'Write it as "2024-25".')
    try:
        return FinancialYear.parse(value)
    except RulesCannotAnswer as error:
        raise RulesCannotAnswer(f"{_prefix(where)}{error}") from None


def date(value, where: str = "") -> datetime.date:
    """An ISO date the register covers."""
    from openfisca_grants.register import register

    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        text = str(value).strip() if isinstance(value, str) else None
        try:
            if text is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            value = datetime.date.fromisoformat(text)
        except ValueError:
            raise refuse(where, value, "is not a date.", "Write it as YYYY-MM-DD, e.g. 2017-03-22.") from None
    register().require_covered(value, where)
    return value


# ---- files -----------------------------------------------------------------------------------


def read_text(path, what: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """A text file's contents: it must exist, be a file, be UTF-8 and at most ``max_bytes``."""
    return decode_utf8(read_bytes(path, what, max_bytes), str(pathlib.Path(path)))


def read_bytes(path, what: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """A file's bytes (a PDF, a spreadsheet): it must exist, be a file and be at most ``max_bytes``."""
    path = pathlib.Path(path)
    try:
        if not path.exists():
            raise RulesCannotAnswer(f"No {what} at '{path}'.")
        if not path.is_file():
            raise RulesCannotAnswer(f"'{path}' is not a file: expected a {what}.")
        size = path.stat().st_size
        if size > max_bytes:
            raise RulesCannotAnswer(f"{path}: the {what} is {size:,} bytes; at most {max_bytes:,} are read.")
        return path.read_bytes()
    except OSError as error:
        raise RulesCannotAnswer(f"Cannot read the {what} '{path}': {error.strerror or error}.") from None


_ADJUSTMENT = re.compile(r"([a-z][a-z0-9_]{0,63})=([^:]*):(.*)", re.S)


def adjustment(value, where: str = "--adjustment"):
    """A named adjustment to Annex A's stated total: ``NAME=£AMOUNT:reason``.

    NAME is a snake_case name (it becomes a parameter's name); the amount is the stated total
    less the rows' sum it carries, in whole pence, negative if the rows add up to more ("-£50");
    the reason is the maintainer's words, required: a difference is never recorded unexplained.
    """
    from openfisca_grants.letters.annex import Adjustment

    accepts = 'NAME=£AMOUNT:reason, e.g. "rounding=£0.03:the letter rounds each row down"'
    if not isinstance(value, str):
        raise refuse(where, value, "is not text.", f"Expected {accepts}.")
    found = _ADJUSTMENT.fullmatch(value.strip())
    if found is None:
        raise refuse(where, value, "is not a named adjustment.", f"Expected {accepts}.")
    name, amount, reason = found.groups()
    reason = " ".join(reason.split())
    if not reason:
        raise refuse(where, value, "gives no reason: a difference is recorded with its reason.")
    if len(reason) > 500 or any(ord(c) < 32 for c in reason):
        raise refuse(where, value, "has a reason longer than 500 characters or with control characters.")
    pence = money_pence(amount, where, allow_negative=True)
    if pence == 0:
        raise refuse(where, value, "adjusts by £0.00: an adjustment records a difference.")
    return Adjustment(name, pence, reason)


def decode_utf8(data: bytes, where: str) -> str:
    """Bytes as UTF-8 text (a leading byte-order mark dropped); refuses any other encoding."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RulesCannotAnswer(
            f"{where}, line {line}: not UTF-8 text (byte {error.start + 1} is 0x{data[error.start]:02x}).",
            hint="Save the file as UTF-8.",
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RulesCannotAnswer(f"{where}, line {line}: contains a NUL character: not a text file.")
    return text.removeprefix("\ufeff")


def output_path(
    path, force: bool = False, suffixes: tuple[str, ...] = (), what: str = "file"
) -> pathlib.Path:
    """A path a command may write to: refuses, before any work, what it could not or should not write."""
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise RulesCannotAnswer(f"No path given for the {what}.")
    path = pathlib.Path(path)
    if suffixes and path.suffix.lower() not in suffixes:
        raise RulesCannotAnswer(
            f"Cannot write '{path}': a {what} is written as {' or '.join(suffixes)}.",
        )
    if len(path.name.encode()) > 255 or len(str(path).encode()) > 4000:
        raise RulesCannotAnswer(f"Cannot write '{str(path)[:80]}...': the name is too long.")
    folder = path.parent
    if not folder.is_dir():
        raise RulesCannotAnswer(
            f"Cannot write '{path}': the folder '{folder}' does not exist.",
            hint="Create it first, or write somewhere else.",
        )
    if path.is_dir():
        raise RulesCannotAnswer(f"Cannot write '{path}': it is a folder. Give a file name.")
    if path.exists() and not force:
        raise RulesCannotAnswer(
            f"'{path}' exists already: it is not overwritten.",
            hint="Choose another name, or add --force to replace it.",
        )
    if path.exists() and not os.access(path, os.W_OK) or not os.access(folder, os.W_OK):
        raise RulesCannotAnswer(f"Cannot write '{path}': permission denied.")
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def repository_root(path, where: str = "--root") -> pathlib.Path:
    """A clone of this repository to write a determination's home into: its folders must be there."""
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise RulesCannotAnswer(f"{where}: no folder given.")
    root = pathlib.Path(path)
    if not root.is_dir():
        raise RulesCannotAnswer(f"{where}: '{root}' is not a folder.")
    needed = [
        pathlib.Path("parameters", "determinations"),
        pathlib.Path("variables"),
        pathlib.Path("openfisca_grants", "sources"),
    ]
    missing = [str(folder) for folder in needed if not (root / folder).is_dir()]
    if missing:
        raise RulesCannotAnswer(
            f"{where}: '{root}' is not a clone of openfisca-grants (no {', '.join(missing)}).",
            hint="Run the command in the repository's root, or give it with --root.",
        )
    for folder in needed:
        if not os.access(root / folder, os.W_OK):
            raise RulesCannotAnswer(f"{where}: cannot write in '{root / folder}': permission denied.")
    return root


def write_file(path: pathlib.Path, write) -> None:
    """Run ``write(temporary_path)``, then move the file into place: nothing half-written is left.

    The temporary file is new, with a name no one could have chosen (``mkstemp``), in the same
    folder, so that the move replaces ``path`` at once and never anything else.
    """
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    except OSError as error:
        raise RulesCannotAnswer(f"Cannot write '{path}': {error.strerror or error}.") from None
    os.close(handle)
    temporary = pathlib.Path(name)
    try:
        write(temporary)
        os.chmod(temporary, 0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        os.replace(temporary, path)
    except OSError as error:
        raise RulesCannotAnswer(f"Cannot write '{path}': {error.strerror or error}.") from None
    finally:
        temporary.unlink(missing_ok=True)


# ---- YAML and JSON ---------------------------------------------------------------------------


_COMMENT = re.compile(r"(?:^|\s)#.*$", re.MULTILINE)
_QUOTED = re.compile(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"")
_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth(text: str) -> int:
    """How deep ``[`` and ``{`` nest outside quotes: checked before YAML sees the text, because
    YAML's scanner slows quadratically with that depth (and libyaml's composer crashes)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_QUOTED.sub("", _COMMENT.sub("", text))):
        depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def compose_yaml(text: str, where: str):
    """A YAML document's node tree: no aliases, no tags but YAML's own, nested at most MAX_DEPTH."""
    if _flow_depth(text) > MAX_DEPTH:
        raise RulesCannotAnswer(f"{where}: nested more than {MAX_DEPTH} deep.")
    try:
        root = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise RulesCannotAnswer(f"{where}{line}: not valid YAML: {problem}.") from None
    except RecursionError:
        raise RulesCannotAnswer(f"{where}: nested more than {MAX_DEPTH} deep.") from None
    if root is None:
        raise RulesCannotAnswer(f"{where}: the file is empty.")
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        line = f"{where}, line {node.start_mark.line + 1}"
        if depth > MAX_DEPTH:
            raise RulesCannotAnswer(f"{line}: nested more than {MAX_DEPTH} deep.")
        if node.tag and not node.tag.startswith("tag:yaml.org,2002:"):
            raise RulesCannotAnswer(
                f"{line}: the tag '{node.tag}' is not allowed here.",
                hint="Write the value plainly, without a tag (a word starting with '!').",
            )
        if isinstance(node, yaml.MappingNode):
            stack += [(child, depth + 1) for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(child, depth + 1) for child in node.value]
    return root


class _NoAliasLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing aliases and anchors (``*a``, ``&a``): a reform file has no
    use for them, and they are how a small file expands into a huge one."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors (&name) are not allowed", event.start_mark)
        return super().compose_node(parent, index)


def json_document(data: bytes, where: str = "the request body"):
    """Strict JSON: UTF-8, no NaN or Infinity, no key twice in an object, nested at most MAX_DEPTH."""
    text = decode_utf8(data, where) if isinstance(data, bytes) else data
    if not text.strip():
        raise RulesCannotAnswer(f"{where} is empty: expected a JSON document.")

    def no_constant(name):
        raise RulesCannotAnswer(f"{where}: {name} is not a number JSON allows; give finite numbers only.")

    def no_duplicates(pairs):
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise RulesCannotAnswer(
                    f"{where}: the key '{key[:60]}' appears twice in one object; only one can be meant."
                )
            seen[key] = value
        return seen

    try:
        document = json.loads(text, parse_constant=no_constant, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as error:
        raise RulesCannotAnswer(
            f"{where}: not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except RecursionError:
        raise RulesCannotAnswer(f"{where}: nested more than {MAX_DEPTH} deep.") from None
    except ValueError as error:  # an integer of thousands of digits, say
        raise RulesCannotAnswer(f"{where}: not valid JSON: {str(error)[:100]}.") from None
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RulesCannotAnswer(f"{where}: nested more than {MAX_DEPTH} deep.")
        if isinstance(value, dict):
            stack += [(child, depth + 1) for child in value.values()]
        elif isinstance(value, list):
            stack += [(child, depth + 1) for child in value]
        elif isinstance(value, float) and not math.isfinite(value):
            raise RulesCannotAnswer(f"{where}: a number is too large to be finite ({value}).")
    return document
