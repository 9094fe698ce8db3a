"""A wheel built from the repository carries the rules and passes the YAML cases on its own."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

from yaml_cases import load_cases

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_ships_parameters_variables_and_sources_and_passes_the_yaml_cases(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = (tmp_path / "dist").glob("openfisca_grants-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        text=True,
    )
    package = site / "openfisca_grants"
    for shipped in (
        "parameters/determinations/riia_31_7421/index.yaml",
        "parameters/determinations/innovation_programme_31_3010/annex_a.yaml",
        "variables/riia.py",
        "variables/innovation_programme.py",
        "register/data/dfe_las.csv",
        "sources/31_7421_riia_letter.txt",
    ):
        assert (package / shipped).is_file(), shipped

    cases = tmp_path / "cases"
    shutil.copytree(ROOT / "tests" / "determinations", cases)
    # Run from the wheel's files only: the installed package comes first on the path, and the
    # working directory is outside the repository.
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run(
        [sys.executable, "-c", "import openfisca_grants; print(openfisca_grants.PARAMETERS_DIR)"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert where.stdout.strip().startswith(str(site))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openfisca_core.scripts.openfisca_command",
            "test",
            str(cases),
            "--country-package",
            "openfisca_grants",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"{len(load_cases())} passed" in result.stdout
