"""The what-if page's rules as fields: each with a plain label, and the letter's costing (figures
no formula reads, so changing no payment) folded apart from the rules that pay.

Worked out from the catalogue and parameter metadata; nothing names a determination.
"""

from __future__ import annotations

import functools

from openfisca_grants import determinations
from openfisca_grants.errors import RulesCannotAnswer

COSTING_WORDS = "The letter's costing (changes no payment)"


def field_id(path: str) -> str:
    """The page's id of a rule's field: ``p-`` and its path with dashes (ids stay CSS-safe)."""
    return "p-" + path.replace(".", "-")


def short_label(path: str, folder: str) -> str:
    """A rule's plain label from its path within its component: ``costing.day_rate`` -> "Day rate"."""
    parts = path.split(".")
    rest = parts[parts.index(folder) + 1 :] if folder in parts else parts[-1:]
    rest = [part for part in rest if part != "costing"] or parts[-1:]
    words = " ".join(part.replace("_", " ") for part in rest)
    return words[:1].upper() + words[1:]


def component_and_label(path: str) -> str:
    """A rule's component and plain label, from its full path ("determinations.KEY.COMPONENT...."):
    "Regional data coordinator: London weighting"."""
    component = path.split(".")[2]
    return f"{component.replace('_', ' ').capitalize()}: {short_label(path, component)}"


@functools.lru_cache(maxsize=32)
def read_by_the_grants(year_label: str) -> frozenset[str]:
    """Every parameter a formula reads when the year's grants are worked out under the letter's
    rules: a rule outside this set changes no payment, whatever its value."""
    from openfisca_grants.financial_year import FinancialYear
    from openfisca_grants.openfisca_adapter import tracing
    from openfisca_grants.simulation import build_simulation

    year = FinancialYear.parse(year_label)
    simulation = build_simulation(year)
    tracing.start_recording_parameters(simulation)
    for determination in determinations.for_year(year):
        try:
            simulation.calculate(determination.grant_variable, year.period)
        except RulesCannotAnswer:  # a formula not yet encoded reads nothing; the page says why
            continue
    return frozenset(tracing.parameters_read(simulation))


def costing_paths(determination) -> set[str]:
    """The full paths of a determination's costing checks' figures (the letter's working): a
    figure among them that no formula reads is shown apart, as changing no payment."""
    return {
        f"{determination.parameters_path}.{path}"
        for check in determination.costing_checks
        for path in (check.stated, *check.factors)
        if path != determinations.REGIONS_FACTOR
    }


def arrange(groups: list[dict], year) -> list[dict]:
    """Each component's fields split into the rules that pay (``fields``) and the letter's costing
    that no formula reads (``costing``), each with a plain ``short_label`` and its ``hint``."""
    if not groups:
        return groups
    read = read_by_the_grants(year.label)
    arranged = []
    for group in groups:
        determination = group["determination"]
        costing = costing_paths(determination)
        paying, working = [], []
        for field in group["fields"]:
            full = f"determinations.{field['path']}"
            folder = field["path"].split(".")[1] if "." in field["path"] else field["path"]
            field = {**field, "short_label": short_label(field["path"], folder), "hint": field["label"]}
            (working if full in costing and full not in read else paying).append(field)
        arranged.append({**group, "fields": paying, "costing": working, "costing_words": COSTING_WORDS})
    return arranged
