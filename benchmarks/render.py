"""Benchmark: a sweep of 1,000,000 values written as CSV by the command line, end to end.

    .venv/bin/python benchmarks/render.py                  # 1,000,000 values, best of 3
    .venv/bin/python benchmarks/render.py --values 100000 --repeat 5

Target (README, "Performance"): at most 5 s and 500 MB (peak resident memory of the process),
the sweep's computation and its self-check included. Each run is a fresh process writing to a
file, so that what is measured is what a user waits for. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

PARAMETER = "riia_31_7421.regional_data_coordinator.london_weighting"


def one_run(values: int) -> tuple[float, float, int]:
    """Seconds, peak MB and bytes written, for one fresh `openfisca-grants sweep ... --format csv`."""
    command = [
        sys.executable,
        "-c",
        "import sys; from openfisca_grants.cli import main; sys.exit(main())",
        "sweep",
        PARAMETER,
        "--from",
        "0",
        "--to",
        "1",
        "--steps",
        str(values),
        "--year",
        "2024-25",
        "--format",
        "csv",
    ]
    with tempfile.TemporaryFile() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(command, stdout=out, check=True)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        written = os.fstat(out.fileno()).st_size
    # ru_maxrss of children is the largest child so far, in kB on Linux.
    return seconds, max(peak, before) / 1024, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [one_run(args.values) for _ in range(args.repeat)]
    best = min(runs)
    print(
        json.dumps(
            {
                "values": args.values,
                "best_seconds": round(best[0], 2),
                "peak_megabytes": round(max(r[1] for r in runs)),
                "csv_bytes": best[2],
                "load_average": os.getloadavg()[0],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
