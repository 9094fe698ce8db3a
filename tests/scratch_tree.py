"""A scratch copy of the repository's rules, and its own package run in a fresh interpreter.

A test that must change the rules or the letters (a determination added, rolled forward, or a
figure moved by 1p) does so in such a copy, never in the repository, and runs the copy's own
command line in a subprocess, as a maintainer's clone would run it.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
LETTER_3010 = ROOT / "openfisca_grants" / "sources" / "31_3010_innovation_programme_letter.txt"
LETTER_7421 = ROOT / "openfisca_grants" / "sources" / "31_7421_riia_letter.txt"


def tree(tmp_path: pathlib.Path, without: str | None = None) -> pathlib.Path:
    """A copy of the repository's rules under tmp_path/tree, less one determination's home."""
    root = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "parameters", "variables")
    shutil.copytree(ROOT / "openfisca_grants", root / "openfisca_grants", ignore=ignore)
    shutil.copytree(ROOT / "parameters", root / "parameters", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "variables", root / "variables", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests" / "determinations", root / "tests" / "determinations")
    # Only the two determinations encoded by hand: a clone may hold others (or drafts) a maintainer
    # has added, which would change what these tests expect.
    for index in (root / "parameters" / "determinations").glob("*/index.yaml"):
        metadata = yaml.safe_load(index.read_text(encoding="utf-8"))["metadata"]
        if str(metadata["determination"]) in ("31/3010", "31/7421"):
            continue
        shutil.rmtree(index.parent)
        if metadata.get("status") != "draft":  # a draft's variables are those of its source
            (root / "variables" / metadata["variables_module"]).unlink(missing_ok=True)
            shutil.rmtree(
                root / "tests" / "determinations" / str(metadata["determination"]).replace("/", "_")
            )
            (root / "openfisca_grants" / "sources" / metadata["letter_file"]).unlink(missing_ok=True)
    if without == "31/3010":
        shutil.rmtree(root / "parameters" / "determinations" / "innovation_programme_31_3010")
        (root / "variables" / "innovation_programme.py").unlink()
        shutil.rmtree(root / "tests" / "determinations" / "31_3010")
        (root / "openfisca_grants" / "sources" / LETTER_3010.name).unlink()
    if without == "31/7421":
        shutil.rmtree(root / "parameters" / "determinations" / "riia_31_7421")
        (root / "variables" / "riia.py").unlink()
        shutil.rmtree(root / "tests" / "determinations" / "31_7421")
        (root / "openfisca_grants" / "sources" / LETTER_7421.name).unlink()
    return root


def run_in(root: pathlib.Path, *argv: str) -> subprocess.CompletedProcess:
    """A command of the tree's own package, in a fresh interpreter: its rules, not the installed ones.

    The package is assembled beside the tree (its parameters, variables, letters and register
    data linked from the tree) and run from there, so that nothing else is found first.
    """
    site = root.parent / "site" / "openfisca_grants"
    if not site.exists():
        shutil.copytree(root / "openfisca_grants", site, symlinks=True)
        (site / "parameters").symlink_to(root / "parameters")
        (site / "variables").symlink_to(root / "variables")
        shutil.rmtree(site / "sources")
        (site / "sources").symlink_to(root / "openfisca_grants" / "sources")
        shutil.rmtree(site / "register" / "data")
        (site / "register" / "data").symlink_to(root / "openfisca_grants" / "register" / "data")
    env = {**os.environ, "PYTHONPATH": str(site.parent)}
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, cwd=site.parent, env=env, check=False
    )


def grants(root: pathlib.Path, *argv: str) -> subprocess.CompletedProcess:
    return run_in(root, "-c", "import sys; from openfisca_grants.cli import main; sys.exit(main())", *argv)


def snapshot(root: pathlib.Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
