"""The headers a government service sends, on every answer of the app, and cross-origin access
only where the Web API needs it.

* ``Content-Security-Policy``: scripts, styles, images and fetches from this server only, no
  inline script or style (the page has none: its script and styles are files), never framed
  (``frame-ancestors 'none'``, and ``X-Frame-Options: DENY`` for older browsers);
* ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer`` (a what-if's link holds
  its values: it is not sent to other sites);
* ``Access-Control-Allow-Origin`` on the Web API's routes only (OpenFisca's, and ``/api/*``), for
  other sites' scripts to call them; the page, its pieces, downloads, letters and docs send none.
  Its value is ``app.config["CORS_ALLOW_ORIGIN"]``, from the environment variable
  ``OPENFISCA_GRANTS_CORS_ORIGIN`` (default ``*``; empty: no cross-origin access at all).
"""

from __future__ import annotations

import os

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
CORS_ENVIRONMENT = "OPENFISCA_GRANTS_CORS_ORIGIN"
# What belongs to the page, not to the Web API: never readable by another site's script.
PAGE_PREFIXES = ("/page/", "/download/", "/letters/", "/docs")


def is_web_api(path: str, mimetype: str) -> bool:
    """Whether an answer is the Web API's (other sites' scripts may read it) or the page's."""
    if path == "/":
        return mimetype == "application/json"  # OpenFisca's welcome, not the page
    return not path.startswith(PAGE_PREFIXES)


def install(app) -> None:
    from flask import request

    app.config.setdefault("CORS_ALLOW_ORIGIN", os.environ.get(CORS_ENVIRONMENT, "*"))

    def secure(response):
        for name, value in HEADERS.items():
            response.headers[name] = value
        cors = [name for name in response.headers.keys() if name.lower().startswith("access-control-")]
        for name in cors:
            del response.headers[name]
        origin = app.config["CORS_ALLOW_ORIGIN"]
        if origin and is_web_api(request.path, response.mimetype):
            response.headers["Access-Control-Allow-Origin"] = origin
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            if origin != "*":
                response.headers["Vary"] = "Origin"
        return response

    # Flask runs after-request functions last registered first: this one goes first in the list
    # so that it runs after OpenFisca's CORS extension has added its headers, and has the last word.
    app.after_request_funcs.setdefault(None, []).insert(0, secure)
