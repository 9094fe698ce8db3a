"""A sweep's values at the boundary: a flat list, ends in whole pence, a bounded size; and only
the bodies paid shown."""

from __future__ import annotations

import pytest
from fuzz import run_cli

from openfisca_grants import api
from openfisca_grants.errors import RulesCannotAnswer

WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"


def test_a_sweep_takes_a_flat_list():
    with pytest.raises(RulesCannotAnswer, match=r"expected a flat list of numbers, not a table of \(2, 2\)"):
        api.sweep(WEIGHTING, [[0.1, 0.2], [0.3, 0.4]], "2024-25")


def test_a_sweep_shows_only_the_authorities_paid():
    result = api.sweep("innovation_programme_31_3010.annex_a.E09000025", [1, 2], "2016-17")
    assert result["pence"].shape == (2, 23)
    assert "E06000001" not in result["codes"]  # Hartlepool: Annex A does not list it


def test_a_sweeps_ends_are_whole_pence_and_its_size_is_bounded():
    amount = "riia_31_7421.regional_data_coordinator.amount_per_region"
    status, _, err = run_cli(
        ["sweep", amount, "--from", "0.005", "--to", "1", "--steps", "2", "--year", "2024-25"]
    )
    assert status == 2 and "0.005 is not a whole number of pence" in err
    annex = "innovation_programme_31_3010.annex_a.E09000025"
    status, _, err = run_cli(
        ["sweep", annex, "--from", "0", "--to", "1", "--steps", "1000000", "--year", "2016-17"]
    )
    assert status == 2 and "at most 10,000,000 are computed at once. Sweep at most 65,789 values here" in err
