"""A third-party fuzzer (schemathesis), driven by the Web API's own OpenAPI document at /spec.

Every operation the document describes is called in-process with requests generated from it,
valid and invalid alike, and each answer must be no server error and what the document says:
a status it lists, its content type, a body of its schema. A refusal the app gives but the
document does not list (a 415, say), or a value of another type than the document's schema,
fails here. Bounded and derandomized: a fixed set of requests a run, in seconds.

Not checked: that every situation the document's schema allows is answered 200. The schema
is OpenFisca's, for any country package; these rules refuse, with a 400 naming the reason,
situations they cannot answer (a year no determination governs, an authority not paid), as
the document says a 400 may be.
"""

from __future__ import annotations

import schemathesis
from fuzz import CASES
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from openfisca_grants.simulation import tax_benefit_system
from openfisca_grants.web.openfisca_api import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 25

schema = schemathesis.openapi.from_wsgi("/spec", create_app(tax_benefit_system()))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_what_the_spec_says(case):
    CASES["HTTP (Web API, generated from its /spec)"] += 1
    case.call_and_validate(checks=CHECKS)
