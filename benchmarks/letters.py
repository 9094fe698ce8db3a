"""How long a letter of 150 Annex A rows takes to read in each layout, and its rows to resolve.

    .venv/bin/python benchmarks/letters.py [ROWS]     # default 150 (DfE's largest Annexes)

Letters are generated (tests/letter_factory.py, needs the dev install); each is read five times
(``letters.read_letter_file``: the file, every line of Annex A classified, the total checked) and
its rows resolved once with the register on 1 April 2024. A measurement, not a test.
"""

from __future__ import annotations

import pathlib
import random
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))

import letter_factory as factory  # noqa: E402

from openfisca_grants.letters import read_letter_file  # noqa: E402
from openfisca_grants.scaffold import _resolved_rows  # noqa: E402


def main(rows: int = 150) -> None:
    folder = pathlib.Path(tempfile.mkdtemp(prefix="letters-benchmark-"))
    for layout in factory.LAYOUTS:
        spec = factory.spec(random.Random(layout), layout, rows=rows, year="2024-25")
        letter, annex, _ = factory.write(spec, folder / layout)
        sheet = "Annex A" if annex is not None and annex.suffix == ".xlsx" else None
        read = read_letter_file(letter, annex, sheet)
        started = time.perf_counter()
        for _ in range(5):
            read = read_letter_file(letter, annex, sheet)
        reading = (time.perf_counter() - started) / 5
        started = time.perf_counter()
        _resolved_rows(read.letter)
        resolving = time.perf_counter() - started
        print(
            f"{layout:13} read {reading * 1000:6.1f} ms   resolved {resolving * 1000:6.1f} ms   "
            f"{len(read.letter.annex_a.rows)} rows, {len(read.letter.annex_a.lines)} lines classified"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150)
