"""openfisca-core's internals (and argparse's), reached from this package only.

The rules themselves use openfisca-core's public API (``Variable``, ``Reform``, periods,
entities). Everything else the package relies on of openfisca-core's inner workings is here,
one module a kind, each held to what it does by tests/test_openfisca_adapter_contract.py (a
behaviour, not core's source text, so a harmless rename in core passes and a change of
meaning fails):

* ``yaml_runner``: the YAML test runner's check of money (whole pence), whole-country cases,
  reform files in ``reforms:``, cases named after themselves; the collector for pytest;
* ``web_api``: OpenFisca's Web API app, its endpoint names, ``openfisca serve``, ``/spec``;
* ``parameters``: one value per copy injected into the parameters formulas read (sweeps);
* ``populations``: simulations built from arrays; ids, indexes and group memberships;
* ``tracing``: what a calculation computed and which parameters its formulas read;
* ``variables``: a variable's storage dtype (money as float64) and its dated formulas;
* ``argparse_options``: every option of the command line's subcommands.

Importing this package loads neither pytest nor Flask: ``install`` wraps the runner's and
``openfisca serve``'s functions when (and if) their modules are imported.
"""

from __future__ import annotations

from openfisca_grants.openfisca_adapter import web_api, yaml_runner


def install() -> None:
    """Wrap the YAML runner and ``openfisca serve`` (once), now or when they are imported."""
    yaml_runner.install()
    web_api.install()
