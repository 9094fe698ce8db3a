"""Read and run the YAML cases in-process, as OpenFisca's runner does, for the meta-tests.

OpenFisca's runner is a pytest plugin; running it once per mutation would nest pytest sessions.
This evaluates a case the same way (SimulationBuilder, then each output compared as the runner
compares it, money in whole pence) for the shapes our cases use: an output variable mapped to a
value.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

import yaml
from openfisca_core.simulations import SimulationBuilder

from openfisca_grants.openfisca_adapter.yaml_runner import assert_output

CASES_DIR = pathlib.Path(__file__).parent / "determinations"


def case_files() -> list[pathlib.Path]:
    return sorted(CASES_DIR.rglob("*.yaml"))


def load_cases() -> list[tuple[pathlib.Path, dict]]:
    return [
        (path, case) for path in case_files() for case in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def run_case(system, case: dict) -> None:
    """Raise AssertionError if the case fails against ``system``."""
    builder = SimulationBuilder()
    builder.set_default_period(case["period"])
    simulation = builder.build_from_dict(system, case["input"])
    for variable, expected in case["output"].items():
        actual = simulation.calculate(variable, case["period"])
        assert_output(
            system.variables[variable], actual, expected, None, f"{case['name']}: {variable}: ", None
        )


def openfisca_test(*arguments: str, cwd=None) -> subprocess.CompletedProcess:
    """``openfisca test ARGUMENTS`` as a user runs it, in a process of its own, its output kept."""
    command = [sys.executable, "-m", "openfisca_core.scripts.openfisca_command", "test", *arguments]
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
