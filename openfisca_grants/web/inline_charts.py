"""Charts drawn on the server as inline SVG, for the page: no script, no request elsewhere."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from openfisca_grants.money import format_pounds, to_pence

# Colour-blind-safe (Okabe and Ito), as the report charts use.
# Its yellow is left out: a thin yellow line cannot be read on white.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999", "#882255"]


def pounds(amount: str) -> str:
    """ "322800.00" -> "£322,800.00" (exact: from the decimal string, through integer pence)."""
    return format_pounds(to_pence(amount))


def difference_chart(rows: list[dict]) -> Markup:
    """Each body's difference as a bar either side of zero, labelled in £ and %."""
    pence = [to_pence(r["difference"]) for r in rows]
    widest = max((abs(p) for p in pence), default=0) or 1
    # Names on the left, bars either side of zero in the middle, each label in its own column on
    # the right, so that no label overlaps a name or a bar.
    row_height, label_width, half, value_width = 26, 230, 200, 200
    width, height = label_width + 2 * half + value_width, row_height * len(rows) + 40
    zero = label_width + half
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="chart-title"><title id="chart-title">Difference from the baseline, by body</title>',
        f'<line x1="{zero}" y1="10" x2="{zero}" y2="{height - 20}" stroke="#333"/>',
    ]
    for index, (row, amount) in enumerate(zip(rows, pence, strict=True)):
        y = 20 + index * row_height
        length = half * abs(amount) / widest
        x = zero if amount >= 0 else zero - length
        colour = PALETTE[0] if amount >= 0 else PALETTE[5]
        percent = row["difference_percent"]
        label = pounds(row["difference"]) + ("" if percent is None else f" ({percent:+.2f}%)")
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="13">{escape(row["name"][:32])}</text>'
        )
        if amount:
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{max(length, 1):.1f}" height="{row_height - 8}" fill="{colour}"/>'
            )
        parts.append(f'<text x="{zero + half + 10}" y="{y + 15}" font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def sweep_context(result: dict, current: float | None) -> dict:
    return {"result": result, "chart": sweep_chart(result, current), "current": current}


def sweep_chart(result: dict, current: float | None) -> Markup:
    """Each body's grant across the swept values, one line each, the current value marked."""
    values = result["values"]
    amounts = [[float(a) for a in row] for row in result["amounts"]]
    bodies = result["bodies"]
    low, high = min(values), max(values)
    flat = [a for row in amounts for a in row]
    # The axis spans the amounts (labelled), not from £0: a £4,800 change on £318,000 stays visible.
    spread = (max(flat) - min(flat)) or max(abs(max(flat)), 1.0)
    bottom, top = min(flat) - spread * 0.05, max(flat) + spread * 0.05
    width, height, left, right, upper, lower = 760, 360, 90, 200, 20, 50
    plot_w, plot_h = width - left - right, height - upper - lower

    def x(value):
        return left + (plot_w * (value - low) / (high - low) if high > low else plot_w / 2)

    def y(amount):
        return upper + plot_h * (1 - (amount - bottom) / (top - bottom))

    rate = result["parameter"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="100%" aria-labelledby="sweep-title">'
        f'<title id="sweep-title">Each body\'s grant as {escape(rate)} varies</title>',
        f'<line x1="{left}" y1="{upper + plot_h}" x2="{left + plot_w}" y2="{upper + plot_h}" stroke="#333"/>',
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{upper + plot_h}" stroke="#333"/>',
    ]
    for tick in range(5):
        amount = bottom + (top - bottom) * tick / 4
        parts.append(
            f'<text x="{left - 6}" y="{y(amount) + 4:.1f}" text-anchor="end" font-size="11">{escape(_pounds_short(amount))}</text>'
        )
        value = low + (high - low) * tick / 4
        parts.append(
            f'<text x="{x(value):.1f}" y="{upper + plot_h + 18}" text-anchor="middle" font-size="11">{value:g}</text>'
        )
    for index, body in enumerate(bodies):
        colour = PALETTE[index % len(PALETTE)]
        dash = "" if index < len(PALETTE) else ' stroke-dasharray="4 3"'
        points = " ".join(f"{x(v):.1f},{y(row[index]):.1f}" for v, row in zip(values, amounts, strict=True))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{points}"/>')
        if index < 24:
            parts.append(
                f'<text x="{left + plot_w + 10}" y="{upper + 12 + index * 14}" font-size="11" fill="{colour}">&#9632; '
                f"{escape(body['name'][:28])}</text>"
            )
    if current is not None and low <= current <= high and math.isfinite(current):
        parts.append(
            f'<line x1="{x(current):.1f}" y1="{upper}" x2="{x(current):.1f}" y2="{upper + plot_h}" stroke="#000" stroke-dasharray="6 4"/>'
            f'<text x="{x(current) + 4:.1f}" y="{upper + 12}" font-size="11">current {current:g}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _pounds_short(amount: float) -> str:
    return f"£{amount:,.0f}"
