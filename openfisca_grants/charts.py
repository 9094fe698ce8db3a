"""Charts for reports: a reform's differences, a sweep's lines, a grid sweep's heatmap; PNG or SVG.

Drawn to be pasted into a report: A4 text width (16 cm) at 200 dots per inch, text no smaller
than 7.5 pt, titles and axes in words from each parameter's description and unit (never its
path), rates in per cent, the current value of a swept parameter marked, legends outside the
data, and Paul Tol's "muted" palette, which readers with any common colour-vision deficiency can
tell apart (lines also differ in dash, so a grey-scale print still separates them).

matplotlib is imported here only, so the rest of the package starts without it.
"""

from __future__ import annotations

import pathlib
import textwrap

import numpy

from openfisca_grants.compare import Comparison
from openfisca_grants.determinations import DRAFT_LABEL
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import MONEY_UNIT, format_pounds
from openfisca_grants.sweep import GridSweepResult, SweepResult

FORMATS = (".png", ".svg")
A4_TEXT_WIDTH_INCHES = 6.3  # 16 cm: an A4 page less two 2.5 cm margins
DOTS_PER_INCH = 200
# Paul Tol's "muted" scheme (https://personal.sron.nl/~pault/): nine colours, colour-blind safe.
PALETTE = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]
DASHES = ["solid", (0, (5, 2)), (0, (1, 1.5)), (0, (5, 2, 1, 2))]
INCREASE, DECREASE = "#117733", "#882255"  # Tol's green and wine: told apart with any deficiency
RATE_UNIT = "/1"


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only: no screen needed
    import matplotlib.pyplot as pyplot

    pyplot.rcParams.update(
        {
            "font.size": 8.5,
            "axes.titlesize": 10,
            "axes.labelsize": 8.5,
            "legend.fontsize": 7.5,
            "xtick.labelsize": 7.5,
            "ytick.labelsize": 7.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "svg.fonttype": "none",  # text stays text in an SVG: searchable, editable
        }
    )
    return pyplot


def _target(path) -> pathlib.Path:
    path = pathlib.Path(path)
    if path.suffix.lower() not in FORMATS:
        raise RulesCannotAnswer(f"Cannot draw '{path}': a chart is written as .png or .svg.")
    return path


def _save(pyplot, figure, path: pathlib.Path) -> pathlib.Path:
    figure.savefig(path, dpi=DOTS_PER_INCH, bbox_inches="tight")
    pyplot.close(figure)
    return path


def _signed_pounds(pence: int) -> str:
    """+£4,159 or −£120.50: whole pounds shown without pence."""
    text = format_pounds(abs(int(pence)))
    text = text[:-3] if text.endswith(".00") else text
    return ("+" if pence > 0 else "−" if pence < 0 else "±") + text


def _pounds_axis(axis, thousands: bool = False) -> None:
    """£ ticks: £250k, £2.5m; ``thousands`` keeps millions in thousands (£2,413k) for narrow ranges."""
    from matplotlib.ticker import FuncFormatter

    def short(number: float, decimals: int) -> str:
        return f"{number:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{number:,.0f}"

    def pounds(value, _):
        sign, value = ("−" if value < 0 else ""), abs(value)
        if value >= 1_000_000 and not thousands:
            return f"{sign}£{short(value / 1_000_000, 2)}m"
        return sign + (f"£{short(value / 1000, 1)}k" if value >= 1000 else f"£{value:,.0f}")

    axis.set_major_formatter(FuncFormatter(pounds))


def _value_axis(axis, unit: str) -> None:
    """Ticks of a swept parameter's axis in its unit: per cent for a rate, £ for money."""
    if unit == RATE_UNIT:
        from matplotlib.ticker import FuncFormatter

        axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value * 100:.4g}%"))
    elif unit == MONEY_UNIT:
        _pounds_axis(axis)


def value_text(value: float, unit: str) -> str:
    """A parameter's value as a reader writes it: 14%, £27,200, 33."""
    if unit == RATE_UNIT:
        return f"{value * 100:.4g}%"
    if unit == MONEY_UNIT:
        return _signed_pounds(round(value * 100)).lstrip("+±")
    return f"{value:g}"


def _unit_words(unit: str) -> str:
    return {RATE_UNIT: " (%)", MONEY_UNIT: " (£)"}.get(unit, "")


def _wrapped(text: str, width: int = 70) -> str:
    return "\n".join(textwrap.wrap(text, width))


def comparison_chart(comparison: Comparison, path) -> pathlib.Path:
    """Each body's grant under the baseline and the reform, and the difference, labelled £ and %.

    Two panels sharing the bodies' names: the amounts (baseline and reform side by side), and
    the difference as bars diverging from zero, so that a £4,159 change on a £350,000 grant is
    as visible as it is in the table.
    """
    path = _target(path)
    pyplot = _pyplot()
    rows = comparison.rows
    names = [row.name for row in rows]
    positions = numpy.arange(len(rows))[::-1]  # the first body at the top
    height = max(2.6, 0.32 * len(rows) + 1.6)
    figure, (amounts, differences) = pyplot.subplots(
        1, 2, figsize=(A4_TEXT_WIDTH_INCHES, height), sharey=True, gridspec_kw={"width_ratios": [1, 1.25]}
    )
    baseline = numpy.array([row.baseline_pence for row in rows]) / 100
    reform = numpy.array([row.reform_pence for row in rows]) / 100
    d = comparison.determination
    baseline_label = f"Baseline ({DRAFT_LABEL})" if d.is_draft else "Baseline (the letter)"
    amounts.barh(positions + 0.2, baseline, height=0.4, color=PALETTE[1], label=baseline_label)
    amounts.barh(positions - 0.2, reform, height=0.4, color=PALETTE[0], label="Reform")
    amounts.set_yticks(positions, names)
    _pounds_axis(amounts.xaxis)
    amounts.set_xlabel("Grant (£)")
    amounts.set_title("Grant", loc="left", fontsize=8.5)

    change = numpy.array([row.difference_pence for row in rows]) / 100
    colours = [INCREASE if value >= 0 else DECREASE for value in change]
    differences.barh(positions, change, height=0.6, color=colours)
    differences.axvline(0, color="black", linewidth=0.8)
    labels = [_difference_label(row) for row in rows]
    low, high, across = _difference_layout(change, labels, panel_inches=A4_TEXT_WIDTH_INCHES * 0.38)
    differences.set_xlim(low, high)
    leftwards = bool((change < 0).any() and not (change > 0).any())  # "no change" beside the bars
    for position, label, value in zip(positions, labels, change, strict=True):
        if across:  # at zero, on the side away from the bar
            left, anchor = value > 0, 0.0
        else:  # at the end of the bar
            left, anchor = value < 0 or (value == 0 and leftwards), value
        differences.annotate(
            label,
            (anchor, position),
            xytext=(-3 if left else 3, 0),
            textcoords="offset points",
            ha="right" if left else "left",
            va="center",
            fontsize=7.5,
        )
    from matplotlib.ticker import MaxNLocator

    differences.xaxis.set_major_locator(MaxNLocator(nbins=4))
    _pounds_axis(differences.xaxis)
    differences.set_xlabel("Reform minus baseline (£)")
    differences.set_title("Difference", loc="left", fontsize=8.5)
    differences.tick_params(axis="y", length=0)
    title = _reform_title(comparison)
    subtitle = f"Determination {d.number}, {d.financial_year.label}, per {d.payee.words}"
    if d.is_draft:
        subtitle += f" ({DRAFT_LABEL})"
    subtitle += f"; total {_signed_pounds(comparison.total.difference_pence)}"
    if comparison.budget_neutral_factor is not None:
        subtitle += f"; budget neutral (reform scaled by {comparison.budget_neutral_factor:.6f})"
    title_lines = _wrapped(title, 68).count("\n") + 1
    top = 1 - (0.2 * title_lines + 0.35) / height
    figure.text(0.01, 0.995, _wrapped(title, 68), ha="left", va="top", fontsize=10, fontweight="bold")
    figure.text(0.01, top + 0.12 / height, _wrapped(subtitle, 100), ha="left", va="bottom", fontsize=8)
    figure.tight_layout(rect=(0, 0.35 / height, 1, top))
    figure.legend(loc="lower left", bbox_to_anchor=(0.01, 0), ncol=2, frameon=False)
    return _save(pyplot, figure, path)


def _difference_label(row) -> str:
    if row.difference_pence == 0:
        return "no change"
    percent = row.difference_percent
    return _signed_pounds(row.difference_pence) + (
        "" if percent is None else f" ({percent:+.1f}%)".replace("-", "−")
    )


def _label_inches(label: str) -> float:
    return 0.065 * len(label) + 0.12  # 7.5 pt text, and the gap to the bar


def _difference_layout(change, labels, panel_inches: float) -> tuple[float, float, bool]:
    """Axis limits for the differences, and whether labels sit across zero from their bars.

    Labels go at the end of their bars when there is room for both; where there is not (long
    labels either side of zero), each goes at zero on the side away from its bar, so that no
    label runs off the panel however the bars fall.
    """
    below = float(max(-change.min(), 0.0)) if len(change) else 0.0
    above = float(max(change.max(), 0.0)) if len(change) else 0.0
    if below == above == 0:
        return -1.0, 1.0, False
    sides = (below > 0) + (above > 0)
    fraction = max(_label_inches(label) for label in labels) / panel_inches
    free = 1 - sides * fraction
    if free >= 0.35:
        span = (below + above) / free
        room = fraction * span
        low = -(below + room) if below > 0 else -0.03 * span
        high = above + room if above > 0 else 0.03 * span
        return low, high, False
    increases = [_label_inches(label) for label, value in zip(labels, change, strict=True) if value > 0]
    others = [_label_inches(label) for label, value in zip(labels, change, strict=True) if value <= 0]
    left = max(max(increases, default=0.0), panel_inches * below / (below + above))
    right = max(panel_inches - left, max(others, default=0.0))
    left = panel_inches - right
    per_pound = min(left / below if below else float("inf"), right / above if above else float("inf"))
    return -left / per_pound, right / per_pound, True


def _reform_title(comparison: Comparison) -> str:
    """The reform's name, or, for changes typed as PATH=VALUE, each change in words."""
    spec = comparison.reform
    if "=" not in spec.name or not spec.changes:
        return spec.name
    from openfisca_grants.reforms import leaves
    from openfisca_grants.simulation import tax_benefit_system

    parts = []
    for change in spec.changes:
        parameter = leaves(tax_benefit_system())[change.path]
        unit = parameter.metadata.get("unit", "")
        before = parameter(change.year.start.isoformat())
        if isinstance(change.value, (int, float)) and isinstance(before, (int, float)):
            parts.append(
                f"{parameter.description}: {value_text(before, unit)} → {value_text(change.value, unit)}"
            )
        else:
            parts.append(f"{parameter.description}: {before} → {change.value}")
    return "; ".join(parts)


def sweep_chart(result: SweepResult, path) -> pathlib.Path:
    """One line per body: its grant against the swept value, the current value marked."""
    path = _target(path)
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(A4_TEXT_WIDTH_INCHES, 4.8))
    many = len(result.names) > len(PALETTE)
    # With more bodies than colours, colour those the sweep moves and grey the rest.
    varying = [c for c in range(len(result.names)) if result.pence[:, c].min() != result.pence[:, c].max()]
    coloured = list(range(len(result.names))) if not many else varying[: len(PALETTE)]
    for column, name in enumerate(result.names):
        if column in coloured:
            position = coloured.index(column)
            style = {
                "color": PALETTE[position % len(PALETTE)],
                "linestyle": DASHES[position % len(DASHES)],
                "linewidth": 1.4,
                "label": name,
                "zorder": 3,
            }
        else:
            first_grey = column == min(c for c in range(len(result.names)) if c not in coloured)
            style = {
                "color": "#BBBBBB",
                "linewidth": 0.8,
                "label": f"the other {len(result.names) - len(coloured)} (unchanged)" if first_grey else None,
                "zorder": 2,
            }
        axes.plot(result.values, result.pence[:, column] / 100, **style)
    _value_axis(axes.xaxis, result.unit)
    _pounds_axis(axes.yaxis)
    axes.set_xlabel(_wrapped(result.label + _unit_words(result.unit), 90))
    axes.set_ylabel("Grant (£)" + (", budget neutral" if result.budget_neutral_factors is not None else ""))
    axes.margins(y=0.12)  # room at the top for the current value's label, clear of the lines
    if result.current_value is not None and numpy.isfinite(result.current_value):
        axes.axvline(result.current_value, color="black", linewidth=0.8, linestyle=(0, (2, 2)))
        axes.annotate(
            f"current: {value_text(result.current_value, result.unit)}",
            (result.current_value, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=7.5,
        )
    bodies = "region" if len(result.names) == 9 else "authority"
    axes.set_title(
        f"Grant to each {bodies}, {result.year.label}{_status_words(result)}, as one parameter varies",
        loc="left",
        fontsize=10,
        fontweight="bold",
    )
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)
    axes.grid(axis="y", color="#DDDDDD", linewidth=0.5)
    figure.tight_layout()
    return _save(pyplot, figure, path)


def _body_in_grid(result: GridSweepResult, body: str) -> int:
    """Where ``body`` is among a grid's bodies: by its code or name as shown, or as the register
    reads it in the grid's year ("GLA", "London Borough of Camden", a region's other names)."""
    from openfisca_grants.register import register

    for index, shown in enumerate(zip(result.codes, result.names, strict=True)):
        if body in shown:
            return index
    codes = []
    for read in (register().region, lambda name: register().resolve_in_year(name, result.year.start, False)):
        try:
            codes.append(read(body).code)
        except RulesCannotAnswer:
            continue
    for code in codes:
        if code in result.codes:
            return result.codes.index(code)
    raise RulesCannotAnswer(
        f"No body '{body}' in this sweep.", available="Bodies: " + ", ".join(result.names) + "."
    )


def grid_chart(result: GridSweepResult, path, body: str | None = None) -> pathlib.Path:
    """A heatmap of the total grant (or of one body's, by code or name) over the grid of values."""
    path = _target(path)
    pyplot = _pyplot()
    if body is None:
        grid, whose = result.pence.sum(axis=2) / 100, f"Total grant to all {len(result.names)} bodies"
        if len(result.names) == 9:
            whose = "Total grant to the nine regions"
    else:
        index = _body_in_grid(result, body)
        grid, whose = result.pence[:, :, index] / 100, f"Grant to {result.names[index]}"
    first, second = result.values
    figure, axes = pyplot.subplots(figsize=(A4_TEXT_WIDTH_INCHES, 4.8))
    image = axes.pcolormesh(_edges(second), _edges(first), grid, cmap="cividis", shading="flat")
    colour_bar = figure.colorbar(image, ax=axes)
    _pounds_axis(colour_bar.ax.yaxis, thousands=True)
    colour_bar.set_label(whose + " (£)")
    _value_axis(axes.xaxis, result.units[1])
    _value_axis(axes.yaxis, result.units[0])
    axes.set_xlabel(_wrapped(result.labels[1] + _unit_words(result.units[1]), 70))
    axes.set_ylabel(_wrapped(result.labels[0] + _unit_words(result.units[0]), 45))
    if None not in result.current_values:
        axes.plot(
            result.current_values[1],
            result.current_values[0],
            marker="o",
            color="white",
            markeredgecolor="black",
        )
        axes.annotate(
            "current",
            (result.current_values[1], result.current_values[0]),
            xytext=(5, 5),
            textcoords="offset points",
            fontsize=7.5,
            color="black",
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )
    _ticks_within(axes.xaxis, second)
    _ticks_within(axes.yaxis, first)
    axes.set_title(
        _wrapped(f"{whose}, {result.year.label}{_status_words(result)}", 80),
        loc="left",
        fontsize=10,
        fontweight="bold",
    )
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(True)
    figure.tight_layout()
    return _save(pyplot, figure, path)


def _status_words(result) -> str:
    """ " (draft, not a published determination (...))" on a draft's chart, else nothing."""
    status = getattr(result, "status", "published")
    return "" if status == "published" else f" ({status})"


def _ticks_within(axis, values) -> None:
    """Ticks only at values within the range swept: the cells reach half a step beyond it, and a
    tick there would read as a value that was computed."""
    from matplotlib.ticker import MaxNLocator

    values = numpy.asarray(values, dtype=float)
    low, high = float(values.min()), float(values.max())
    if len(values) <= 8:  # a tick at each value swept: each cell named by its own value
        axis.set_ticks(values)
        return
    ticks = MaxNLocator(nbins=6).tick_values(low, high)
    axis.set_ticks([t for t in ticks if low - 1e-9 * abs(high - low) <= t <= high + 1e-9 * abs(high - low)])


def _edges(values: numpy.ndarray) -> numpy.ndarray:
    """Cell edges halfway between grid values (one unit wide around a single value)."""
    values = numpy.asarray(values, dtype=float)
    if len(values) == 1:
        half = abs(values[0]) * 0.05 or 0.5
        return numpy.array([values[0] - half, values[0] + half])
    middles = (values[1:] + values[:-1]) / 2
    return numpy.concatenate([[2 * values[0] - middles[0]], middles, [2 * values[-1] - middles[-1]]])
