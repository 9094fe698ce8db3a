"""Report-ready charts: words, units and marks a reader needs, at A4 width, as PNG and SVG.

The SVGs keep their text as text, so what a reader sees can be asserted: titles and axes in
words from each parameter's description and unit (never its path), rates in per cent, the
current value marked, each difference labelled in £ and %.
"""

import pathlib
import struct

import numpy
import pytest
from catalogue_helpers import of_determination

from openfisca_grants import api, reforms
from openfisca_grants.charts import (
    A4_TEXT_WIDTH_INCHES,
    DOTS_PER_INCH,
    PALETTE,
    comparison_chart,
    grid_chart,
    sweep_chart,
)
from openfisca_grants.compare import compare
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.sweep import grid_sweep, sweep

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
WEIGHTING = "determinations.riia_31_7421.regional_data_coordinator.london_weighting"
FRAMEWORK = "determinations.riia_31_7421.national_framework_implementation.amount_per_region"


def _png_size(path: pathlib.Path) -> tuple[int, int]:
    return struct.unpack(">II", path.read_bytes()[16:24])


@pytest.fixture(scope="module")
def london_20():
    comparisons = compare(
        api.as_reform({WEIGHTING: "20%"}, "2024-25", name="london_weighting=20%"), "2024-25"
    )
    return of_determination(comparisons, "31/7421")


def test_the_comparison_chart_labels_each_difference_in_pounds_and_per_cent(london_20, tmp_path):
    svg = comparison_chart(london_20, tmp_path / "chart.svg").read_text()
    assert "+£4,800 (+1.5%)" in svg
    assert "no change" in svg
    assert "London weighting added to the regional data coordinator amount" in svg and "14% → 20%" in svg
    assert "riia_31_7421" not in svg


def test_decreases_are_labelled_with_a_minus_sign(tmp_path):
    comparisons = compare(reforms.load(EXAMPLES / "need_weighted_self_assessment.py"), "2024-25")
    comparison = of_determination(comparisons, "31/7421")
    svg = comparison_chart(comparison, tmp_path / "need.svg").read_text()
    assert "−£5,183.76 (−1.5%)" in svg
    assert "+£6,047.48 (+2.2%)" in svg


def test_the_sweep_chart_has_words_per_cent_and_the_current_value(tmp_path):
    result = sweep(WEIGHTING, numpy.linspace(0, 0.3, 7), "2024-25")
    svg = sweep_chart(result, tmp_path / "sweep.svg").read_text()
    assert "London weighting added to the regional data coordinator amount for the London region (%)" in svg
    assert "current: 14%" in svg
    assert "30%" in svg and "0.30" not in svg
    assert "riia_31_7421" not in svg
    for colour in PALETTE:
        assert colour.lower() in svg.lower()


def test_a_money_sweep_marks_its_current_value_in_pounds(tmp_path):
    result = sweep(FRAMEWORK, [20000, 27200, 35000], "2024-25")
    svg = sweep_chart(result, tmp_path / "sweep.svg").read_text()
    assert "current: £27,200" in svg


def test_charts_fit_a4_width_as_png(london_20, tmp_path):
    for path in (
        comparison_chart(london_20, tmp_path / "chart.png"),
        sweep_chart(sweep(WEIGHTING, [0, 0.14, 0.3], "2024-25"), tmp_path / "sweep.png"),
    ):
        width, _ = _png_size(path)
        assert width <= (A4_TEXT_WIDTH_INCHES + 0.3) * DOTS_PER_INCH, path


def test_the_grid_chart_is_a_heatmap_of_the_total_or_of_one_region(tmp_path):
    result = grid_sweep((WEIGHTING, FRAMEWORK), ([0, 0.14, 0.3], [20000, 27200, 35000]), "2024-25")
    svg = grid_chart(result, tmp_path / "grid.svg").read_text()
    assert "Total grant to the nine regions" in svg and "current" in svg
    london = grid_chart(result, tmp_path / "london.png", body="London")
    assert london.read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(RulesCannotAnswer, match="No body 'Atlantis' in this sweep"):
        grid_chart(result, tmp_path / "x.png", body="Atlantis")


def test_a_sweep_of_many_authorities_colours_those_it_moves(tmp_path):
    result = sweep("determinations.innovation_programme_31_3010.annex_a.E09000028", [1e6, 2e6], "2016-17")
    svg = sweep_chart(result, tmp_path / "authorities.svg").read_text()
    unchanged = len(result.names) - 1
    assert f"the other {unchanged} (unchanged)" in svg and "Southwark" in svg
    assert "current: £1,637,997.91" in svg
