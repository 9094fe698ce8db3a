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
