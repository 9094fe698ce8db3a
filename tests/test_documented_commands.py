"""Every openfisca-grants command the README and examples/README show runs as written."""

from __future__ import annotations

import pathlib
import re
import shlex

import pytest

from openfisca_grants.cli import main

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", ROOT / "examples" / "README.md"]


def documented_commands() -> list[tuple[str, str]]:
    found = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8").replace("\\\n", " ")
        for block in re.findall(r"```bash\n(.*?)```", text, re.S):
            for line in block.splitlines():
                line = line.split("  #")[0].strip()
                if line.startswith(".venv/bin/openfisca-grants "):
                    found.append((document.name, line))
    return found


COMMANDS = documented_commands()


def test_the_documents_show_commands():
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize(("document", "command"), COMMANDS)
def test_documented_command_runs(document, command, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # charts a command draws land here
    argv = [str(ROOT / word) if word.startswith("examples/") else word for word in shlex.split(command)[1:]]
    assert main(argv) == 0, capsys.readouterr().err
