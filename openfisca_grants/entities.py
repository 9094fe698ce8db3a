"""The entities grants are paid to and counted over: local authorities, regions, and England.

* ``local_authority``: one per authority with children's services duties, identified by its
  ONS GSS code (the variable ``gss_code``). OpenFisca's "person" entity.
* ``region``: one of the nine English regions (``region_code``), whose members are the
  authorities in it. Its lead body, the body a regional grant is paid to, is data about the
  region rather than a member, because it need not be an authority at all: in 2024-25 the West
  Midlands is paid through the West Midlands Combined Authority.
* ``country``: England, whose members are all the authorities, for national totals.
"""

from openfisca_core.entities import build_entity

LocalAuthority = build_entity(
    key="local_authority",
    plural="local_authorities",
    label="A local authority with children's services duties in England",
    doc="""
    One authority, identified by its ONS GSS code (``gss_code``), as in DfE's list of local
    authorities. Per-authority grants (for example the 2016-17 Innovation Programme grant)
    are variables of this entity.
    """,
    is_person=True,
)

Region = build_entity(
    key="region",
    plural="regions",
    label="An English region (ONS region, E12000001 to E12000009)",
    doc="""
    One of the nine English regions, identified by its ONS code (``region_code``). Its members
    are the local authorities in it. Regional grants (for example the 2024-25 Regional
    Improvement and Innovation Alliance grant) are variables of this entity.
    """,
    # The ordinary member role comes first: OpenFisca gives an authority that a situation does
    # not place in any region a region of its own with the first role.
    roles=[
        {
            "key": "member",
            "plural": "members",
            "label": "Member authority",
            "doc": "An authority with children's services duties in the region.",
        },
    ],
)

Country = build_entity(
    key="country",
    plural="countries",
    label="England, as the set of all its authorities",
    doc="""
    England, whose members are all its local authorities: national totals of a grant are
    variables of this entity.
    """,
    roles=[
        {
            "key": "authority",
            "plural": "authorities",
            "label": "Authority",
            "doc": "A local authority in England.",
        },
    ],
)

entities = [LocalAuthority, Region, Country]
