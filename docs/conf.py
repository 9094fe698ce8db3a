"""Sphinx configuration: the reference pages are written from the loaded rules at each build."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "_ext"))

project = "openfisca-grants"
author = "openfisca-grants contributors"
copyright = "openfisca-grants contributors; letters and DfE data: Open Government Licence v3.0"
extensions = ["grants_pages"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_theme_options = {"page_width": "1200px", "sidebar_width": "260px"}
html_title = "openfisca-grants"
nitpicky = True

# The charts the guides show, drawn at each build from the examples.
grants_charts = [
    {
        "kind": "compare",
        "reform": "examples/london_weighting_20.yaml",
        "year": "2024-25",
        "file": "london_weighting_20.png",
    },
    {
        "kind": "sweep",
        "parameter": "riia_31_7421.regional_data_coordinator.london_weighting",
        "from": 0.0,
        "to": 0.3,
        "steps": 31,
        "year": "2024-25",
        "file": "london_weighting_sweep.png",
    },
]
