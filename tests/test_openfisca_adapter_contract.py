"""What openfisca_grants.openfisca_adapter relies on in openfisca-core, held by what it does.

Each test exercises one assumption of the adapter through openfisca-core itself, so that an
upgrade of core that changes its meaning fails here, by name, while a harmless rename inside
core that the adapter follows passes. Nothing here reads core's source text. The amounts come
from the encoded rules at run time (the first determination of the catalogue, its first body
paid), never from a year or determination assumed to be encoded.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys
import textwrap
from dataclasses import dataclass

import numpy
import pytest
import yaml
from yaml_cases import openfisca_test

from openfisca_grants import determinations, reforms, within_country, yaml_tests
from openfisca_grants.errors import RulesCannotAnswer
from openfisca_grants.money import MONEY_DTYPE, MONEY_UNIT, format_pounds
from openfisca_grants.openfisca_adapter import (
    argparse_options,
    parameters,
    populations,
    tracing,
    variables,
    web_api,
)
from openfisca_grants.register import register
from openfisca_grants.simulation import amounts_in_pence, build_simulation, tax_benefit_system

ROOT = pathlib.Path(__file__).resolve().parent.parent


@dataclass
class Subject:
    """One body's grant under one determination, and a parameter change that moves it."""

    determination: determinations.Determination
    code: str
    region_code: str
    pence: int
    parameter: str  # a money parameter the grant's formula reads
    value_text: str  # its reformed value, as a reform file writes it
    reformed_pence: int

    @property
    def year(self):
        return self.determination.financial_year


@pytest.fixture(scope="module")
def subject() -> Subject:
    system = tax_benefit_system()
    for determination in determinations.catalogue():
        year = determination.financial_year
        simulation = build_simulation(year, system)
        tracing.start_tracing(simulation)
        amounts = amounts_in_pence(simulation, determination.grant_variable, year)
        read = tracing.parameters_read(simulation)
        code = next((code for code, pence in amounts.items() if pence > 0), None)
        if code is None:
            continue
        region_code = code if determination.paid_per == "region" else register().authority(code).region_code
        for row in reforms.changeable_parameters(system, year.label):
            if row["unit"] != MONEY_UNIT or row["parameter"] not in read or not row["value"]:
                continue
            value_text = f"{row['value'] + 1000:.2f}"
            change = reforms.parse_set(f"{row['parameter']}={value_text}", year.label, system)
            reformed = reforms.apply(reforms.from_changes("contract", [change]), system)
            reformed_pence = amounts_in_pence(
                build_simulation(year, reformed), determination.grant_variable, year
            )[code]
            if reformed_pence != amounts[code]:
                return Subject(
                    determination,
                    code,
                    region_code,
                    amounts[code],
                    row["parameter"],
                    value_text,
                    reformed_pence,
                )
    pytest.fail("No encoded determination pays a body through a money parameter a reform can change.")


def _pounds(pence: int) -> float:
    return round(pence / 100, 2)


# ---- the YAML test runner ----------------------------------------------------------------------


def _case(subject: Subject, name: str, pence: int, reform: str | None = None) -> dict:
    """A case placing the body's region (the rest of England filled in by the runner)."""
    if subject.determination.paid_per == "region":
        situation = {"regions": {"paid": {"region_code": subject.region_code}}}
    else:
        situation = {
            "local_authorities": {"paid": {"gss_code": subject.code}},
            "regions": {"its_region": {"region_code": subject.region_code, "members": ["paid"]}},
        }
    case = {
        "name": name,
        "period": f"year:{subject.year.start_year}-04",
        "input": situation,
        "output": {subject.determination.grant_variable: _pounds(pence)},
    }
    if reform:
        case["reforms"] = [reform]
    return case


@pytest.fixture(scope="module")
def runner_run(subject, tmp_path_factory) -> subprocess.CompletedProcess:
    """`openfisca test` on cases written from the rules: as exact, 1p out, and under a reform file."""
    folder = tmp_path_factory.mktemp("cases")
    (folder / "reforms").mkdir()
    (folder / "reforms" / "moved.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "moved",
                "changes": [
                    {"parameter": subject.parameter, "value": subject.value_text, "year": subject.year.label}
                ],
            }
        ),
        encoding="utf-8",
    )
    region_alone = {
        "name": "the region alone",
        "period": f"year:{subject.year.start_year}-04",
        "input": {"regions": {"placed": {"region_code": subject.region_code}}},
        "output": {"local_authorities_in_region": len(_authorities_of(subject))},
    }
    cases = [
        region_alone,
        _case(subject, "exact", subject.pence),
        _case(subject, "one penny more", subject.pence + 1),
        _case(subject, "one penny less", subject.pence - 1),
        _case(subject, "under the reform file", subject.reformed_pence, "reforms/moved.yaml"),
        _case(
            subject, "under the reform file, one penny out", subject.reformed_pence + 1, "reforms/moved.yaml"
        ),
    ]
    (folder / "cases.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    return openfisca_test("-v", "cases.yaml", "-c", "openfisca_grants", cwd=folder)


def _authorities_of(subject: Subject) -> list[str]:
    return [
        a.code for a in register().authorities_on(subject.year.start) if a.region_code == subject.region_code
    ]


def _outcome(run: subprocess.CompletedProcess, name: str) -> str:
    lines = [line for line in run.stdout.splitlines() if line.startswith(f"cases.yaml::{name} ")]
    assert len(lines) == 1, f"case {name!r} reported {len(lines)} times:\n{run.stdout[-3000:]}"
    return lines[0][len(f"cases.yaml::{name} ") :].split()[0]


def test_a_yaml_case_one_penny_out_fails_through_the_runner(runner_run, subject):
    assert _outcome(runner_run, "exact") == "PASSED", runner_run.stdout[-3000:]
    assert _outcome(runner_run, "one penny more") == "FAILED"
    assert _outcome(runner_run, "one penny less") == "FAILED"
    expected = format_pounds(subject.pence + 1)
    assert f"differs from {expected} by -£0.01 (money is compared in whole pence)" in runner_run.stdout


def test_a_reform_file_named_in_a_case_resolves_relative_to_the_case(runner_run, subject):
    assert subject.reformed_pence != subject.pence
    assert _outcome(runner_run, "under the reform file") == "PASSED", runner_run.stdout[-3000:]
    assert _outcome(runner_run, "under the reform file, one penny out") == "FAILED"
    assert "3 failed, 3 passed" in runner_run.stdout


def test_a_case_placing_a_region_is_run_with_the_rest_of_the_country(runner_run, subject):
    """The runner's runtest fills in the region's authorities (and England) from the register."""
    assert _outcome(runner_run, "the region alone") == "PASSED", runner_run.stdout[-3000:]


def test_the_runner_takes_a_reform_file_through_its_own_system_lookup(subject, tmp_path):
    """The runner's _get_tax_benefit_system, asked for a case's reform file, applies it."""
    from openfisca_core.tools import test_runner

    (tmp_path / "moved.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "moved",
                "changes": [
                    {"parameter": subject.parameter, "value": subject.value_text, "year": subject.year.label}
                ],
            }
        ),
        encoding="utf-8",
    )
    with yaml_tests.reading_case_file(tmp_path / "case.yaml"):
        system = test_runner._get_tax_benefit_system(tax_benefit_system(), ["moved.yaml"], [])
    amounts = amounts_in_pence(
        build_simulation(subject.year, system), subject.determination.grant_variable, subject.year
    )
    assert amounts[subject.code] == subject.reformed_pence


RUNTIME_ONLY = textwrap.dedent(
    """
    import sys
    # As on a machine with only `pip install .`: none of the dev extras can be imported.
    for name in ("hypothesis", "xdist", "selenium", "nbformat", "nbclient", "sphinx", "schemathesis"):
        sys.modules[name] = None
    from openfisca_core.scripts.openfisca_command import main
    sys.argv = ["openfisca", "test", "-v", "tests/reform_cases", "-c", "openfisca_grants"]
    sys.exit(main())
    """
)


def test_openfisca_test_collects_each_case_once_with_the_runtime_install_only():
    cases = [
        case
        for path in sorted((ROOT / "tests" / "reform_cases").rglob("*.yaml"))
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    result = subprocess.run(
        [sys.executable, "-c", RUNTIME_ONLY],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"collected {len(cases)} items" in result.stdout, result.stdout[-3000:]
    for case in cases:  # each under its own name, once
        assert result.stdout.count(f"::{case['name']} PASSED") == 1, case["name"]


# ---- parameters injected for a sweep -------------------------------------------------------------


def test_a_two_copy_sweep_with_injected_values_equals_one_value_at_a_time(subject):
    from openfisca_grants import sweep

    current = subject.pence  # any two values: the current one and the reform's
    values = [
        reforms.leaves(tax_benefit_system())[subject.parameter](subject.year.start.isoformat()),
        float(subject.value_text),
    ]
    fast = sweep.sweep(subject.parameter, values, subject.year.label)
    slow = sweep.sweep_one_at_a_time(subject.parameter, values, subject.year.label)
    assert fast.method == sweep.VECTORISED, fast.note  # the injected arrays were read as such
    assert (fast.pence == slow.pence).all()
    column = fast.codes.index(subject.code)
    assert fast.pence[:, column].tolist() == [current, subject.reformed_pence]


def test_a_value_given_to_a_leaf_is_what_formulas_read(subject):
    system = tax_benefit_system().clone()
    leaf = parameters.numeric_leaf_as_read(system, subject.year.period, subject.parameter)
    assert leaf is not None
    leaf.give(float(subject.value_text))
    amounts = amounts_in_pence(
        build_simulation(subject.year, system), subject.determination.grant_variable, subject.year
    )
    assert amounts[subject.code] == subject.reformed_pence


def test_a_leaf_that_is_not_a_number_is_not_offered(subject):
    *parents, _ = subject.parameter.split(".")
    assert (
        parameters.numeric_leaf_as_read(tax_benefit_system(), subject.year.period, ".".join(parents)) is None
    )


# ---- populations ---------------------------------------------------------------------------------


def _two_countries():
    """Four authorities in three regions, in two countries: a0 a1 | a2 in c0; a3 in c1."""
    return populations.simulation_from_arrays(
        tax_benefit_system(),
        ids={
            "local_authorities": numpy.array(["a0", "a1", "a2", "a3"]),
            "regions": numpy.array(["r0", "r1", "r2"]),
            "countries": numpy.array(["c0", "c1"]),
        },
        memberships={"regions": [0, 0, 1, 2], "countries": [0, 0, 0, 1]},
    )


def test_a_simulation_built_from_arrays_places_each_member_in_its_groups():
    simulation = _two_countries()
    regions = simulation.get_population("regions")
    countries = simulation.get_population("countries")
    assert list(populations.ids(simulation, "regions")) == ["r0", "r1", "r2"]
    assert populations.index_of(simulation, "regions", "r2") == 2
    assert within_country.country_of(regions).tolist() == [0, 0, 1]
    assert within_country.total_of_country(regions, [1.0, 2.0, 4.0]).tolist() == [3.0, 3.0, 4.0]
    assert within_country.regions_in_country(regions).tolist() == [2, 2, 1]
    assert regions.nb_persons().tolist() == [2, 1, 1]
    assert within_country.once_per_region(countries, [5.0, 5.0, 7.0, 9.0]).tolist() == [5.0, 0.0, 7.0, 9.0]


# ---- the tracer ----------------------------------------------------------------------------------


def test_the_tracer_gives_the_parameters_a_formula_read_with_their_values(subject):
    simulation = build_simulation(subject.year)
    tracing.start_tracing(simulation)
    variable = subject.determination.grant_variable
    computed = simulation.calculate(variable, subject.year.period)
    tree = tracing.calculation_of(simulation, variable)
    assert tree.variable == variable and tree.period == str(subject.year.period)
    assert numpy.array_equal(tree.value, computed)

    def every(node):
        yield node
        for child in node.computed_from:
            yield from every(child)

    reads = {read.path: read.value for node in every(tree) for read in node.parameters}
    value = reforms.leaves(tax_benefit_system())[subject.parameter](subject.year.start.isoformat())
    assert reads[subject.parameter] == value
    assert subject.parameter in tracing.parameters_read(simulation)
    by_variable = tracing.parameters_read_by_variable(simulation)
    assert any(subject.parameter in read for read in by_variable.values())


def test_recording_only_the_parameters_read_finds_what_the_full_tracer_finds():
    # Every determination's grant: the same paths either way, so that compare's "read by no
    # formula" is what it was with the full tracer.
    compared = 0
    for determination in determinations.catalogue():
        year = determination.financial_year
        full, recorded = build_simulation(year), build_simulation(year)
        tracing.start_tracing(full)
        tracing.start_recording_parameters(recorded)
        try:
            full.calculate(determination.grant_variable, year.period)
        except RulesCannotAnswer:  # a formula not yet encoded: refused alike
            with pytest.raises(RulesCannotAnswer):
                recorded.calculate(determination.grant_variable, year.period)
            continue
        recorded.calculate(determination.grant_variable, year.period)
        assert tracing.parameters_read(recorded) == tracing.parameters_read(full)
        compared += bool(tracing.parameters_read(full))
        with pytest.raises(RuntimeError, match="only the parameters read"):
            tracing.calculations(recorded)
    assert compared


def test_a_simulation_not_traced_says_so_rather_than_reading_nothing(subject):
    simulation = build_simulation(subject.year)
    simulation.calculate(subject.determination.grant_variable, subject.year.period)
    with pytest.raises(RuntimeError, match="not traced"):
        tracing.parameters_read(simulation)


# ---- variables: money's dtype, formulas ----------------------------------------------------------


def test_money_is_stored_as_float64_and_keeps_every_penny(subject):
    system = tax_benefit_system()
    variable = system.variables[subject.determination.grant_variable]
    assert variables.storage_dtype(variable) == MONEY_DTYPE
    simulation = build_simulation(subject.year)
    paid = 1_637_997.91  # beyond float32's pennies (£167,772.16)
    count = len(populations.ids(simulation, variable.entity.plural))
    simulation.set_input(variable.name, subject.year.period, numpy.full(count, paid))
    values = simulation.calculate(variable.name, subject.year.period)
    assert values.dtype == MONEY_DTYPE
    assert round(float(values[0]) * 100) == 163_799_791 and float(values[0]) == paid


def test_a_variables_formulas_are_dated_from_its_determinations_year(subject):
    variable = tax_benefit_system().variables[subject.determination.grant_variable]
    dated = variables.formulas(variable)
    start = subject.year.start.isoformat()
    assert start in dated and callable(dated[start])


def test_an_arithmetic_expression_in_a_case_is_evaluated():
    assert variables.evaluate_expression("233200 + 11400") == 244600


# ---- the Web API app -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    from openfisca_grants.web.openfisca_api import create_app

    return create_app(tax_benefit_system()).test_client()


def _situation(subject) -> dict:
    variable = subject.determination.grant_variable
    if subject.determination.paid_per == "region":
        return {
            "local_authorities": {
                code: {"gss_code": {"ETERNITY": code}} for code in _authorities_of(subject)
            },
            "regions": {
                "paid": {
                    "region_code": {"ETERNITY": subject.region_code},
                    "members": _authorities_of(subject),
                    variable: {str(subject.year.period): None},
                }
            },
        }
    return {
        "local_authorities": {
            "paid": {"gss_code": {"ETERNITY": subject.code}, variable: {str(subject.year.period): None}}
        }
    }


def test_the_web_apis_endpoints_are_where_the_adapter_names_them(client):
    rules = {rule.endpoint: rule.rule for rule in client.application.url_map.iter_rules()}
    assert rules[web_api.ROOT] == "/"
    assert rules[web_api.SPEC] == "/spec"
    assert rules[web_api.CALCULATE] == "/calculate"
    assert rules[web_api.TRACE] == "/trace"
    assert web_api.SITUATION_PATHS == ("/calculate", "/trace")


def test_the_web_apis_endpoints_answer(client, subject):
    root = client.get("/", headers={"Accept": "application/json"})
    assert "welcome" in root.get_json()
    assert client.get("/spec").get_json()["openapi"].startswith("3.")
    situation = _situation(subject)
    calculated = client.post("/calculate", json=situation)
    assert calculated.status_code == 200, calculated.get_data(as_text=True)
    plural = "regions" if subject.determination.paid_per == "region" else "local_authorities"
    value = calculated.get_json()[plural]["paid"][subject.determination.grant_variable]
    assert round(value[str(subject.year.period)] * 100) == subject.pence
    traced = client.post("/trace", json=situation)
    assert traced.status_code == 200
    assert traced.get_json()["requestedCalculations"]


def test_the_checks_run_on_the_situation_endpoints(client, subject):
    """The boundary's checks are keyed by endpoint name: a wrong content type is refused on both."""
    for path in web_api.SITUATION_PATHS:
        answer = client.post(path, data=b"{}", content_type="text/plain")
        assert answer.status_code == 415 and "error" in answer.get_json()


def test_rules_that_cannot_answer_are_a_400_not_a_500(client, subject):
    """RulesCannotAnswer subclasses core's SituationParsingError, which the Web API answers 400."""
    from openfisca_grants.errors import RulesCannotAnswer

    situation = _situation(subject)
    with pytest.MonkeyPatch.context() as patch:

        def cannot(*args, **kwargs):
            raise RulesCannotAnswer("asked outside the rules")

        patch.setattr("openfisca_web_api.handlers.calculate", cannot)
        answer = client.post("/calculate", json=situation)
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert "asked outside the rules" in answer.get_data(as_text=True)


def test_openfisca_serve_builds_the_checked_app_for_these_rules():
    from openfisca_web_api.scripts import serve

    app = serve.create_app(tax_benefit_system())
    answer = app.test_client().post("/calculate", data=b"{}", content_type="text/plain")
    assert answer.status_code == 415  # OpenFisca's own app would answer otherwise


def test_the_spec_lists_what_the_situation_endpoints_refuse(client):
    spec = client.get("/spec").get_json()
    for path in web_api.SITUATION_PATHS:
        responses = spec["paths"][path]["post"]["responses"]
        assert {"200", "400", "413", "415"} <= set(responses)
        schema = responses["415"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}
    default_value = spec["components"]["schemas"]["Variable"]["properties"]["defaultValue"]
    assert {"type": "number"} in default_value["oneOf"]


# ---- argparse ------------------------------------------------------------------------------------


def test_every_option_of_every_subcommand_is_found():
    root = argparse.ArgumentParser()
    commands = root.add_subparsers()
    compare = commands.add_parser("compare")
    compare.add_argument("--year")
    compare.add_argument("--set", action="append")
    sweep = commands.add_parser("sweep")
    sweep.add_argument("--from", dest="start")
    options = argparse_options.options_of_subcommands(root)
    assert {"--year", "--set", "--from", "-h", "--help"} <= set(options)
    assert options["--from"].dest == "start"
    assert list(argparse_options.subcommands(root)) == ["compare", "sweep"]
    assert argparse_options.may_repeat(options["--set"])
    assert not argparse_options.may_repeat(options["--year"])
