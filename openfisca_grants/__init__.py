"""openfisca-grants: DfE's Section 31 children's social care grant determinations as OpenFisca rules.

``CountryTaxBenefitSystem`` is the entry point every OpenFisca tool expects (``openfisca test``,
``openfisca serve``). Importing this package also makes ``openfisca test`` compare money
variables in whole pence, run a case that places a region with the rest of England from the
register and with the reform files its ``reforms:`` names, and ``openfisca serve`` check every
request at the boundary (see ``openfisca_grants.openfisca_adapter``).
"""

import os

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

import openfisca_grants.parameters as _parameters_package
import openfisca_grants.variables as _variables_package
from openfisca_grants import determinations, entities, openfisca_adapter
from openfisca_grants.situation_examples import camden_2016_17_and_south_west_2024_25

openfisca_adapter.install()


def __getattr__(name: str):
    """``__version__``, read from the installed package's metadata only when asked: reading it
    costs a cold command about 20 ms it does not otherwise need."""
    if name == "__version__":
        from importlib import metadata

        try:
            return metadata.version("openfisca-grants")
        except metadata.PackageNotFoundError:  # pragma: no cover - a source tree, not installed
            return "0+unknown"
    raise AttributeError(f"module 'openfisca_grants' has no attribute {name!r}")


PARAMETERS_DIR = os.path.dirname(os.path.abspath(_parameters_package.__file__))
VARIABLES_DIR = os.path.dirname(os.path.abspath(_variables_package.__file__))


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """The encoded determinations: entities, variables (formulas) and parameters (numbers)."""

    _package_metadata: dict[str, str] | None = None

    def get_package_metadata(self) -> dict[str, str]:
        # openfisca-core reads the installed package's metadata again for every variables file
        # it loads (parsing it each time was a twentieth of a cold command); it cannot change
        # while the process runs, so it is read once.
        if CountryTaxBenefitSystem._package_metadata is None:
            CountryTaxBenefitSystem._package_metadata = super().get_package_metadata()
        return dict(CountryTaxBenefitSystem._package_metadata)

    def __init__(self) -> None:
        super().__init__(entities.entities)
        self.add_variables_from_directory(VARIABLES_DIR)
        self.load_parameters(PARAMETERS_DIR)
        # The Web API's /spec needs an example of each kind: the latest published determination's
        # grant and its first parameter.
        latest = [d for d in determinations.catalogue() if not d.is_draft][-1]
        node = self.parameters.children["determinations"].children[latest.key]
        while hasattr(node, "children"):
            node = next(iter(node.children.values()))
        self.open_api_config = {
            "variable_example": latest.grant_variable,
            "parameter_example": node.name,
            "simulation_example": camden_2016_17_and_south_west_2024_25,
        }
