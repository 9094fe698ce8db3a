"""Charts for reports: baseline against reform as bars, a sweep as lines; PNG or SVG by extension.

matplotlib is imported here only, so the rest of the package starts without it.
"""

from __future__ import annotations

import pathlib

from openfisca_grants.compare import Comparison
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.sweep import SweepResult

FORMATS = (".png", ".svg")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only: no screen needed
    import matplotlib.pyplot as pyplot

    return pyplot


def _target(path) -> pathlib.Path:
    path = pathlib.Path(path)
    if path.suffix.lower() not in FORMATS:
        raise RulesCannotAnswer(f"Cannot draw '{path}': a chart is written as .png or .svg.")
    return path


def comparison_chart(comparison: Comparison, path) -> pathlib.Path:
    """Grouped bars: each body's baseline and reformed grant, in £ thousands."""
    path = _target(path)
    pyplot = _pyplot()
    names = [row.name for row in comparison.rows]
    baseline = [row.baseline_pence / 100_000 for row in comparison.rows]
    reform = [row.reform_pence / 100_000 for row in comparison.rows]
    positions = range(len(names))
    figure, axes = pyplot.subplots(figsize=(max(8, 0.6 * len(names) + 3), 5))
    axes.bar([p - 0.2 for p in positions], baseline, width=0.4, label="baseline")
    axes.bar([p + 0.2 for p in positions], reform, width=0.4, label=comparison.reform.name)
    axes.set_xticks(list(positions), names, rotation=45, ha="right")
    axes.set_ylabel("£ thousand")
    title = f"{comparison.determination.number} ({comparison.determination.financial_year.label})"
    if comparison.budget_neutral_factor is not None:
        title += f", budget neutral (x{comparison.budget_neutral_factor:.6f})"
    axes.set_title(title)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
    return path


def sweep_chart(result: SweepResult, path) -> pathlib.Path:
    """One line per body: its grant (£ thousand) against the swept value."""
    path = _target(path)
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(9, 5.5))
    for column, name in enumerate(result.names):
        axes.plot(result.values, result.pence[:, column] / 100_000, label=name)
    axes.set_xlabel(result.parameter.rsplit(".", 2)[-2] + "." + result.parameter.rsplit(".", 1)[-1])
    axes.set_ylabel("£ thousand")
    axes.set_title(f"Sweep of {result.parameter}, {result.year.label}", fontsize=9)
    if len(result.names) <= 12:
        axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
    return path
