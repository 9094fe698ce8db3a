"""JSON as every face writes it (the command line's --format json, the web's /api/*): indented,
UTF-8, never NaN."""

from __future__ import annotations

import json


def dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"
