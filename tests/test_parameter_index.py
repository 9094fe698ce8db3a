"""The parameter index: every grant parameter by path, its kind, label and sources resolved once.

It must say what walking the tree says (the nearest reference and letter's words, the kind from
the metadata), refuse what ``find_parameter`` refused, give every parameter a short label, and
date each structured reference and point it at a line of its letter that holds the words it
quotes.
"""

from __future__ import annotations

import importlib.resources
import re

import pytest

from openfisca_grants import determinations, reforms
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.parameter_index import ROOT, index


def walked(system) -> dict:
    """Every leaf under ``determinations`` by walking the tree, with its nearest reference and words."""
    found = {}

    def walk(node, path, reference, wording):
        reference = node.metadata.get("reference", reference)
        wording = node.metadata.get("letter_wording", wording)
        for key, child in node.children.items():
            child_path = f"{path}.{key}"
            if hasattr(child, "children"):
                walk(child, child_path, reference, wording)
            else:
                found[child_path] = (
                    child,
                    child.metadata.get("reference", reference),
                    " ".join(child.metadata.get("letter_wording", wording).split()),
                )

    walk(system.parameters.children[ROOT], ROOT, "", "")
    return found


def test_the_index_says_what_walking_the_tree_says(system):
    walk = walked(system)
    parameters = index(system)
    assert list(parameters.entries) == list(walk)
    for path, (leaf, reference, wording) in walk.items():
        entry = parameters.entries[path]
        assert entry.parameter is leaf
        assert (entry.reference, entry.letter_wording) == (reference, wording), path
        assert entry.unit == leaf.metadata.get("unit", "")
        assert entry.determination_key == path.split(".")[1]
        assert entry.kind == reforms.parameter_kind(path, leaf)
        assert reforms.find_parameter(system, entry.short_path) == (path, leaf)
        assert reforms.source_of(system, path) == reference
        assert reforms.letter_wording(system, path) == wording


def test_the_index_is_built_once_per_system_and_a_reformed_system_has_its_own(system):
    assert index(system) is index(system) is index()
    entry = next(e for e in index(system).entries.values() if e.kind == "rate")
    year = entry.determination.financial_year
    change = reforms.validate(system, entry.path, "50%", year=year.label)
    reformed = reforms.apply(reforms.from_changes("half", [change]), system)
    assert index(reformed) is not index(system)
    assert index(reformed).find(entry.path).value(year) == 0.5
    assert index(system).find(entry.path).value(year) == entry.value(year) != 0.5


def test_changeable_parameters_are_the_index_s_for_each_year(system):
    for determination in determinations.catalogue():
        year = determination.financial_year
        rows = reforms.changeable_parameters(system, year=year)
        keys = {d.key for d in determinations.for_year(year)}
        assert [r["parameter"] for r in rows] == [p for p in walked(system) if p.split(".")[1] in keys]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "is not a parameter path"),
        ("   ", "is not a parameter path"),
        (None, "is not a parameter path"),
        (ROOT, "is a group of parameters"),
        ("no.such.parameter", "no parameter is called"),
    ],
)
def test_the_index_refuses_what_is_not_one_parameter(system, path, message):
    with pytest.raises(RulesCannotAnswer, match=message):
        index(system).find(path, "--set")


def test_a_group_names_what_it_holds_and_a_near_miss_the_closest(system):
    entry = next(iter(index(system).entries.values()))
    group = entry.path.rsplit(".", 1)[0]
    with pytest.raises(RulesCannotAnswer, match="is a group of parameters") as refused:
        index(system).find(group)
    first = min(p for p in index(system).entries if p.startswith(group + "."))
    assert first in str(refused.value.available)
    with pytest.raises(RulesCannotAnswer, match="no parameter is called") as refused:
        index(system).find(entry.short_path + "x")
    assert entry.path in str(refused.value.available)


def test_every_parameter_has_a_short_label_of_its_own_within_its_determination(system):
    by_determination: dict[str, set] = {}
    for entry in index(system).entries.values():
        assert entry.metadata.get("label"), f"{entry.path} has no short label in its metadata"
        assert len(entry.label) <= 45, f"{entry.path}: '{entry.label}' is not short"
        assert entry.label == entry.metadata["label"]
        labels = by_determination.setdefault(entry.determination_key, set())
        assert entry.label not in labels, f"{entry.path}: '{entry.label}' names two parameters"
        labels.add(entry.label)


def _normalised(text: str) -> str:
    for curly, straight in (("’", "'"), ("“", '"'), ("”", '"'), ("–", "-")):
        text = text.replace(curly, straight)
    return " ".join(text.split()).lower()


def _letter_line(href: str) -> str:
    match = re.fullmatch(r"openfisca_grants/sources/([\w.-]+\.txt)#L(\d+)", href)
    assert match, f"{href} is not a line of a letter in openfisca_grants/sources/"
    letter = importlib.resources.files("openfisca_grants.sources").joinpath(match[1])
    # Lines as the letter's readers count them (and an #L anchor does): a PDF's form feed starts none.
    lines = letter.read_text(encoding="utf-8").split("\n")
    assert 1 <= int(match[2]) <= len(lines), f"{href}: the letter has {len(lines)} lines"
    return _normalised(lines[int(match[2]) - 1])


def test_every_parameter_has_dated_references_to_lines_of_its_letter_that_hold_its_words(system):
    for entry in index(system).entries.values():
        determination = entry.determination
        year = determination.financial_year
        applying = entry.references_for(year)
        assert applying, f"{entry.path} has no structured reference for {year.label}"
        for reference in entry.references:
            line = _letter_line(reference.href)
            if determination.letter.file:  # its letter, or the text kept of a spreadsheet's Annex A
                kept = {determination.letter.file, determination.metadata.get("annex_a_file")} - {None}
                assert reference.href.split("#")[0] in {f"openfisca_grants/sources/{k}" for k in kept}
            for quoted in re.findall(r'"([^"]+)"', reference.title):
                assert _normalised(quoted) in line, f"{entry.path}: {reference.href} does not say {quoted!r}"
            row = entry.metadata.get("annex_a_row")
            if row is not None:  # an Annex A row: the line names the body, or the value paid to it
                value = entry.value(year)
                named = entry.metadata.get("name_in_letter") or (value if isinstance(value, str) else None)
                assert named is None or _normalised(named) in line, f"{entry.path}: {reference.href}"
            assert reference.since <= year.start.isoformat()
            assert reference.as_dict() == {
                "since": reference.since,
                "title": reference.title,
                "href": reference.href,
            }


def test_a_reference_applies_from_its_date(system):
    entry = next(e for e in index(system).entries.values() if e.references)
    year = entry.determination.financial_year
    earlier = FinancialYear(year.start_year - 1)
    assert entry.references_for(year) == list(entry.references)
    assert entry.references_for(earlier) == []


def test_groups_are_each_year_s_changeable_parameters_components_first_in_the_letter_s_order(system):
    for determination in determinations.catalogue():
        year = determination.financial_year
        groups = index(system).groups(year)
        assert {e.path for g in groups for e in g.entries} == {e.path for e in index(system).changeable(year)}
        mine = [g for g in groups if g.determination == determination]
        components = [folder for folder, _ in determination.annex_a.components]
        assert [g.folder for g in mine][: len(components)] == [
            f for f in components if f in {g.folder for g in mine}
        ]
        for group in mine:
            assert group.title
            assert all(e.path.split(".")[2] == group.folder for e in group.entries)
            if group.node is not None:
                assert group.title == (group.node.description or group.folder)
                wording = group.node.node.metadata.get("letter_wording")
                assert group.letter_wording == (" ".join(wording.split()) if wording else "")


def test_groups_give_what_the_what_if_page_shows(system):
    """What the page's parameter_groups works out by walking, the index gives: the lead can swap."""
    from openfisca_grants.web import app

    for determination in determinations.catalogue():
        year = determination.financial_year
        page = app.parameter_groups(app.WhatIf(year.label, {}, False))
        groups = index(system).groups(year)
        assert [(g["title"], g["wording"]) for g in page] == [(g.title, g.letter_wording) for g in groups]
        assert [[f["path"] for f in g["fields"]] for g in page] == [
            [e.short_path for e in g.entries] for g in groups
        ]
        assert [[(f["kind"], f["source"]) for f in g["fields"]] for g in page] == [
            [(e.kind, e.reference) for e in g.entries] for g in groups
        ]


def test_a_what_if_page_and_a_new_what_if_walk_no_parameter_tree(system, monkeypatch):
    """Once the index is built, neither the page nor /api/compare walks the tree (the page walked
    it 55 times before the index)."""
    from openfisca_grants.web import app

    class CountingChildren(dict):
        walks = 0

        def items(self):
            CountingChildren.walks += 1
            return super().items()

        def values(self):
            CountingChildren.walks += 1
            return super().values()

        def __iter__(self):
            CountingChildren.walks += 1
            return super().__iter__()

    client = app.create().test_client()
    entry = next(e for e in index(system).entries.values() if e.kind == "rate")
    year = entry.determination.financial_year.label
    page = f"/?year={year}&{entry.short_path}=20%25"
    assert client.get(page, headers={"Accept": "text/html"}).status_code == 200  # the index built
    root = system.parameters.children[ROOT]
    monkeypatch.setattr(root, "children", CountingChildren(root.children))
    assert client.get(page, headers={"Accept": "text/html"}).status_code == 200
    answer = client.post("/api/compare", json={"year": year, "set": {entry.short_path: "21.5%"}})
    assert answer.status_code == 200
    assert client.get(f"/api/parameters?year={year}").status_code == 200
    assert CountingChildren.walks == 0


def test_references_written_as_a_tool_writes_them_read_back_the_same(tmp_path):
    """What new-determination or roll-forward would write, the index reads back."""
    import yaml
    from openfisca_core.parameters import load_parameter_file

    from openfisca_grants.parameter_index import _references, dated_references, letter_href

    href = letter_href("31_7421_riia_letter.txt", 24)
    assert href == "openfisca_grants/sources/31_7421_riia_letter.txt#L24"
    _letter_line(href)  # a line that exists
    written = {
        "description": "A parameter",
        "metadata": {
            "unit": "/1",
            "label": "A rate",
            "references": dated_references("2024-04-01", "T", href),
        },
        "values": {"2024-04-01": 0.14},
    }
    text = yaml.safe_dump(written, allow_unicode=True, sort_keys=False)
    assert "'2024-04-01':" in text  # a string key: JSON can carry the metadata too
    path = tmp_path / "rate.yaml"
    path.write_text(text, encoding="utf-8")
    parameter = load_parameter_file(str(path), "rate")
    (reference,) = _references(parameter.metadata["references"])
    assert reference.as_dict() == {"since": "2024-04-01", "title": "T", "href": href}
