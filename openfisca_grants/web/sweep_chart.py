"""The sweep on the page: its values as the rule's field writes them (14%, £80,000, 4) and each
body's grant across them as an SVG line chart, its axes titled."""

from __future__ import annotations

from openfisca_grants import reforms
from openfisca_grants.web.rule_fields import short_label

# Colour-blind-safe (Okabe and Ito) lines, each with a dash pattern of its own, and a legend in
# dark text beside a swatch: the legend's words never depend on the line's colour for contrast.
SWEEP_COLOURS = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#882255",
    "#999999",
]
SWEEP_DASHES = ["", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2", "8 3 2 3", "4 4"]


def swept_kind(parameter: str, year) -> str:
    """The swept rule's kind (money, rate, count), from its metadata."""
    from openfisca_grants.simulation import tax_benefit_system

    found = reforms.find_parameter(tax_benefit_system(), parameter)
    return reforms.parameter_kind(found[0], found[1])


def value_as_written(value: float, kind: str) -> str:
    """A swept value as the rule's field writes it: 14%, £80,000, 4."""
    if kind == "rate":
        return f"{round(value * 100, 8):g}%"
    if kind == "money":
        text = f"£{value:,.2f}"
        return text.removesuffix(".00")
    return f"{value:g}"


def sweep_figure(result: dict, current: float | None):
    """Each body's grant across the swept values as an SVG line chart, its axes titled, the
    current value marked, the values written as the rule's field writes them."""
    import math

    from markupsafe import Markup, escape

    parameter = result["parameter"]
    kind = swept_kind(parameter, result["financial_year"])
    label = short_label(parameter, parameter.split(".")[2]) if parameter.count(".") >= 3 else parameter
    values = result["values"]
    amounts = [[float(a) for a in row] for row in result["amounts"]]
    bodies = result["bodies"]
    low, high = min(values), max(values)
    flat = [a for row in amounts for a in row]
    spread = (max(flat) - min(flat)) or max(abs(max(flat)), 1.0)
    bottom, top = min(flat) - spread * 0.05, max(flat) + spread * 0.05
    width, height, left, right, upper, lower = 760, 380, 100, 210, 20, 70
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(value):
        return left + (plot_w * (value - low) / (high - low) if high > low else plot_w / 2)

    def y(amount):
        return upper + plot_h * (1 - (amount - bottom) / (top - bottom))

    unit = {"rate": " (%)", "money": " (£)"}.get(kind, "")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="sweep-title">'
        f'<title id="sweep-title">Each body\'s grant as {escape(label)} goes from '
        f"{escape(value_as_written(low, kind))} to {escape(value_as_written(high, kind))}</title>",
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" '
        'stroke="#0b0c0c"/>',
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#0b0c0c"/>',
        f'<text x="{left + plot_w / 2}" y="{height - 12}" text-anchor="middle" font-size="13" '
        f'fill="#0b0c0c">{escape(label)}{unit}</text>',
        f'<text x="16" y="{upper + plot_h / 2}" text-anchor="middle" font-size="13" fill="#0b0c0c" '
        f'transform="rotate(-90 16 {upper + plot_h / 2})">Grant (£)</text>',
    ]
    for tick in range(5):
        amount = bottom + (top - bottom) * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(amount) + 4:.1f}" text-anchor="end" font-size="11" fill="#0b0c0c">'
            f"£{amount:,.0f}</text>"
        )
        value = low + (high - low) * tick / 4
        parts.append(
            f'<text x="{x(value):.1f}" y="{upper + plot_h + 18}" text-anchor="middle" font-size="11" '
            f'fill="#0b0c0c">{escape(value_as_written(value, kind))}</text>'
        )
    for index, body in enumerate(bodies):
        colour = SWEEP_COLOURS[index % len(SWEEP_COLOURS)]
        dash = SWEEP_DASHES[index % len(SWEEP_DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        points = " ".join(f"{x(v):.1f},{y(row[index]):.1f}" for v, row in zip(values, amounts, strict=True))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dashed} points="{points}"/>'
        )
        if index < 24:
            key_y = upper + 10 + index * 16
            parts.append(
                f'<line x1="{left + plot_w + 10}" y1="{key_y}" x2="{left + plot_w + 34}" y2="{key_y}" '
                f'stroke="{colour}" stroke-width="3"{dashed}/>'
                f'<text x="{left + plot_w + 40}" y="{key_y + 4}" font-size="11" fill="#0b0c0c">'
                f"{escape(body['name'][:26])}</text>"
            )
    if current is not None and math.isfinite(current) and low <= current <= high:
        parts.append(
            f'<line x1="{x(current):.1f}" y1="{upper}" x2="{x(current):.1f}" y2="{upper + plot_h}" '
            f'stroke="#0b0c0c" stroke-dasharray="6 4"/>'
            f'<text x="{x(current) + 4:.1f}" y="{upper + 12}" font-size="11" fill="#0b0c0c">'
            f"now {escape(value_as_written(current, kind))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
