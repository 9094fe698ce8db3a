"""The grant rules' numbers, as OpenFisca parameters: one folder per determination, each value with its source."""
