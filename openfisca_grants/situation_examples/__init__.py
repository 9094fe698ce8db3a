"""Example situations, as the Web API takes them, for its OpenAPI description and for users."""

import json
import os

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name: str) -> dict:
    with open(os.path.join(_HERE, name), encoding="utf-8") as file:
        return json.load(file)


camden_2016_17_and_south_west_2024_25 = _load("camden_2016_17_and_south_west_2024_25.json")
