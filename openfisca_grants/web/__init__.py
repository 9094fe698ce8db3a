"""The web faces of the rules: OpenFisca's Web API, checked at the boundary (``openfisca_api``)."""
