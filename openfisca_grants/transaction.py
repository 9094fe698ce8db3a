"""Whole or nothing: several files of a repository written, replaced or removed as one change.

An import, a roll-forward and a removal each change several files (the letter, a
determination's description and parameters, its variables, its cases, the register's names,
the sources table). ``apply(root, writes, deletes)`` makes such a change whole or nothing:

1. every new text is written aside, in ``.openfisca-grants-transaction/`` under ``root`` (the
   same file system, so that moving a file in is one rename), and checked there (YAML parses,
   Python compiles);
2. each file is then moved in (a file it replaces, or removes, moved aside first), every step
   noted in a journal before it is taken;
3. if any step fails, the journal is undone in reverse, so that the tree is exactly as before.

If the process dies mid-way (power, kill -9), the journal stays; the next command that writes
(``recover``) undoes it before doing anything else, unless the process that wrote it is still
running (two commands writing one tree at once: the second is refused). Nothing is left
half-made past the next command.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil

import yaml

from openfisca_grants.errors import RulesCannotAnswer

FOLDER = ".openfisca-grants-transaction"


def _write_staged(path: pathlib.Path, text: str | bytes) -> None:
    """Write one staged file (a function of its own, so that tests can interrupt it): text as
    UTF-8, bytes (an original PDF, page or spreadsheet, kept as the legal record) as they are."""
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _replace(source: pathlib.Path, target: pathlib.Path) -> None:
    """Move one file into place (a function of its own, so that tests can interrupt each move)."""
    os.replace(source, target)


def apply(root, writes: dict, deletes=(), remove_dirs=(), check=None) -> None:
    """Write ``writes`` ({relative path: text}) and remove ``deletes`` (relative paths of files),
    then the folders ``remove_dirs`` left empty, under ``root``: all of it, or none of it.

    ``check(staged)``, if given, is called with the folder the new files are staged in (laid out
    as under ``root``) before any is moved in; it raises to refuse the change."""
    root = pathlib.Path(root)
    recover(root)
    folder = root / FOLDER
    staged, aside = folder / "staged", folder / "aside"
    try:
        folder.mkdir()
    except FileExistsError:  # pragma: no cover - recover removed it; another command is writing
        raise RulesCannotAnswer(
            f"{folder} exists: another command is writing this tree; nothing was written."
        ) from None
    (folder / "pid").write_text(str(os.getpid()), encoding="utf-8")
    journal_path = folder / "journal"
    try:
        for relative, text in writes.items():
            path = staged / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_staged(path, text)
        _check(staged, writes)
        if check is not None:
            check(staged)
        with journal_path.open("a", encoding="utf-8") as journal:
            _commit(root, staged, aside, journal, writes, deletes, remove_dirs)
    except BaseException:
        _undo(root, folder)
        raise
    shutil.rmtree(folder)


def recover(root) -> bool:
    """Undo a change a dead process left half-made under ``root``; True if there was one."""
    folder = pathlib.Path(root) / FOLDER
    if not folder.exists():
        return False
    writer = _writer(folder)
    if writer is not None:
        raise RulesCannotAnswer(
            f"Another command (process {writer}) is writing under {root} now; nothing was written.",
            hint="Run this one again when it has finished.",
        )
    _undo(pathlib.Path(root), folder)
    return True


def _writer(folder: pathlib.Path) -> int | None:
    """The process still writing through ``folder``, if one is (not this one: it writes one change
    at a time, so a folder it left is a change it abandoned)."""
    try:
        pid = int((folder / "pid").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # alive, but another user's
        return pid
    return pid


def _check(staged: pathlib.Path, writes: dict) -> None:
    """Each staged file reads as what it claims to be, before any is moved in; an original kept as
    bytes (a PDF, a page, a spreadsheet) must be staged byte for byte."""
    for relative, content in writes.items():
        path = staged / relative
        if isinstance(content, bytes):
            if path.read_bytes() != content:
                raise RulesCannotAnswer(f"{relative} was not staged byte for byte; nothing was written.")
            continue
        text = path.read_text(encoding="utf-8")
        try:
            if path.suffix == ".yaml":
                yaml.safe_load(text)
            elif path.suffix == ".py":
                compile(text, str(relative), "exec")
        except (yaml.YAMLError, SyntaxError, ValueError) as error:
            raise RulesCannotAnswer(
                f"{relative} as it would be written is not valid {path.suffix[1:]} ({error}); "
                "nothing was written."
            ) from None


def _note(journal, **step) -> None:
    journal.write(json.dumps(step) + "\n")
    journal.flush()
    os.fsync(journal.fileno())


def _commit(root, staged, aside, journal, writes, deletes, remove_dirs) -> None:
    for relative in deletes:
        target = root / relative
        if target.exists():
            (aside / relative).parent.mkdir(parents=True, exist_ok=True)
            _note(journal, step="aside", path=str(relative))
            _replace(target, aside / relative)
    for relative in writes:
        target = root / relative
        missing = [p for p in reversed((target.parent, *target.parent.parents)) if not p.exists()]
        for folder in missing:
            _note(journal, step="made_dir", path=str(folder.relative_to(root)))
            folder.mkdir()
        if target.exists():
            (aside / relative).parent.mkdir(parents=True, exist_ok=True)
            _note(journal, step="aside", path=str(relative))
            _replace(target, aside / relative)
        _note(journal, step="placed", path=str(relative))
        _replace(staged / relative, target)
    for relative in sorted(remove_dirs, key=lambda p: len(pathlib.Path(p).parts), reverse=True):
        folder = root / relative
        if folder.is_dir() and not any(folder.iterdir()):
            _note(journal, step="removed_dir", path=str(relative))
            folder.rmdir()


def _undo(root: pathlib.Path, folder: pathlib.Path) -> None:
    """Undo the journal's steps in reverse; each undo is safe whether or not its step was taken."""
    journal = folder / "journal"
    steps = []
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                steps.append(json.loads(line))
            except ValueError:  # a last line cut short by a crash: its step was never taken
                continue
    for step in reversed(steps):
        path = root / step["path"]
        if step["step"] == "placed":
            if not (folder / "staged" / step["path"]).exists() and path.exists():
                path.unlink()
        elif step["step"] == "aside":
            kept = folder / "aside" / step["path"]
            if kept.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(kept, path)
        elif step["step"] == "made_dir":
            if path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        elif step["step"] == "removed_dir":
            path.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(folder, ignore_errors=True)
