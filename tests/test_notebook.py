"""The worked notebook in examples/ runs as written, in a Jupyter kernel, from a copy of examples/."""

import pathlib
import shutil

import nbformat
from nbclient import NotebookClient

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"


def test_the_worked_notebook_runs(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("notebook_output"))
    notebook = nbformat.read(EXAMPLES / "worked_analysis.ipynb", as_version=4)
    NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path / "examples")}},
    ).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    assert sum("image/png" in output.get("data", {}) for output in outputs) == 2
    assert (tmp_path / "examples" / "notebook_output" / "pot_sweep.png").is_file()
    printed = "".join(output.get("text", "") for output in outputs if output.output_type == "stream")
    assert printed.startswith("vectorised - checked one at a time at: [20000.0, 27600.0, 34800.0]")
