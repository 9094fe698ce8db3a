"""Fuzz: whole command lines and Python API calls, built from the words people type and the types notebooks pass.

A command exits 0 (or 1 for an unreconciled figure) with its output, or 2 with one line saying
what was wrong: never a traceback, an internal error, a NaN, or a figure for a question the
rules cannot answer. A Python API call returns its answer or raises ``RulesCannotAnswer``.
"""

from __future__ import annotations

import pathlib
import tempfile

from fuzz import CASES, assert_clear_cli_outcome, cases, nasty_python_value, nasty_text, run_cli, strict_json
from hypothesis import given
from hypothesis import strategies as st

from openfisca_grants import api
from openfisca_grants.errors import RulesCannotAnswer

WORK = pathlib.Path(tempfile.mkdtemp(prefix="openfisca-grants-fuzz-"))
(WORK / "exists.png").write_bytes(b"keep me")
(WORK / "folder.png").mkdir()
REFORM = pathlib.Path(__file__).parent.parent / "examples" / "london_weighting_20.yaml"
WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"

COMMANDS = ["reconcile", "register", "resolve", "parameters", "compare", "sweep", "explain", "nope", ""]
OPTIONS = [
    "--year", "--on", "--format", "--region", "--authority", "--list", "--set", "--reform", "--chart",
    "--from", "--to", "--steps", "--budget-neutral", "--force", "--help", "-h", "--", "-",
]  # fmt: skip
WORDS = [
    "2024-25", "2016-17", "2023-24", "-2024-25", "", " ", "2024", "0000-01", "9999-00", "2005-04-01",
    "2024-04-01", "2017-03-22", "-1", "table", "csv", "json", "xml", "South West", "London", "E12000009",
    "Nowhere", "London Borough of Southwark", "E09000028", "Wiltshire", "Dorset County Council",
    f"{WEIGHTING}=20%", f"{WEIGHTING}=0.2", f"{WEIGHTING}=abc", f"{WEIGHTING}=-0.1", f"{WEIGHTING}=",
    "riia_31_7421.lead_bodies.london=Camden", "nope=1", WEIGHTING, "riia_31_7421.lead_bodies.london",
    str(REFORM), str(WORK / "missing.yaml"), str(WORK / "exists.png"), str(WORK / "folder.png"),
    str(WORK / "no" / "such" / "folder.png"), str(WORK / "chart.txt"), "/proc/chart.png",
    "0", "0.3", "-0.1", "3", "0", "1e308", "nan", "-inf", "999999999999999999999", "1000001",
]  # fmt: skip
WORD = st.sampled_from(WORDS) | nasty_text()
TOKEN = st.sampled_from(OPTIONS) | WORD | st.sampled_from(COMMANDS)
COMMAND = st.sampled_from(COMMANDS)


PAIRED_OPTION = st.sampled_from([option for option in OPTIONS if option.startswith("--") and option != "--"])


THIRD, UP_TO_SEVEN, UP_TO_FIVE, COIN = st.integers(0, 2), st.integers(0, 7), st.integers(0, 5), st.booleans()


@st.composite
def argv(draw) -> list[str]:
    """Words in any order, or (more often) each option followed by a value, as people type them."""
    words = [draw(COMMAND)]
    if draw(THIRD) == 0:
        words += [draw(TOKEN) for _ in range(draw(UP_TO_SEVEN))]
        return words
    if words[0] == "sweep" and draw(COIN):
        words.append(WEIGHTING)
    for _ in range(draw(UP_TO_FIVE)):
        words += [draw(PAIRED_OPTION), draw(WORD)]
    return words


@cases(1400)
@given(argv())
def test_command_lines(words):
    CASES["command lines"] += 1
    status, out, err = run_cli(words)
    assert_clear_cli_outcome(status, out, err, words)
    assert (WORK / "exists.png").read_bytes() == b"keep me" or "--force" in words, "a file was overwritten"
    if status == 0 and "--format" in words and "json" in words and out.strip().startswith(("{", "[")):
        strict_json(out)


ARGUMENT = nasty_python_value() | st.sampled_from(
    ["2024-25", "2016-17", "South West", "London Borough of Southwark", WEIGHTING, str(REFORM)]
)
FUNCTIONS = st.sampled_from(
    ["allocations", "entitlement", "compare", "sweep", "explain", "parameters", "reconcile"]
)


@cases(1300)
@given(FUNCTIONS, st.lists(ARGUMENT, max_size=4))
def test_python_api_calls(function, arguments):
    CASES["Python API"] += 1
    call = getattr(api, function)
    if function == "sweep" and len(arguments) >= 2 and isinstance(arguments[1], (list, tuple)):
        arguments[1] = arguments[1][:50]  # a sweep's values: a few, whatever they are
    try:
        result = call(*arguments)
    except RulesCannotAnswer as error:
        assert str(error).strip()
        return
    except TypeError as error:
        # Python's own refusal of a call with the wrong number of arguments, before any code runs.
        assert "argument" in str(error), (function, arguments, error)
        return
    assert result is not None
    if function == "allocations":
        assert all(entry["pence"] > 0 for entry in result.values()), "a silent 0"
