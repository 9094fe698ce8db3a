"""``openfisca-grants web``: the one app (``openfisca_grants.web.app.create``) under gunicorn.

Gunicorn comes with openfisca-core's web extra (``openfisca serve`` uses it too). The rules are
loaded before the workers fork, so each starts answering at once.
"""

from __future__ import annotations

import sys

from gunicorn.app.base import BaseApplication


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
    shown_host = f"[{host}]" if ":" in host else host
    print(
        f"openfisca-grants: the what-if page is at http://{shown_host}:{port}/ (Ctrl+C stops it)",
        file=sys.stderr,
    )
    _Server(
        app, {"bind": f"{shown_host}:{port}", "workers": workers, "timeout": 60, "loglevel": "warning"}
    ).run()
    return 0
