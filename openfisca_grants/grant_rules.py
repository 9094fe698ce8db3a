"""The domain's own rules about grants, each written once and used by every use case.

A grant cannot be negative; a budget-neutral what-if scales reformed amounts to the baseline
total exactly, the pennies left by rounding going to the largest remainders.
"""

from __future__ import annotations

import numpy

from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import format_pounds


def refuse_negative_grants(pence, names, determination, at: str = "") -> None:
    """Raise, naming the body and the amount, if any grant in ``pence`` (rows x bodies) is below
    zero: a negative grant is no grant. ``at`` says where, with ``{n}`` for the row's number."""
    rows = numpy.asarray(pence).reshape(-1, len(names)) if len(names) else numpy.zeros((0, 0))
    if (rows >= 0).all():
        return
    row, body = divmod(int(numpy.argmax((rows < 0).ravel())), rows.shape[1])
    where = at.format(n=row + 1) if at else "Under the reform, "
    raise RulesCannotAnswer(
        f"{where}{determination.label} would pay {names[body]} "
        f"{format_pounds(int(rows[row, body]))}: a grant cannot be negative.",
        hint="A negative adjustment larger than what the formula gives, say.",
    )


def scale_to_total(
    pence: numpy.ndarray, target: int, what: str = "the sweep"
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Each row scaled to add up to ``target`` pence exactly, as ``compare --budget-neutral`` does.

    Each amount is floored after scaling, and the pennies left go to the largest remainders (the
    first of equal remainders first). Integer arithmetic throughout, so no penny is lost.
    Returns the scaled rows and each row's factor. A row that adds up to nothing, or has a
    negative amount, has no such factor: refused, as compare refuses it.
    """
    pence = numpy.asarray(pence, dtype=numpy.int64)
    rows = pence.reshape(-1, pence.shape[-1])
    if rows.size and int(numpy.abs(rows).max()) * abs(int(target)) >= 2**62:
        rows = rows.astype(object)  # beyond int64: Python integers, slower but exact
    totals = rows.sum(axis=1)
    if (totals <= 0).any() or (rows < 0).any():
        raise RulesCannotAnswer(
            f"Cannot make {what} budget neutral: at some value the grants "
            + ("add up to nothing" if (totals == 0).any() else "are negative")
            + ", so no factor scales them to the baseline total.",
            hint="Work it out without budget neutral to see the figures.",
        )
    scaled = rows.copy()
    nonzero = totals != 0
    exact = rows[nonzero] * target
    floors = exact // totals[nonzero][:, None]
    remainders = exact % totals[nonzero][:, None]
    short = target - floors.sum(axis=1)
    order = numpy.argsort(-remainders.astype(numpy.float64), axis=1, kind="stable")
    if rows.dtype == object:  # float ordering could tie distinct huge remainders
        order = numpy.array([sorted(range(len(r)), key=lambda i, r=r: -r[i]) for r in remainders], dtype=int)
    ranks = numpy.empty_like(order)
    numpy.put_along_axis(ranks, order, numpy.arange(order.shape[1])[None, :].repeat(len(order), 0), axis=1)
    scaled[nonzero] = floors + (ranks < numpy.asarray(short, dtype=numpy.int64)[:, None])
    factors = numpy.ones(len(rows))
    factors[nonzero] = [target / int(total) for total in totals[nonzero]]
    return scaled.astype(numpy.int64).reshape(pence.shape), factors.reshape(pence.shape[:-1])
