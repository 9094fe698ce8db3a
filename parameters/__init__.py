"""The grant rules' numbers, as OpenFisca parameters: one folder per determination, each with its source."""
