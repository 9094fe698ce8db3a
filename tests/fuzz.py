"""Shared pieces of the fuzz corpus (tests/test_fuzz_*.py): case counts, the contract, nasty values.

Every generated input must get a clear refusal (exit status 2 and one line naming the input, a
``RulesCannotAnswer``, or an HTTP 4xx with a JSON reason) or the right answer: never a
traceback, a 5xx, a NaN or an overflowed figure, a silent 0 or dropped data.

CI runs a fixed number of cases per surface with a fixed seed (``derandomize``). For a longer
local run with fresh random cases: ``FUZZ_PROFILE=long .venv/bin/python -m pytest tests/test_fuzz_*.py``
(ten times as many).
"""

from __future__ import annotations

import collections
import contextlib
import decimal
import functools
import io
import json
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from openfisca_grants.cli import main

LONG = os.environ.get("FUZZ_PROFILE") == "long"

# Cases actually run in this session, by surface (printed at the end of the run by conftest).
CASES: collections.Counter = collections.Counter()


def cases(count: int):
    """Hypothesis settings for ``count`` cases (ten times as many, freshly random, when long)."""
    return settings(
        max_examples=count * 10 if LONG else count,
        derandomize=not LONG,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


# Text a careless or hostile user types where a number, a year or a name belongs.
NASTY = [
    "",
    " ",
    "\t",
    "nan",
    ".nan",
    "NaN",
    "-nan",
    "inf",
    "-inf",
    ".inf",
    "-.inf",
    "Infinity",
    "+Infinity",
    "1e308",
    "-1e308",
    "1e999",
    "-1e999",
    "1e-999",
    "1e999999",
    "99999999999999999999999",
    "9" * 400,
    "0x10",
    "0o7",
    "0b1",
    "1_000",
    "1,5",
    "1.2.3",
    "--1",
    "+-1",
    "1e",
    "e1",
    ".",
    "-",
    "+",
    "%",
    "£",
    "*a",
    "&a x",
    "%20",
    "=",
    "==",
    "!!python/object/apply:os.system [x]",
    "!foo 20%",
    "!!str 1",
    "[0.2]",
    "{a: 1}",
    "~",
    "null",
    "None",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "2024-04-01",
    "20%",
    "2000%",
    "-5%",
    "100%",
    "0%",
    "20 %",
    "%20%",
    "0.2%",
    "1e2%",
    "20%%",
    "0.2",
    "-0.1",
    "0",
    "-0",
    "1",
    "0.14",
    "3.14159",
    "1/2",
    "½",
    "٣",
    "٣٠%",
    "∞",
    "\x00",
    "\ufeff0.2",
    "0.2\n",
    " 0.2 ",
    "1e3",
    "+1",
    "80000",
    "£80,000",
    "£80,000.50",
    "80,000",
    "80000.005",
    "80000.001",
    "-80000",
    "£-5",
    "-£5",
    "1,000,000,000,000.01",
    "1000000000000",
    "1000000000000.01",
    "é",
    "E06000054",
    "London",
    "South East",
    "East Sussex County Council",
    "Nowhere Council",
    "'quoted'",
    '"double"',
    "a" * 5000,
    "../../etc/passwd",
    "$(rm -rf /)",
    "; DROP TABLE",
    "\u202e",
]


@functools.cache
def nasty_text():
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=30),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats(min_value=0, max_value=300).map(lambda x: f"{x:g}%"),
    )


@functools.cache
def nasty_python_value():
    """A value of any Python type, as a notebook user might pass one."""
    return st.one_of(
        nasty_text(),
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
        st.dates(),
    )


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """The command line in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit_:  # argparse's own usage errors: status 2, with a message
            status = exit_.code if isinstance(exit_.code, int) else 2
    return status, out.getvalue(), err.getvalue()


def assert_clear_cli_outcome(status: int, out: str, err: str, argv) -> None:
    """Exit 0 (or 1: published figures differ) with output, or 2 with a one-line reason."""
    assert "Traceback" not in err and "Traceback" not in out, (argv, err[-2000:])
    assert "internal error" not in err, (argv, err)
    assert status in (0, 1, 2), (argv, status, err)
    if status == 2:
        message = err.strip()
        assert message, (argv, "exit 2 without a reason")
        assert message.startswith(("openfisca-grants: ", "usage: ")), (argv, message)
    assert "nan" not in _figures(out), (argv, out[:500])


def _figures(text: str) -> str:
    """The words of the output that look like figures, lower-cased (to find 'nan' or 'inf')."""
    return " ".join(word.lower() for word in text.split() if word[:1] in "£-+0123456789")


def strict_json(text: str):
    """JSON that a strict reader accepts: no NaN or Infinity."""

    def refuse(name):
        raise AssertionError(f"{name} in a JSON answer")

    return json.loads(text, parse_constant=refuse)


def pence(amount: str) -> int:
    """Exact pence of a decimal string such as '260600.00'."""
    exact = decimal.Decimal(amount)
    assert exact == exact.quantize(decimal.Decimal("0.01")), amount
    return int(exact * 100)
