"""Every cache this package keeps across calls, by name, and ``reset`` to empty them all at once.

The rules, the catalogue of determinations and the register are built once per process, and
reformed systems, baseline grants and the YAML runner's systems are kept once worked out. A
process that changes what they were built from (a test that patches a determination, a
notebook that edits a parameter file) calls ``reset`` so that the next call builds them anew.
Each cache is named here, not imported, so that resetting loads nothing new;
tests/test_caches.py fails if a name here no longer names a cache.
"""

from __future__ import annotations

import sys

# (module, attribute): a functools cache (cache_clear) or a mapping (clear).
SHARED_CACHES = (
    ("openfisca_grants.simulation", "tax_benefit_system"),  # the baseline rules
    ("openfisca_grants.determinations", "catalogue"),  # every determination's description
    ("openfisca_grants.register", "register"),  # authorities and regions
    ("openfisca_grants.paid_bodies", "_listed"),  # who each Annex A lists and pays
    ("openfisca_grants.reforms", "_APPLIED"),  # reformed systems by baseline and changes
    ("openfisca_grants.compare", "_BASELINE_AMOUNTS"),  # baseline grants by system and year
    ("openfisca_grants.yaml_tests", "_file_reform_systems"),  # YAML cases' systems by reform files
    ("openfisca_grants.openfisca_adapter.yaml_runner", "runner_systems"),  # OpenFisca's runner's
)


def reset() -> None:
    """Empty every shared cache of the modules loaded (a module not loaded has nothing kept)."""
    for module_name, attribute in SHARED_CACHES:
        module = sys.modules.get(module_name)
        if module is None:
            continue
        cache = getattr(module, attribute)
        if hasattr(cache, "cache_clear"):
            cache.cache_clear()
        else:
            cache.clear()
