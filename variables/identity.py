"""Who is who in a simulation: the codes that tie each entity to the register of authorities."""

import numpy
from openfisca_core.periods import ETERNITY, YEAR
from openfisca_core.variables import Variable

from openfisca_grants.entities import LocalAuthority, Region
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.financial_year import FinancialYear
from openfisca_grants.lookup import by_code
from openfisca_grants.register import register


class gss_code(Variable):
    value_type = str
    entity = LocalAuthority
    definition_period = ETERNITY
    label = "ONS GSS code of the local authority (or other body paid)"
    reference = (
        "DfE list of local authorities (openfisca_grants/register/data/dfe_las.csv); combined "
        "authorities and the Greater London Authority: openfisca_grants/register/data/other_bodies.yaml"
    )
    documentation = """
    The authority's code in ONS's Government Statistical Service scheme, as DfE's list gives it
    (for example E09000007 for Camden); for a combined authority (E47...) or the Greater London
    Authority (E61000001), which a simulation holds in a year a letter pays one directly, the
    code ONS gives it, from the register's other bodies. Every per-authority rule looks the
    authority up by this code. A code unknown to the register, or of an authority that did not
    exist in the year asked, raises an error rather than counting as an authority that gets
    nothing.
    """


class region_code(Variable):
    value_type = str
    entity = Region
    definition_period = ETERNITY
    label = "ONS code of the region (E12000001 to E12000009)"
    reference = "ONS region codes, as DfE's list gives them (parent_geography_code)"


class local_authorities_in_region(Variable):
    value_type = int
    entity = Region
    definition_period = YEAR
    label = "Number of local authorities with children's services duties in the region on 1 April"
    reference = "DfE list of local authorities (openfisca_grants/register/data/dfe_las.csv)"
    documentation = """
    Counted from the dated register on the first day of the financial year, not from the
    members given in a simulation, so that a situation listing only some of a region's
    authorities still gets the region's true count. On 1 April 2024: North East 12, North West
    24, Yorkshire and The Humber 15, East Midlands 10, West Midlands 14, East of England 11,
    London 33, South East 19, South West 15 (153).
    """

    def formula(region, period):
        on = FinancialYear.of_period(period).start
        return by_code(
            region("region_code", period),
            register().count_by_region(on),
            dtype=numpy.int32,
            unknown=lambda codes: RulesCannotAnswer(
                f"Unknown region code(s): {', '.join(codes)}.",
                available="Region codes: "
                + ", ".join(f"{r.code} {r.name}" for r in register().regions)
                + ".",
            ),
        )
