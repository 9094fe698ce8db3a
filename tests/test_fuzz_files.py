"""Fuzz: reform files and authority CSV files as people and programs get them wrong.

A reform file is refused naming the file (and the line, where there is one), or read and then
compared with the figures the formula gives. A CSV is refused naming the file, or read with
exactly one finite value for every authority, each the value its line says: nothing dropped,
nothing silently taken from the wrong column or line.
"""

from __future__ import annotations

import csv
import functools
import math
import pathlib
import tempfile

from catalogue_helpers import determination_of, of_determination
from fuzz import CASES, cases, nasty_text
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_reform_values import LEAVES, PATHS, assert_right_figures, kind_of, lenient_number, year_of

from openfisca_grants import reforms
from openfisca_grants.authority_data import read_authority_csv
from openfisca_grants.compare import compare
from openfisca_grants.errors import RulesCannotAnswer

WORK = pathlib.Path(tempfile.mkdtemp(prefix="openfisca-grants-fuzz-"))
EXAMPLE_CSV = (
    pathlib.Path(__file__).parent.parent / "examples" / "data" / "illustrative_need_index_2024_25.csv"
)
GOOD_CSV = EXAMPLE_CSV.read_text(encoding="utf-8")
GOOD_VALUES = read_authority_csv(EXAMPLE_CSV, "need_index", "2024-25")

KEYS = ["name", "description", "changes", "parameter", "value", "year", "from", "valeu", "nmae", ""]
YEAR_TEXT = ["2024-25", "2016-17", "2025-26", "2024/25", "", "x", "-2024-25", "0000-01", "2024-04-01", "~"]
FROM_TEXT = ["2024-04-01", "2024-05-01", "2016-04-01", "2024-13-01", "x", "", "1999-04-01"]


def _line(key: str, value: str) -> str:
    return f"{key}: {value}" if value != "" else f"{key}:"


@functools.cache
def _valid_text(kind: str):
    if kind == "money":
        return st.integers(min_value=0, max_value=10**9).map(str)
    if kind == "rate":
        return st.integers(min_value=0, max_value=100).map(lambda p: f"{p}%")
    if kind == "count":
        return st.integers(min_value=0, max_value=10_000).map(str)
    return st.sampled_from(["London", "East Sussex County Council"])


# Strategies are built once: building them at each draw costs more than the case they make.
NAME = st.sampled_from(["London at 20%", "", "x"]) | nasty_text()
DESCRIPTION = st.sampled_from(["why", ""]) | nasty_text()
PATH = st.sampled_from(PATHS) | st.sampled_from(["riia_31_7421.nope", "", "determinations"])
YEAR = st.sampled_from(YEAR_TEXT)
FROM = st.sampled_from(FROM_TEXT)
KEY = st.sampled_from(KEYS)
INSERTED = st.sampled_from(["*a", "&a ", "!foo ", "\t", "[", "{", "'", '"', ": ", "- "])
DEPTH = st.sampled_from([30, 33, 200, 2000])
TENTH, FIFTH, QUARTER, COIN = st.integers(0, 9), st.integers(0, 4), st.integers(0, 3), st.booleans()
CHANGES, MUTATION = st.integers(0, 3), st.integers(0, 12)
DAMAGE, CSV_MUTATION = st.integers(0, 15), st.integers(0, 11)
STRAY_BYTE = st.sampled_from([b"\xff", b"\xe9", b"\x80\x80", b"\x00", b"\xc3"])
DATA_LINE = st.sampled_from([i for i, line in enumerate(GOOD_CSV.splitlines()) if line.startswith("E")])
WHICH_QUOTE, LINE_END = st.sampled_from([1, -1]), st.sampled_from(["\n", "", "\r\n"])
BLANK_OR_COMMENT = st.sampled_from(["", "# a comment", "   "])
ODD_CODE = st.sampled_from(["E10000009", "E99999999", "", "e06000001", " "])


@st.composite
def reform_file_text(draw) -> str:
    lines = []
    if draw(TENTH):
        lines.append(_line("name", draw(NAME)))
    if draw(COIN):
        lines.append(_line("description", draw(DESCRIPTION)))
    if draw(TENTH):
        lines.append("changes:")
        for _ in range(draw(CHANGES)):
            path = draw(PATH)
            use_valid = path in LEAVES and draw(COIN)
            value = draw(_valid_text(kind_of(path)) if use_valid else nasty_text())
            item = [f"  - parameter: {path}", f"    {_line('value', value)}"]
            if draw(FIFTH):
                item.append(f"    year: {year_of(path) if draw(QUARTER) else draw(YEAR)}")
            elif draw(COIN):
                item.append(f"    from: {draw(FROM)}")
            if not draw(TENTH):
                item.append(f"    {draw(KEY)}: {draw(nasty_text())}")
            lines += item
    text = "\n".join(lines) + "\n"
    mutation = draw(MUTATION)
    if mutation == 0:
        text = "\ufeff" + text
    elif mutation == 1:
        position = draw(st.integers(0, len(text)))
        text = text[:position] + draw(INSERTED) + text[position:]
    elif mutation == 2:
        depth = draw(DEPTH)
        text += "deep: " + "[" * depth + "]" * depth + "\n"
    return text


def _raw_bytes(draw, text: str) -> bytes:
    """The text as UTF-8, sometimes damaged: a stray byte, UTF-16, or cut short."""
    data = text.encode("utf-8")
    choice = draw(DAMAGE)
    if choice == 0:
        position = draw(st.integers(0, len(data)))
        data = data[:position] + draw(STRAY_BYTE) + data[position:]
    elif choice == 1:
        data = text.encode("utf-16")
    elif choice == 2:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@cases(1300)
@given(st.data())
def test_reform_files(data):
    CASES["reform files"] += 1
    text = data.draw(reform_file_text())
    path = WORK / "reform.yaml"
    path.write_bytes(_raw_bytes(data.draw, text))
    try:
        spec = reforms.load(path)
    except RulesCannotAnswer as error:
        assert str(error).startswith((str(path), f"No reform file at '{path}'")), str(error)
        return
    assert spec.name.strip() and spec.changes
    for change in spec.changes:
        assert isinstance(change.value, (int, float, str)) and not isinstance(change.value, bool)
        if isinstance(change.value, float):
            assert math.isfinite(change.value)
    years = {change.year.label for change in spec.changes}
    for year in years:
        try:
            comparisons = [c.as_dict() for c in compare(spec, year)]
        except RulesCannotAnswer as error:  # a sum beyond the money limit, said so
            assert "not an amount this tool reports" in str(error)
            continue
        if len(spec.changes) == 1:
            (change,) = spec.changes
            comparison = of_determination(comparisons, determination_of(change.path))
            kind = kind_of(change.path)
            if kind != "text":
                assert_right_figures(change.path, lenient_number(kind, change.value), comparison)


def _csv_lines() -> list[str]:
    return GOOD_CSV.splitlines()


@st.composite
def csv_text(draw) -> tuple[str, dict[str, float] | None, bool]:
    """A CSV text; the values it must be read as, where it is valid; whether it must be read."""
    lines = _csv_lines()
    expected = dict(GOOD_VALUES)
    kind = draw(CSV_MUTATION)
    must_accept = kind in (7, 9, 11)
    index = draw(DATA_LINE)
    code, name, value = next(csv.reader([lines[index]]))
    name = f'"{name}"'
    if kind == 0:  # a new value: a number it must be read as, or nonsense it must be refused for
        new = draw(nasty_text().filter(lambda t: "," not in t and "\n" not in t and '"' not in t))
        lines[index] = f"{code},{name},{new}"
        try:
            number = float(new)
            expected[code] = number if math.isfinite(number) else None
        except ValueError:
            expected[code] = None
        if expected[code] is None:
            expected = None
    elif kind == 1:
        lines.insert(index, lines[index])  # a duplicate
        expected = None
    elif kind == 2:
        del lines[index]  # a missing authority
        expected = None
    elif kind == 3:
        lines[index] += ",extra"
        expected = None
    elif kind == 4:
        # An unbalanced quote: refused where it would join lines; read through where it is inside
        # a field no one asks for (the name), leaving every value as it was.
        lines[index] = lines[index].replace('"', "", draw(WHICH_QUOTE))
    elif kind == 5:
        lines[index] = lines[index].replace(name, name[:-1] + '\n"', 1)  # a field over two lines
        expected = None
    elif kind == 6:
        lines[2] = lines[2] + ",need_index"  # the header names a column twice
        expected = None
    elif kind == 7:
        lines.insert(draw(st.integers(0, len(lines))), draw(BLANK_OR_COMMENT))
    elif kind == 8:
        lines[index] = lines[index].replace(code, draw(ODD_CODE))
        expected = None
    elif kind == 9:
        lines[index] = f" {code} ,{name}, {value} "  # spaces around fields are read through
    elif kind == 10:
        lines[2] = "gss_code,name,need"  # no such column
        expected = None
    text = "\n".join(lines) + draw(LINE_END)
    if draw(TENTH) == 0:
        text = "\ufeff" + text
    return text, expected, must_accept


@cases(1300)
@given(csv_text(), st.data())
def test_authority_csv_files(generated, data):
    CASES["authority CSV files"] += 1
    text, expected, must_accept = generated
    path = WORK / "data.csv"
    raw = _raw_bytes(data.draw, text)
    damaged = raw != text.encode("utf-8")
    path.write_bytes(raw)
    try:
        values = read_authority_csv(path, "need_index", "2024-25")
    except RulesCannotAnswer as error:
        assert str(error).startswith((str(path), f"No data file at '{path}'")), str(error)
        assert damaged or not must_accept, f"a good CSV was refused: {error}"
        return
    assert set(values) == set(GOOD_VALUES), "every authority, and only those"
    assert all(math.isfinite(value) for value in values.values())
    if not damaged:
        assert expected is not None, "a CSV that should have been refused was read"
        assert values == expected
