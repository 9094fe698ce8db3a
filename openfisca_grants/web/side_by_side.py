"""Two what-ifs side by side: the one kept (A), the one on the page (B) and the published figures,
each body's differences in £ and %. A travels in the page's link as ``kept=``, its own query
(year, changes, budget neutral, name), so that the link reproduces both.

Both are read and checked exactly as the page reads a what-if (``whatif_form.whatif_from_query``); A must
be of the page's year. Money is compared in integer pence.

Its downloads carry both what-ifs, as a policy team comparing two options expects: the table of A
against B against the published figures as CSV (``csv_rows``) and as an Excel workbook
(``workbook``), each naming A and B in words; A's own reform file is its link's, B's the page's.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

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
    # A is read for the determinations the page shows (B's), so that their tables pair up.
    found.poplist("determination")
    if current.determination is not None:
        found["determination"] = current.determination
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
                    "pence": {
                        "published": published,
                        "a": pa,
                        "a_change": pa - published,
                        "b": pb,
                        "b_change": pb - published,
                        "b_minus_a": pb - pa,
                    },
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
        "a_query": urlencode(list(found.items(multi=True))),
        "a_words": _in_words(presentation.whatif_name(found), kept),
        "b_words": _in_words(presentation.whatif_name(args), current),
        "tables": tables,
    }


def _in_words(name: str, whatif) -> str:
    """A what-if as a download names it: its name, its changes as typed, budget neutral or not."""
    changes = "; ".join(f"{path}={value}" for path, value in whatif.given.items()) or "the letter's rules"
    neutral = ", budget neutral" if whatif.budget_neutral else ""
    return f"{name}: {changes}{neutral}" if name else f"{changes}{neutral}"


# The side-by-side table as CSV: one row per body and each determination's total (columns only
# ever added at the end, as the comparison's CSV).
CSV_COLUMNS = [
    "determination",
    "financial_year",
    "status",
    "code",
    "name",
    "published",
    "a",
    "a_change",
    "a_percent",
    "b",
    "b_change",
    "b_percent",
    "b_minus_a",
    "b_minus_a_percent",
    "a_what_if",
    "b_what_if",
]
MONEY = ("published", "a", "a_change", "b", "b_change", "b_minus_a")


def csv_rows(side: dict) -> list[dict]:
    """Each row of the side-by-side tables, money as the exact decimal strings the page shows."""
    rows = []
    for table in side["tables"]:
        d = table["determination"]
        head = {
            "determination": d.number,
            "financial_year": d.financial_year.label,
            "status": d.status_text,
            "a_what_if": side["a_words"],
            "b_what_if": side["b_words"],
        }
        rows += [{**head, **{k: v for k, v in row.items() if k != "pence"}} for row in table["rows"]]
    return rows


def workbook(side: dict, path) -> None:
    """The side-by-side tables as an Excel workbook: a sheet per determination, money as numbers in
    pounds from integer pence, and A and B in words on the sheet "About"."""
    from openfisca_grants import excel, tables

    sheets = {}
    for table in side["tables"]:
        d = table["determination"]
        records = [
            {
                "code": row["code"],
                "name": row["name"],
                **{f"{key}{tables.PENCE}": row["pence"][key] for key in MONEY},
                "a_percent": row["a_percent"],
                "b_percent": row["b_percent"],
                "b_minus_a_percent": row["b_minus_a_percent"],
            }
            for row in table["rows"]
        ]
        sheets[f"{d.number} {d.financial_year.label}"] = tables.money_frame(records, list(MONEY))
    about = [
        ("openfisca-grants", "two what-ifs side by side: A against B against the published figures"),
        ("A (kept)", side["a_words"]),
        ("B (on the page)", side["b_words"]),
        (
            "status",
            "; ".join(f"{d.number}: {d.status_text}" for d in (t["determination"] for t in side["tables"])),
        ),
        ("money", "exact to the penny: each amount in pounds, from integer pence"),
    ]
    excel.write_workbook(path, sheets, about=about)
