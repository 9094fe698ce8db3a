"""Charts drawn on the server as inline SVG, for the page: no script, no request elsewhere."""

from __future__ import annotations

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
