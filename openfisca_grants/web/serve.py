"""``openfisca-grants web``: the one app (``openfisca_grants.web.app.create``) under gunicorn.

Gunicorn comes with openfisca-core's web extra (``openfisca serve`` uses it too). The rules are
loaded before the workers fork, so each starts answering at once.

A request too large for gunicorn to read (a request line over 8,190 bytes, a header over 8,190
bytes, more than 100 headers) never reaches the app: gunicorn would answer with its own bare
"Bad Request" page. ``ClearRefusalsWorker`` answers those as the app answers every refusal: JSON
naming what was too large and the limit, with the app's security headers.
"""

from __future__ import annotations

import gc
import json
import sys

from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.sync import SyncWorker

# Gunicorn's own ceilings (it accepts no larger request line; a header's is set to the same).
MAX_REQUEST_LINE_BYTES = 8190
MAX_HEADER_BYTES = 8190
MAX_HEADERS = 100


def refusal(error: Exception) -> tuple[int, str, str] | None:
    """The status, reason and message for a request gunicorn refused for its size; None otherwise."""
    if isinstance(error, LimitRequestLine):
        return (
            414,
            "URI Too Long",
            f"The address is {error.size:,} bytes long: this server reads at most "
            f"{MAX_REQUEST_LINE_BYTES:,}. A what-if's values travel in its address, so one of them is "
            "far longer than any rule takes (the page refuses a value over 200 characters before "
            "sending it); shorten it, or send the what-if as JSON to POST /api/compare.",
        )
    if isinstance(error, LimitRequestHeaders):
        return (
            431,
            "Request Header Fields Too Large",
            f"A request header is too large ({error.msg}): this server reads at most {MAX_HEADERS} "
            f"headers of at most {MAX_HEADER_BYTES:,} bytes each.",
        )
    return None


class ClearRefusalsWorker(SyncWorker):
    """Gunicorn's sync worker, answering an oversized request with the app's kind of refusal."""

    def handle_error(self, req, client, addr, exc):
        found = refusal(exc)
        if found is None:
            return super().handle_error(req, client, addr, exc)
        from openfisca_grants.web.security import HEADERS

        status, reason, message = found
        body = (json.dumps({"error": message}, ensure_ascii=False) + "\n").encode("utf-8")
        head = [
            f"HTTP/1.1 {status} {reason}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        ]
        head += [f"{name}: {value}" for name, value in HEADERS.items()] + ["Connection: close"]
        try:
            client.sendall(("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body)
        except OSError:
            pass  # the client has gone: nothing to answer
        return None


class _Server(BaseApplication):
    def __init__(self, app, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve(host: str, port: int, workers: int) -> int:
    from openfisca_grants.web.app import create

    app = create()
    # Before the workers fork: everything built so far (the rules, the register, the app) is put
    # out of the cyclic collector's sight, so that a worker's full collections walk only what its
    # own requests made (they walked the rules too: about 2% of a new what-if's time),
    # and the workers keep sharing those pages of memory instead of copying them as it walks.
    gc.collect()
    gc.freeze()
    shown_host = f"[{host}]" if ":" in host else host
    print(
        f"openfisca-grants: the what-if page is at http://{shown_host}:{port}/ (Ctrl+C stops it)",
        file=sys.stderr,
    )
    _Server(
        app,
        {
            "bind": f"{shown_host}:{port}",
            "workers": workers,
            "timeout": 60,
            "loglevel": "warning",
            "worker_class": "openfisca_grants.web.serve.ClearRefusalsWorker",
            "limit_request_line": MAX_REQUEST_LINE_BYTES,
            "limit_request_field_size": MAX_HEADER_BYTES,
            "limit_request_fields": MAX_HEADERS,
        },
    ).run()
    return 0
