"""YAML test cases as analysts write them: the rest of the country from the register, reforms by file.

Installed into OpenFisca's YAML test runner (``openfisca test FILE -c openfisca_grants`` and
``pytest``, which use the same runner) by ``openfisca_adapter.yaml_runner`` when
``openfisca_grants`` is imported:

* **The whole country.** A case that places one region (or a few) is run with the rest of the
  year's England filled in from the register: every authority of the year in its region, every
  region, all in one country. So a formula that shares a national pot between the regions gives
  in a case what it gives in ``compare``. A region given by ``region_code`` alone gets its
  authorities too. A case that gives ``countries`` itself is run as written. Outputs written as
  one value for a variable are checked on the entities the case placed, not on those filled in.
  Where the runner cannot place the case in the country (a period that is not a financial year,
  a region it cannot identify), the case fails saying why.
* **Reforms by file.** A case's ``reforms:`` may name a YAML reform file or a Python reform file
  (``.yaml``, ``.yml`` or ``.py``) by its path relative to the test file, as the command line
  takes them (``compare FILE``); dotted Python names work as OpenFisca's runner has them work.
"""

from __future__ import annotations

import contextlib
import contextvars
import pathlib
import re

from openfisca_grants.errors import RulesCannotAnswer

REFORM_FILE_SUFFIXES = (".yaml", ".yml", ".py")
_GSS = re.compile(r"E\d{8}")
_case_file: contextvars.ContextVar[pathlib.Path | None] = contextvars.ContextVar("case_file", default=None)
_file_reform_systems: dict = {}


@contextlib.contextmanager
def reading_case_file(path: pathlib.Path):
    """While a case of the file at ``path`` runs: its reform files are read relative to it."""
    token = _case_file.set(path)
    try:
        yield
    finally:
        _case_file.reset(token)


def system_for(original_system, baseline, reforms, extensions):
    """The runner's system for a case, with reform files applied in the order the case lists them.

    ``original_system`` is the runner's own (``_get_tax_benefit_system``), for dotted names.
    """
    reforms = reforms if isinstance(reforms, list) else ([reforms] if reforms else [])
    for reform in reforms:
        is_path = isinstance(reform, str) and ("/" in reform or "\\" in reform)
        if (
            not isinstance(reform, str)
            or not reform.strip()
            or (is_path and not reform.endswith(REFORM_FILE_SUFFIXES))
        ):
            from openfisca_grants.errors import RulesCannotAnswer

            raise RulesCannotAnswer(
                f"reforms: {reform!r} is not a reform: give a reform file's path (.yaml or .py, "
                "relative to the test file) or an OpenFisca reform's dotted name."
            )
    if not any(str(r).endswith(REFORM_FILE_SUFFIXES) for r in reforms):
        return original_system(baseline, reforms, extensions)
    from openfisca_grants import reforms as reform_files

    resolved = [_reform_path(r) if str(r).endswith(REFORM_FILE_SUFFIXES) else r for r in reforms]
    key = (id(baseline), tuple(str(r) for r in resolved), frozenset(extensions or []))
    if key not in _file_reform_systems:
        system = original_system(baseline, [], extensions)
        for reform in resolved:
            if isinstance(reform, pathlib.Path):
                spec = reform_files.load(reform, system)
                if spec.budget_neutral:
                    # A case computes variables, each body's own formula; budget neutral scales a
                    # comparison's amounts together. Silently computing without it would differ
                    # from what 'compare FILE' prints.
                    raise RulesCannotAnswer(
                        f"{reform}: budget_neutral: true scales a comparison's amounts to the "
                        "baseline total; a YAML case computes each variable by its formula, so it "
                        "cannot honour it.",
                        hint="Assert the scaled figures with 'openfisca-grants compare FILE', or "
                        "drop budget_neutral from the file the case uses.",
                    )
                system = reform_files.apply(spec, system)
            else:
                system = system.apply_reform(reform)
        _file_reform_systems[key] = system
    return _file_reform_systems[key]


def _reform_path(reform: str) -> pathlib.Path:
    case_file = _case_file.get()
    base = case_file.parent if case_file else pathlib.Path.cwd()
    path = (base / reform).resolve()
    if not path.is_file():
        raise RulesCannotAnswer(
            f"The case's reform file '{reform}' does not exist: looked for {path}"
            + (f" (relative to the test file {case_file})." if case_file else ".")
        )
    return path


# ---- the rest of the country -----------------------------------------------------------------


def whole_country(situation, output, period, system):
    """The case's situation with the rest of the year's country, and its outputs on what it placed.

    Returns ``(situation, output)`` unchanged for a case that places no region or that gives
    its own ``countries``.
    """
    if not isinstance(situation, dict) or "regions" not in situation or "countries" in situation:
        return situation, output
    from openfisca_core import periods

    from openfisca_grants.financial_year import FinancialYear
    from openfisca_grants.register import register

    try:
        year = FinancialYear.of_period(periods.period(str(period)))
    except (RulesCannotAnswer, ValueError) as error:
        raise RulesCannotAnswer(
            f"This case places a region, so the runner fills in the rest of England from the "
            f"register for the case's financial year; but its period '{period}' is not a financial "
            "year (write year:2024-04 for 2024-25).",
            hint=str(error),
        ) from None
    regions = {key: dict(value or {}) for key, value in situation["regions"].items()}
    authorities = {key: dict(value or {}) for key, value in situation.get("local_authorities", {}).items()}
    placed = {"regions": list(regions), "local_authorities": list(authorities)}

    code_of_region = {}
    for region_id, region in regions.items():
        code_of_region[region_id] = _region_code(region_id, region, register())
    codes_given = {_authority_code(key, value) for key, value in authorities.items()} - {None}
    id_of_code = {_authority_code(key, value): key for key, value in authorities.items()}
    region_of_code = {code: region_id for region_id, code in code_of_region.items()}
    for region in register().regions:
        if region.code not in region_of_code:
            region_id = region.key if region.key not in regions else region.code
            regions[region_id] = {"region_code": region.code}
            region_of_code[region.code] = region_id
    members = {region_id: list(region.get("members", [])) for region_id, region in regions.items()}
    in_a_region = {member for listed in members.values() for member in listed}
    from openfisca_grants.simulation import bodies_of_year

    given_payees = [b for b in register().payees_in_year(year.start) if b.code in codes_given]
    # The year's bodies as build_simulation holds them, and any other body the case names.
    for authority in dict.fromkeys([*bodies_of_year(year), *given_payees]):
        if authority.code not in codes_given:
            authorities[authority.code] = {"gss_code": authority.code}
            id_of_code[authority.code] = authority.code
        authority_id = id_of_code[authority.code]
        if authority_id not in in_a_region:
            members[region_of_code[authority.region_code]].append(authority_id)
            in_a_region.add(authority_id)
    for region_id, listed in members.items():
        regions[region_id]["members"] = listed
    filled = {
        **situation,
        "local_authorities": authorities,
        "regions": regions,
        "countries": {"england": {"authorities": list(authorities)}},
    }
    return filled, _on_placed_entities(output, placed, system)


def _region_code(region_id: str, region: dict, the_register) -> str:
    code = region.get("region_code")
    if isinstance(code, dict):  # {period: code}
        code = next(iter(code.values()), None)
    if code is None:
        known = {r.key: r.code for r in the_register.regions} | {r.code: r.code for r in the_register.regions}
        code = known.get(region_id)
    if code is None or code not in {r.code for r in the_register.regions}:
        raise RulesCannotAnswer(
            f"This case places the region '{region_id}', but the runner cannot tell which region it "
            f"is (region_code: {code!r}), so it cannot fill in the rest of England from the register.",
            available="Give region_code, one of: "
            + ", ".join(f"{r.code} {r.name}" for r in the_register.regions)
            + ".",
        )
    return code


def _authority_code(authority_id: str, authority: dict) -> str | None:
    code = authority.get("gss_code")
    if isinstance(code, dict):
        code = next(iter(code.values()), None)
    if code is None and _GSS.fullmatch(str(authority_id)):
        return str(authority_id)
    return code


def _on_placed_entities(output, placed: dict, system):
    """Outputs written as one value per variable, checked on the entities the case placed only."""
    if not isinstance(output, dict):
        return output
    result = {}
    for key, expected in output.items():
        variable = system.variables.get(key)
        plural = variable.entity.plural if variable is not None else None
        if plural not in placed or not placed[plural]:
            result[key] = expected  # a country's variable, or an entity the case did not place
            continue
        ids = placed[plural]
        per_id = expected if isinstance(expected, list) and len(expected) == len(ids) else None
        for index, entity_id in enumerate(ids):
            value = per_id[index] if per_id is not None else expected
            result.setdefault(plural, {}).setdefault(entity_id, {})[key] = value
    for plural in placed:  # outputs the case already wrote per entity
        if plural in output and isinstance(output[plural], dict):
            for entity_id, values in output[plural].items():
                result.setdefault(plural, {}).setdefault(entity_id, {}).update(values)
    return result
