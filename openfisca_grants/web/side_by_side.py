"""Two what-ifs side by side: the one kept (A), the one on the page (B) and the published figures,
each body's differences in £ and %. A travels in the page's link as ``kept=``, its own query
(year, changes, budget neutral, name), so that the link reproduces both.

Both are read and checked exactly as the page reads a what-if (``whatif_form.whatif_from_query``); A must
be of the page's year. Money is compared in integer pence.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from werkzeug.datastructures import MultiDict

from openfisca_grants.errors import RulesCannotAnswer

KEPT = "kept"
MAX_KEPT_BYTES = 8 * 1024


def kept_args(args) -> MultiDict | None:
    """The kept what-if's query, from the page's ``kept=``; None when there is none."""
    text = args.get(KEPT, "")
    if not text:
        return None
    if len(args.getlist(KEPT)) > 1:
        raise RulesCannotAnswer("kept: given more than once; keep one what-if as A.")
    if len(text) > MAX_KEPT_BYTES:
        raise RulesCannotAnswer(
            f"kept: the kept what-if is {len(text):,} characters; at most {MAX_KEPT_BYTES:,}."
        )
    from openfisca_grants.web.query_checks import without_letter_values

    return MultiDict(without_letter_values(MultiDict(parse_qsl(text, keep_blank_values=True))))


def _pence(amount: str) -> int:
    whole, _, part = amount.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return int(whole) * 100 + sign * int((part or "0").ljust(2, "0")[:2])


def _text(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


def _percent(change: int, base: int) -> float | None:
    return None if base == 0 else round(100 * change / base, 2)


def context(args, current) -> dict | None:
    """A against B against the published figures, per determination; None without a kept one.

    ``current`` is the page's what-if (B). Raises ``RulesCannotAnswer`` naming ``kept`` for a
    kept what-if that cannot be used.
    """
    from openfisca_grants.web import presentation
    from openfisca_grants.web.page_context import results_context
    from openfisca_grants.web.whatif_form import whatif_from_query

    found = kept_args(args)
    if found is None:
        return None
    kept = whatif_from_query(found)
    if kept.errors:
        raise RulesCannotAnswer("kept: the kept what-if cannot be used: " + "; ".join(kept.errors.values()))
    if current.year is None or kept.year != current.year:
        raise RulesCannotAnswer(
            f"kept: the kept what-if is of {kept.year.label if kept.year else '?'}; "
            f"the page shows {current.year.label if current.year else 'no year'}. Keep one of this year."
        )
    a = results_context(kept)
    b = results_context(current)
    tables = []
    for table_a, table_b in zip(a["tables"], b["tables"], strict=True):
        by_code = {row["code"]: row for row in table_a["rows"]}
        rows = []
        for row in [*table_b["rows"], None]:
            if row is None:
                row_a, row_b, name = table_a["total"], table_b["total"], "Total"
            else:
                row_a, row_b, name = by_code[row["code"]], row, row["name"]
            published, pa, pb = _pence(row_b["baseline"]), _pence(row_a["reform"]), _pence(row_b["reform"])
            rows.append(
                {
                    "name": name,
                    "code": row["code"] if row else "",
                    "published": _text(published),
                    "a": _text(pa),
                    "b": _text(pb),
                    "a_change": _text(pa - published),
                    "a_percent": _percent(pa - published, published),
                    "b_change": _text(pb - published),
                    "b_percent": _percent(pb - published, published),
                    "b_minus_a": _text(pb - pa),
                    "b_minus_a_percent": _percent(pb - pa, pa),
                }
            )
        tables.append(
            {"determination": table_b["determination"], "paid_per": table_b["paid_per"], "rows": rows}
        )
    return {
        "a_name": presentation.whatif_name(found),
        "b_name": presentation.whatif_name(args),
        "a_changes": presentation.describe_changes(kept) if kept.changes else [],
        "a_neutral": kept.budget_neutral,
        "tables": tables,
    }
