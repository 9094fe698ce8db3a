"""Former home of the openfisca-core wrapping, kept so that old imports still work.

Everything here now lives in ``openfisca_grants.openfisca_adapter`` (``yaml_runner`` for the
test runner, ``web_api`` for ``openfisca serve``); import from there.
"""

from openfisca_grants.openfisca_adapter import install
from openfisca_grants.openfisca_adapter.yaml_runner import assert_output, is_money

__all__ = ["assert_output", "install", "is_money"]
