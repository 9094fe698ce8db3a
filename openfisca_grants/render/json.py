"""JSON as every face writes it (the command line's --format json, the web's /api/*): indented,
UTF-8, never NaN."""

from __future__ import annotations

import json


def dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"


def reconciliations(results) -> dict:
    """Annex A against the rules, as ``reconcile --format json`` and ``/api/reconcile`` answer."""
    return {
        "reconciled": all(r.reconciled for r in results),
        "determinations": [r.as_dict() for r in results],
    }
