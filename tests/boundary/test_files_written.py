"""Files the commands write (charts, workbooks, CSV): never over another, never through a link,
never a formula a reform file smuggles in, never a value cut short."""

from __future__ import annotations

import os

from fuzz import run_cli

WEIGHTING = "riia_31_7421.regional_data_coordinator.london_weighting"
COMPARE = ["compare", "--set", f"{WEIGHTING}=20%", "--year", "2024-25"]


def test_an_existing_chart_is_kept_unless_forced(tmp_path):
    chart = tmp_path / "london.png"
    chart.write_bytes(b"an earlier chart")
    status, _, err = run_cli([*COMPARE, "--chart", str(chart)])
    assert status == 2
    assert f"'{chart}' exists already: it is not overwritten. Choose another name, or add --force" in err
    assert chart.read_bytes() == b"an earlier chart"
    status, _, _ = run_cli([*COMPARE, "--chart", str(chart), "--force"])
    assert status == 0
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert list(tmp_path.iterdir()) == [chart], "no partial file left behind"


def test_a_chart_into_a_folder_or_an_unwritable_place(tmp_path):
    (tmp_path / "folder.png").mkdir()
    status, _, err = run_cli([*COMPARE, "--chart", str(tmp_path / "folder.png"), "--force"])
    assert status == 2 and "it is a folder. Give a file name." in err
    status, _, err = run_cli([*COMPARE, "--chart", "/proc/chart.png"])
    assert status == 2 and "Cannot write '/proc/chart.png'" in err


def test_a_chart_never_writes_through_a_planted_link(tmp_path):
    victim = tmp_path / "important.txt"
    victim.write_text("keep me")
    for name in (".chart.partial.png", ".chart.png"):
        (tmp_path / name).symlink_to(victim)
    status, _, _ = run_cli([*COMPARE, "--chart", str(tmp_path / "chart.png")])
    assert status == 0
    assert victim.read_text() == "keep me"
    assert (tmp_path / "chart.png").read_bytes()[:4] == b"\x89PNG"


def test_a_chart_gets_the_permissions_of_an_ordinary_new_file(tmp_path):
    chart = tmp_path / "chart.png"
    assert run_cli([*COMPARE, "--chart", str(chart)])[0] == 0
    mask = os.umask(0)
    os.umask(mask)
    assert chart.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_workbook_never_runs_what_a_reform_file_says(tmp_path):
    import openpyxl

    reform = tmp_path / "reform.yaml"
    reform.write_text(
        f'name: "=HYPERLINK(\\"http://x\\",\\"y\\")"\ndescription: "=1+1"\nchanges:\n  - parameter: {WEIGHTING}\n    value: 20%\n'
    )
    workbook = tmp_path / "out.xlsx"
    assert run_cli(["compare", str(reform), "--year", "2024-25", "--output", str(workbook)])[0] == 0
    cells = [cell for sheet in openpyxl.load_workbook(workbook) for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert any(cell.value == "=1+1" for cell in cells)


def test_a_sweep_too_long_for_a_workbook_is_refused_before_any_work(tmp_path):
    status, _, err = run_cli(
        [
            "sweep",
            WEIGHTING,
            "--from",
            "0",
            "--to",
            "0.3",
            "--steps",
            "120000",
            "--year",
            "2024-25",
            "--output",
            str(tmp_path / "s.xlsx"),
        ]
    )
    assert status == 2 and "a workbook holds a sweep of at most 100,000 values" in err


def test_swept_values_are_written_with_every_digit(tmp_path):
    framework = "riia_31_7421.national_framework_implementation.amount_per_region"
    status, out, _ = run_cli(
        [
            "sweep",
            framework,
            "--from",
            "1000000.01",
            "--to",
            "1000000.03",
            "--steps",
            "3",
            "--year",
            "2024-25",
            "--format",
            "csv",
        ]
    )
    assert status == 0
    assert [line.split(",")[0] for line in out.splitlines()[1:]] == ["1000000.01", "1000000.02", "1000000.03"]
