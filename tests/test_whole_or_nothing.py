"""An import, a roll-forward and a removal are whole or nothing, interrupted at every write.

Each command's files are written aside, checked, then moved in one by one
(``transaction._replace``). Here every command is interrupted at each of those moves in turn
(and at each file written aside, ``transaction._write_staged``), by an error and by Ctrl-C: the
tree is then exactly as before. A process killed mid-way (its undo never run) leaves a journal
that the next command undoes first. Run uninterrupted, the same command gives the complete
tree, whose rules reconcile and whose YAML cases pass.
"""

from __future__ import annotations

import json
import pathlib
import shutil

import pytest
from test_new_determination import COUNCILS_LETTER, NUMBER, grants, run_in, tree
from test_remove_determination import files

from openfisca_grants import transaction
from openfisca_grants.cli import main


class Interrupted(OSError):
    """A write that fails: a full disk, a file system gone read-only."""


def command(kind: str, tmp_path: pathlib.Path) -> tuple[list[str], callable]:
    """The command line of ``kind`` and a function preparing a tree for it (given the tree's root)."""
    letter = tmp_path / "letter.txt"
    letter.write_text(COUNCILS_LETTER, encoding="utf-8")

    def nothing(root):
        return None

    def imported(root):
        assert main(["new-determination", str(letter), "--root", str(root)]) == 0

    return {
        "import": (["new-determination", str(letter)], nothing),
        "roll-forward": (["roll-forward", "31/7421", "--to", "2025-26"], nothing),
        "removal": (["remove-determination", NUMBER], imported),
    }[kind]


def counted(monkeypatch, name: str) -> list[int]:
    """Count the calls of ``transaction.<name>``, letting each through."""
    calls = [0]
    real = getattr(transaction, name)

    def counting(*args):
        calls[0] += 1
        return real(*args)

    monkeypatch.setattr(transaction, name, counting)
    return calls


def failing_at(monkeypatch, name: str, k: int, error: BaseException) -> None:
    """Make the k-th call (from 0) of ``transaction.<name>`` raise ``error``."""
    calls = [0]
    real = getattr(transaction, name)

    def interrupted(*args):
        calls[0] += 1
        if calls[0] == k + 1:
            raise error
        return real(*args)

    monkeypatch.setattr(transaction, name, interrupted)


@pytest.fixture
def trees(tmp_path):
    """A fresh tree prepared for a command, and the complete tree the command makes of it."""

    def make(kind: str):
        argv, prepare = command(kind, tmp_path)
        root = tree(tmp_path / kind / "interrupted")
        prepare(root)
        complete = tree(tmp_path / kind / "complete")
        prepare(complete)
        return argv, root, complete

    return make


@pytest.mark.parametrize("kind", ["import", "roll-forward", "removal"])
def test_interrupted_at_every_write_the_tree_is_as_before_then_whole(kind, trees, monkeypatch, capsys):
    argv, root, complete = trees(kind)
    with monkeypatch.context() as patch:
        moves, staged = counted(patch, "_replace"), counted(patch, "_write_staged")
        assert main([*argv, "--root", str(complete)]) == 0
    assert moves[0] >= 3, "a command writes several files"
    assert staged[0] >= 1 or kind == "removal"
    before = files(root)
    interruptions = [("_replace", k) for k in range(moves[0])] + [
        ("_write_staged", k) for k in range(staged[0])
    ]
    for name, k in interruptions:
        for error, code in ((Interrupted("disk full"), 2), (KeyboardInterrupt(), 130)):
            with monkeypatch.context() as patch:
                failing_at(patch, name, k, error)
                capsys.readouterr()
                assert main([*argv, "--root", str(root)]) == code, (name, k)
            err = capsys.readouterr().err
            if code == 2:
                assert "nothing was" in err and "Traceback" not in err, err
            assert files(root) == before, f"interrupted at {name} call {k + 1} by {error!r}"
    # Uninterrupted, the same command makes the complete tree.
    assert main([*argv, "--root", str(root)]) == 0
    assert files(root) == files(complete)


@pytest.mark.parametrize("kind", ["import", "roll-forward", "removal"])
def test_a_process_killed_at_any_write_is_undone_by_the_next_command(kind, trees, monkeypatch, capsys):
    """Killed, the process runs no undo: the journal it leaves is undone before anything else."""
    argv, root, complete = trees(kind)
    with monkeypatch.context() as patch:
        moves = counted(patch, "_replace")
        assert main([*argv, "--root", str(complete)]) == 0
    before = files(root)
    for k in range(moves[0]):
        with monkeypatch.context() as patch:
            failing_at(patch, "_replace", k, Interrupted("killed"))
            patch.setattr(transaction, "_undo", lambda root, folder: None)
            main([*argv, "--root", str(root)])
        assert (root / transaction.FOLDER).exists()
        if k:
            assert files(root) != before  # half-made, as a killed process leaves it
        assert transaction.recover(root) is True
        assert files(root) == before, f"killed at move {k + 1}"
    # Killed at the last move, then run again: the next command undoes, then completes.
    with monkeypatch.context() as patch:
        failing_at(patch, "_replace", moves[0] - 1, Interrupted("killed"))
        patch.setattr(transaction, "_undo", lambda root, folder: None)
        main([*argv, "--root", str(root)])
    capsys.readouterr()
    assert main([*argv, "--root", str(root)]) == 0
    assert files(root) == files(complete)


def test_the_suite_passes_either_way_in_the_scratch_tree(tmp_path, monkeypatch, capsys):
    """Interrupted, the tree's rules reconcile as before; complete, they reconcile with the new
    determination and its YAML cases pass."""
    argv, _ = command("import", tmp_path)
    root = tree(tmp_path / "tree")
    with monkeypatch.context() as patch:
        failing_at(patch, "_replace", 4, Interrupted("disk full"))
        assert main([*argv, "--root", str(root)]) == 2
    interrupted = grants(root, "reconcile", "--format", "json")
    assert interrupted.returncode == 0, interrupted.stderr
    assert NUMBER not in [d["determination"] for d in json.loads(interrupted.stdout)["determinations"]]
    assert main([*argv, "--root", str(root)]) == 0
    shutil.rmtree(root.parent / "site")  # the tree's package is assembled again, with the new home
    complete = grants(root, "reconcile", "--format", "json")
    assert complete.returncode == 0, complete.stderr
    found = {d["determination"]: d for d in json.loads(complete.stdout)["determinations"]}
    assert found[NUMBER]["reconciled"] is True
    cases = run_in(
        root, "-m", "openfisca_core.scripts.openfisca_command", "test",
        str(root / "tests" / "determinations" / NUMBER.replace("/", "_")), "-c", "openfisca_grants",
    )  # fmt: skip
    assert cases.returncode == 0, cases.stdout[-2000:]
    assert "7 passed" in cases.stdout


def test_a_file_that_would_not_read_back_is_refused_before_anything_moves(tmp_path, capsys):
    root = tree(tmp_path)
    before = files(root)
    with pytest.raises(Exception, match="is not valid yaml"):
        transaction.apply(root, {pathlib.Path("parameters", "determinations", "x", "index.yaml"): "a: [\n"})
    with pytest.raises(Exception, match="is not valid py"):
        transaction.apply(root, {pathlib.Path("variables", "x.py"): "def (\n"})
    assert files(root) == before


def test_a_change_another_running_command_is_making_is_left_alone(tmp_path, capsys):
    """A journal whose writer still runs is not undone under it: the second command is refused."""
    import subprocess
    import sys

    root = tree(tmp_path)
    folder = root / transaction.FOLDER
    folder.mkdir()
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (folder / "pid").write_text(str(writer.pid), encoding="utf-8")
        (folder / "journal").write_text('{"step": "placed", "path": "variables/x.py"}\n', encoding="utf-8")
        (root / "variables" / "x.py").write_text("# being written\n", encoding="utf-8")
        assert main(["roll-forward", "31/7421", "--to", "2025-26", "--root", str(root)]) == 2
        assert f"Another command (process {writer.pid}) is writing under" in capsys.readouterr().err
        assert (root / "variables" / "x.py").exists() and folder.exists()
    finally:
        writer.kill()
        writer.wait()
    # Once it has gone, its half-made change is undone before the next command writes.
    assert main(["roll-forward", "31/7421", "--to", "2025-26", "--root", str(root)]) == 0
    assert not (root / "variables" / "x.py").exists() and not folder.exists()


def test_a_description_that_would_not_read_as_one_is_refused_before_anything_moves(
    tmp_path, monkeypatch, capsys
):
    from openfisca_grants import scaffold

    root = tree(tmp_path)
    before = files(root)
    real = scaffold._draft_index
    monkeypatch.setattr(scaffold, "_draft_index", lambda *args: real(*args).replace("paid_per:", "paid_by:"))
    assert main(["roll-forward", "31/7421", "--to", "2025-26", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert "index.yaml as it would be written does not describe a determination" in err
    assert "nothing was written" in err
    assert files(root) == before
