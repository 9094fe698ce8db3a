"""The documentation: the site builds with warnings as errors, and every guide runs as written.

A guide's ``.. code-block::`` with a ``:caption:`` is a file the reader writes (it is written to
a scratch folder with ``examples/`` beside it); a ``console`` block's ``$`` lines are commands,
expected to exit 0 unless the line ends ``# exits N``; uncaptioned ``python`` blocks run in
order, in one namespace per page.
"""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from openfisca_grants.cli import main

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted((DOCS / "guides").glob("*.rst")) + sorted((DOCS / "design").glob("*.rst"))
BLOCK = re.compile(r"^\.\. code-block:: (\w+)\n((?:   :\w+:.*\n)*)\n((?:(?:   .*)?\n)+)", re.M)


def blocks(page: pathlib.Path) -> list[tuple[str, str | None, str]]:
    found = []
    for language, options, body in BLOCK.findall(page.read_text(encoding="utf-8")):
        caption = re.search(r":caption: (.+)", options)
        code = "\n".join(line[3:] for line in body.splitlines()).strip() + "\n"
        found.append((language, caption.group(1).strip() if caption else None, code))
    return found


def test_the_site_builds_with_warnings_as_errors(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    determination = (tmp_path / "generated" / "riia_31_7421.html").read_text(encoding="utf-8")
    assert "£260,600.00" in determination and "south_west_unexplained_annex_a_difference" in determination
    # From an Annex A row to its rule, and back.
    assert (
        'href="riia_31_7421_parameters.html#param-determinations-riia-31-7421-annex-a-adjustment-south-west"'
        in determination
    )
    parameters = (tmp_path / "generated" / "riia_31_7421_parameters.html").read_text(encoding="utf-8")
    assert 'href="riia_31_7421.html#annex-31-7421-row-7"' in parameters
    assert (tmp_path / "_images" / "london_weighting_20.png").is_file()
    # Every variable and every parameter has its reference entry.
    from openfisca_grants.reforms import leaves
    from openfisca_grants.simulation import tax_benefit_system

    site = "".join(page.read_text(encoding="utf-8") for page in (tmp_path / "generated").glob("*.html"))
    for name in tax_benefit_system().variables:
        assert f'id="var-{name.replace("_", "-")}"' in site, name
    for path in leaves(tax_benefit_system()):
        assert f'id="param-{path.replace(".", "-").replace("_", "-").lower()}"' in site, path


def test_every_page_is_in_the_table_of_contents():
    index = (DOCS / "index.rst").read_text(encoding="utf-8")
    for page in PAGES:
        assert str(page.relative_to(DOCS).with_suffix("")) in index


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_page_runs_as_written(page, tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    namespace: dict = {}
    for _, caption, code in blocks(page):
        if caption:
            (tmp_path / caption).write_text(code, encoding="utf-8")
    for language, caption, code in blocks(page):
        if caption:
            continue
        if language == "python":
            exec(compile(code, f"{page.name} python block", "exec"), namespace)
        elif language == "console":
            for line in code.splitlines():
                if line.startswith("$ "):
                    run(line[2:], tmp_path, capsys)


def run(line: str, where: pathlib.Path, capsys) -> None:
    command, _, comment = line.partition("  #")
    expected = int(re.search(r"exits (\d+)", comment).group(1)) if "exits" in comment else 0
    words = shlex.split(command)
    if words[0] == "openfisca-grants":
        status = main(words[1:])
        output = capsys.readouterr()
        assert status == expected, f"{line}\n{output.err}"
    else:
        result = subprocess.run(
            [sys.executable, "-m", "openfisca_core.scripts.openfisca_command", *words[1:]],
            capture_output=True,
            text=True,
            cwd=where,
            env=os.environ,
            check=False,
        )
        assert words[0] == "openfisca"
        assert result.returncode == expected, f"{line}\n{result.stdout[-3000:]}"
