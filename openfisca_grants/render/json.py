"""JSON as every face writes it (the command line's --format json, the web's /api/*): indented,
UTF-8, never NaN.

``dumps`` writes what ``json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False,
default=str)`` writes, byte for byte, in about a third of the time: the standard library encodes in C
only without an indent, and its indenting encoder, in Python, was near a tenth of a new what-if's
time over HTTP. So a list or object holding no list or object (a table's row, most of any
answer) goes to the C encoder whole, its item separator carrying the newline and the indent,
and only the containers around such ones are walked here. tests/test_render_json.py holds the
two equal on generated data.
"""

from __future__ import annotations

import functools
import json

INDENT = "  "
_CONTAINERS = (dict, list, tuple)


def dumps(data) -> str:
    parts: list[str] = []
    _write(data, 0, parts)
    parts.append("\n")
    return "".join(parts)


@functools.cache
def _encoder(depth: int):
    """An encoder of a value at ``depth``: a list's or object's items one a line, indented."""
    item_separator = ",\n" + INDENT * depth
    if json.encoder.c_make_encoder is None:  # a Python without the standard library's C part
        options = {"ensure_ascii": False, "allow_nan": False, "default": str}
        return json.JSONEncoder(**options, separators=(item_separator, ": ")).encode
    # The C encoder made once (JSONEncoder.encode makes one a call), as JSONEncoder makes it but
    # with no check for circular references: a value it is given holds no list or object.
    encode = json.encoder.c_make_encoder(
        None, str, json.encoder.encode_basestring, None, ": ", item_separator, False, False, False
    )
    return lambda value: "".join(encode(value, 0))


def _write(value, depth: int, parts: list[str]) -> None:
    if isinstance(value, dict):
        opening, closing, children = "{", "}", value.values()
    elif isinstance(value, (list, tuple)):
        opening, closing, children = "[", "]", value
    else:
        parts.append(_encoder(depth)(value))
        return
    if not value:
        parts.append(opening + closing)
        return
    inside, outside = "\n" + INDENT * (depth + 1), "\n" + INDENT * depth
    if not any(isinstance(child, _CONTAINERS) for child in children):
        parts.append(opening + inside + _encoder(depth + 1)(value)[1:-1] + outside + closing)
        return
    if opening == "{" and not all(isinstance(key, str) for key in value):
        # Keys that are not text are written as the standard library writes them; its output
        # at depth 0 is this one's with each line indented (JSON text holds no raw newline).
        whole = json.dumps(value, indent=len(INDENT), ensure_ascii=False, allow_nan=False, default=str)
        parts.append(whole.replace("\n", outside))
        return
    parts.append(opening)
    if opening == "{":
        for index, (key, child) in enumerate(value.items()):
            parts.append(("," if index else "") + inside + json.encoder.encode_basestring(key) + ": ")
            _write(child, depth + 1, parts)
    else:
        for index, child in enumerate(value):
            parts.append(("," if index else "") + inside)
            _write(child, depth + 1, parts)
    parts.append(outside + closing)


def reconciliations(results) -> dict:
    """Annex A against the rules, as ``reconcile --format json`` and ``/api/reconcile`` answer."""
    return {
        "reconciled": all(r.reconciled for r in results),
        "determinations": [r.as_dict() for r in results],
    }
