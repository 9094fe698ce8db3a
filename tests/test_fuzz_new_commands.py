"""Fuzz: new-determination and roll-forward, with letters damaged line by line and arguments typed badly.

Each run writes only into a scratch copy of the rules (``--root``). A command writes a home, or
exits 2 with one line and writes nothing; it never overwrites a file, and never crashes.
"""

from __future__ import annotations

import pathlib
import shutil
import tempfile

from fuzz import CASES, assert_clear_cli_outcome, cases, nasty_text, run_cli
from hypothesis import given
from hypothesis import strategies as st

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORK = pathlib.Path(tempfile.mkdtemp(prefix="openfisca-grants-fuzz-homes-"))
TREE = WORK / "tree"
for folder in ("parameters", "variables", pathlib.Path("openfisca_grants", "sources")):
    shutil.copytree(ROOT / folder, TREE / folder, ignore=shutil.ignore_patterns("__pycache__"))
(TREE / "openfisca_grants" / "register" / "data").mkdir(parents=True)
shutil.copy(
    ROOT / "openfisca_grants" / "register" / "data" / "letter_names.yaml",
    TREE / "openfisca_grants" / "register" / "data",
)

LETTERS = [
    path.read_text(encoding="utf-8").splitlines()
    for path in sorted((ROOT / "openfisca_grants" / "sources").glob("*.txt"))
]
LINES = (
    st.sampled_from(
        [
            "Annex A",
            "Local Authority\tFunding Amount",
            "Nowhere Council\t£1.00",
            "\tTotal: £1.00",
            "Telford & Wrekin Council\t£-5.00",
            "Kent County Council\t£1,000,000,000,000,000.00",
            "Kent County Council\tnan",
            "South West – Atlantis Council\t£1.00",
            "Example GRANT DETERMINATION [2030-31]: No 31/0001.",
            "Example GRANT DETERMINATION [2001-02]: No 31/0002.",
            "Example GRANT DETERMINATION [2019-21]: No 31/0003.",
            "5) The grant will be paid in one instalment.",
        ]
    )
    | nasty_text()
)


@st.composite
def damaged_letter(draw) -> str:
    """One of the published letters under a new number (so that some are written), then damaged."""
    number = f"31/{draw(st.integers(1000, 9999))}"
    lines = [
        line.replace("31/3010", number).replace("31/7421", number) for line in draw(st.sampled_from(LETTERS))
    ]
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "replace", "insert"]))
        if action == "drop":
            del lines[at]
        elif action == "replace":
            lines[at] = draw(LINES)
        else:
            lines.insert(at, draw(LINES))
    return "\n".join(lines)


def tree_files() -> dict[str, tuple[int, int]]:
    """Each file's size and modification time: any write shows."""
    return {
        str(p.relative_to(TREE)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in TREE.rglob("*")
        if p.is_file()
    }


@cases(100)
@given(damaged_letter())
def test_damaged_letters(text):
    CASES["new-determination letters"] += 1
    letter = WORK / "letter.txt"
    letter.write_text(text, encoding="utf-8")
    before = tree_files()
    status, out, err = run_cli(["new-determination", str(letter), "--root", str(TREE)])
    assert_clear_cli_outcome(status, out, err, ["new-determination", text[:200]])
    if status == 0:
        CASES["new-determination letters written"] += 1
    after = tree_files()
    changed = [name for name in before if after.get(name) != before[name]]
    if status == 0:
        # A home was written: new files only, the names appended to the register's list and a
        # row to the letters' table.
        assert set(changed) == {
            "openfisca_grants/register/data/letter_names.yaml",
            "openfisca_grants/sources/README.md",
        }, changed
        names = "openfisca_grants/register/data/letter_names.yaml"
        assert after[names][0] > before[names][0]  # appended to
    else:
        assert after == before, "a refused letter wrote something"


WORDS = ["31/7421", "31/3010", "31/0000", "", " ", "2025-26", "2026-27", "2024-25", "2016-17", "1900-01"]
WORD = st.sampled_from(WORDS) | nasty_text()


@cases(100)
@given(st.lists(WORD, min_size=0, max_size=4), st.sampled_from([str(TREE), str(WORK / "nowhere"), ""]))
def test_roll_forward_arguments(words, root):
    CASES["new-determination and roll-forward arguments"] += 1
    argv = ["roll-forward", *words[:1], "--to", *words[1:2], "--root", root]
    before = tree_files()
    status, out, err = run_cli(argv)
    assert_clear_cli_outcome(status, out, err, argv)
    after = tree_files()
    assert all(after.get(name) == content for name, content in before.items()), "a file was overwritten"


@cases(100)
@given(
    st.lists(WORD | st.sampled_from(["31/7421-draft-2025-26", "--force", "--root"]), min_size=0, max_size=3),
    st.sampled_from([str(TREE), str(WORK / "nowhere"), ""]),
)
def test_remove_determination_arguments(words, root):
    """Refused in one line with nothing changed, or an import or a draft taken out (never one
    encoded by hand: --force is not given here)."""
    CASES["remove-determination arguments"] += 1
    argv = ["remove-determination", *[w for w in words if w != "--force"][:2], "--root", root]
    before = tree_files()
    status, out, err = run_cli(argv)
    assert_clear_cli_outcome(status, out, err, argv)
    after = tree_files()
    if status != 0:
        assert after == before, "a refused removal changed something"
    else:
        assert "removed." in out
        gone = set(before) - set(after)
        assert gone and all(
            "innovation_programme_31_3010/" not in name and "riia_31_7421/" not in name for name in gone
        )
