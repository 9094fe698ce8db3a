"""openfisca-core still has what openfisca_grants.openfisca_hooks wraps (its YAML test runner,
its Web API's app factory): if it renames or moves them, this fails loudly."""

from __future__ import annotations

from openfisca_grants import openfisca_hooks


def test_openfisca_core_still_has_what_the_hooks_wrap():
    """If openfisca-core renames or moves what openfisca_hooks wraps, this fails loudly."""
    assert openfisca_hooks.check() == []
    from openfisca_core.tools import test_runner
    from openfisca_web_api.scripts import serve

    assert getattr(test_runner.YamlItem.check_variable, "wrapped_by_openfisca_grants", False)
    assert getattr(serve.create_app, "wrapped_by_openfisca_grants", False)
