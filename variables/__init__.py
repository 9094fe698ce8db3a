"""The grant rules' formulas, as OpenFisca variables: one module per determination, plus identities."""
