"""Data out: DataFrames from the API, Excel workbooks from the command line, read back cell by cell."""

import pathlib
from decimal import Decimal

import openpyxl
import pytest
from catalogue_helpers import of_determination, sheet_name, ungoverned_year

from openfisca_grants import api, determinations
from openfisca_grants.cli import main

WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"
UNGOVERNED = ungoverned_year()
FULL_WEIGHTING = "determinations." + WEIGHTING


def test_allocations_table_has_exact_pence_beside_decimal_strings():
    table = api.allocations_table("2024-25")
    assert list(table.columns) == ["code", "name", "determination", "amount_pence", "amount"]
    assert str(table["amount_pence"].dtype) == "int64"
    south_west = table.set_index("code").loc["E12000009"]
    assert (south_west["amount_pence"], south_west["amount"]) == (26_060_000, "260600.00")
    assert table[table["determination"] == "31/7421"]["amount_pence"].sum() == 241_300_000


def test_compare_table_matches_compare():
    table = api.compare_table({WEIGHTING: "20%"}, "2024-25", total=True)
    table = table[table["determination"] == "31/7421"]  # a year may hold several determinations
    london = table.set_index("name").loc["London"]
    assert (london["baseline_pence"], london["reform_pence"], london["difference_pence"]) == (
        31_800_000,
        32_280_000,
        480_000,
    )
    assert london["difference"] == "4800.00"
    assert table.iloc[-1]["name"] == "Total" and table.iloc[-1]["difference_pence"] == 480_000


def test_sweep_and_grid_tables_are_long_form():
    table = api.sweep_table(WEIGHTING, [0.1, 0.2], "2024-25")
    assert len(table) == 18 and str(table["grant_pence"].dtype) == "int64"
    grid = api.grid_sweep_table(
        [WEIGHTING, "riia_31_7421.national_framework_implementation.amount_per_region"],
        [[0.1, 0.2], [27200, 30000, 35000]],
        "2024-25",
    )
    assert len(grid) == 2 * 3 * 9
    row = grid[(grid["name"] == "London") & (grid[FULL_WEIGHTING] == 0.2)].iloc[-1]
    assert row["grant_pence"] == 32_280_000 + (35_000 - 27_200) * 100


def test_reconcile_table_keeps_missing_amounts_missing():
    table = api.reconcile_table("2016-17")
    assert table["computed_pence"].sum() == 2 * 3_235_006_317  # 23 rows and the total
    assert table["formula_pence"].isna().all()


def _money_cells(sheet, header: str) -> list:
    column = [cell.value for cell in sheet[1]].index(header) + 1
    return [sheet.cell(row, column) for row in range(2, sheet.max_row + 1)]


def test_compare_workbook_read_back_cell_by_cell(tmp_path, capsys):
    path = tmp_path / "london.xlsx"
    argv = ["compare", "--set", f"{WEIGHTING}=20%", "--year", "2024-25", "--output", str(path)]
    assert main(argv) == 0
    assert f"Workbook written to {path}" in capsys.readouterr().err
    workbook = openpyxl.load_workbook(path)
    # One sheet per determination of the year (a year may hold several), then the reform and notes.
    assert workbook.sheetnames[-2:] == ["Parameters changed", "About"]
    assert len(workbook.sheetnames) == len(determinations.for_year("2024-25")) + 2
    assert "31-7421 2024-25" in workbook.sheetnames
    sheet = workbook["31-7421 2024-25"]
    comparisons = api.compare({WEIGHTING: "20%"}, "2024-25")
    expected = {row["name"]: row for row in of_determination(comparisons, "31/7421")["rows"]}
    names = [cell.value for cell in _money_cells(sheet, "name")]
    assert names[-1] == "Total" and names[:-1] == list(expected)
    for header, key in (
        ("baseline (£)", "baseline"),
        ("reform (£)", "reform"),
        ("difference (£)", "difference"),
    ):
        cells = _money_cells(sheet, header)
        for name, cell in zip(names, cells, strict=True):
            assert isinstance(cell.value, (int, float)), (name, header)
            assert "£" in cell.number_format
            if name != "Total":
                assert Decimal(str(cell.value)) == Decimal(expected[name][key])
    changed = list(workbook["Parameters changed"].iter_rows(values_only=True))
    assert changed[1][0] == FULL_WEIGHTING and changed[1][4:6] == (0.14, 0.2)
    assert "London weighting of 14% will be included." in changed[1][6]


def test_reconcile_and_sweep_workbooks(tmp_path):
    assert main(["reconcile", "--output", str(tmp_path / "r.xlsx")]) == 0
    workbook = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sheets = [sheet_name(d) for d in determinations.catalogue()]
    assert workbook.sheetnames == [*sheets, "Checks of the letters", "About"]
    assert "31-3010 2016-17" in sheets and "31-7421 2024-25" in sheets
    total = [c for c in _money_cells(workbook["31-3010 2016-17"], "published (£)")][-1]
    assert Decimal(str(total.value)) == Decimal("32350063.17")

    argv = ["sweep", WEIGHTING, "--from", "0", "--to", "0.3", "--steps", "4", "--year", "2024-25"]
    assert main([*argv, "--budget-neutral", "--output", str(tmp_path / "s.xlsx")]) == 0
    workbook = openpyxl.load_workbook(tmp_path / "s.xlsx")
    sheet = workbook["Sweep"]
    assert [c.value for c in sheet["A"]][1:] == [0, 0.1, 0.2, 0.3]
    for row in sheet.iter_rows(min_row=2, min_col=2):
        assert sum(Decimal(str(cell.value)) for cell in row) == Decimal("2413000")
    swept = list(workbook["Parameters changed"].iter_rows(values_only=True))[1]
    assert swept[0] == FULL_WEIGHTING and swept[5] == "swept: 4 values from 0 to 0.3"


@pytest.mark.parametrize("command", ["reconcile", "compare", "sweep"])
def test_output_must_be_an_xlsx_file(command, tmp_path, capsys):
    argv = {
        "reconcile": ["reconcile"],
        "compare": ["compare", "--set", f"{WEIGHTING}=20%", "--year", "2024-25"],
        "sweep": ["sweep", WEIGHTING, "--from", "0", "--to", "0.3", "--steps", "2", "--year", "2024-25"],
    }[command]
    assert main([*argv, "--output", str(tmp_path / "out.csv")]) == 2
    assert "a workbook is written as .xlsx" in capsys.readouterr().err
    assert not pathlib.Path(tmp_path / "out.csv").exists()


def test_an_existing_workbook_is_not_overwritten_without_force(tmp_path, capsys):
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"mine")
    assert main(["reconcile", "--output", str(path)]) == 2
    assert "exists already: it is not overwritten" in capsys.readouterr().err
    assert path.read_bytes() == b"mine"
    assert main(["reconcile", "--output", str(path), "--force"]) == 0
    assert openpyxl.load_workbook(path).sheetnames[0] == sheet_name(determinations.catalogue()[0])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: api.compare_table({WEIGHTING: "20%"}, "2024-25", total="yes"), "is not true or false"),
        (lambda: api.compare_table(None, "2024-25"), "compare needs a reform"),
        (lambda: api.sweep_table(WEIGHTING, [], "2024-25"), "sweep"),
        (lambda: api.grid_sweep([WEIGHTING], [[0.1]], "2024-25"), "A grid sweep takes two parameters"),
        (lambda: api.reconcile_table(UNGOVERNED), f"No encoded determination governs {UNGOVERNED}"),
    ],
)
def test_table_functions_refuse_bad_arguments_clearly(call, message):
    from openfisca_grants.errors import RulesCannotAnswer

    with pytest.raises(RulesCannotAnswer, match=message):
        call()
