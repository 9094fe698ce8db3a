"""Benchmarks: sweep speed (vectorised, one at a time, raw numpy), grid sweeps, memory, cold start, what-ifs.

    .venv/bin/python benchmarks/run.py              # all, with the figures for the README
    .venv/bin/python benchmarks/run.py whatif --whatifs 2000
    .venv/bin/python benchmarks/run.py sweep --values 100000 --sample 200
    .venv/bin/python benchmarks/run.py grid --grid 300
    .venv/bin/python benchmarks/run.py memory --memory-values 1000000
    .venv/bin/python benchmarks/run.py startup --repeat 5

Targets (see README, "Performance"): a sweep of 100,000 values, its self-check included (three
values recomputed one at a time), at least 1,000x faster than one simulation per value and
within 10x of the same formula written directly in numpy; a 300 x 300 grid sweep timed; the peak
memory of a sweep of 1,000,000 values; a cold ``openfisca-grants reconcile`` at most 1.2x the
time to import and build openfisca-country-template and calculate one variable; in-process, a
what-if never asked before (its changes read, the reform applied, both sides compared) at most
1.5x one asked again (its reformed system kept). These are
measurements, not tests: a slow machine changes the seconds, and the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import numpy

PARAMETER = "determinations.riia_31_7421.regional_data_coordinator.london_weighting"
SECOND_PARAMETER = "determinations.riia_31_7421.national_framework_implementation.amount_per_region"
YEAR = "2024-25"


def best_of(repeat: int, function) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def numpy_formula(values: numpy.ndarray) -> numpy.ndarray:
    """The 2024-25 formula for the London weighting sweep, written directly in numpy (pence)."""
    from openfisca_grants.register import register

    counts = register().count_by_region(register_date())
    codes = [r.code for r in register().regions]
    authorities = numpy.array([counts[c] for c in codes])
    is_london = numpy.array([c == "E12000007" for c in codes])
    is_south_east = numpy.array([c == "E12000008" for c in codes])
    adjustment = numpy.array([11400.0 if c == "E12000009" else 0.0 for c in codes])
    coordinator = numpy.floor(80000.0 * (1 + values[:, None] * is_london) * 100 + 0.5) / 100
    total = coordinator + 94000.0 + 3200.0 * authorities + numpy.where(is_south_east, 90000.0, 0.0)
    total = total + 27200.0 + adjustment
    return numpy.rint(total * 100).astype(numpy.int64)


def register_date():
    from openfisca_grants.financial_year import FinancialYear

    return FinancialYear.parse(YEAR).start


def bench_sweep(count: int, sample: int, repeat: int) -> dict:
    from openfisca_grants.sweep import sweep, sweep_one_at_a_time

    values = numpy.linspace(0.0, 0.30, count)
    sweep(PARAMETER, values[:10], YEAR)  # load the rules once: start-up is measured apart
    vectorised = best_of(repeat, lambda: sweep(PARAMETER, values, YEAR))
    result = sweep(PARAMETER, values, YEAR)
    assert result.method == "vectorised" and len(result.checked) == 3  # the self-check ran

    sampled = values[:: max(1, count // sample)][:sample]
    one_at_a_time_sample = best_of(1, lambda: sweep_one_at_a_time(PARAMETER, sampled, YEAR))
    one_at_a_time = one_at_a_time_sample / len(sampled) * count

    raw = best_of(repeat, lambda: numpy_formula(values))
    same = numpy.array_equal(numpy_formula(values), result.pence)
    slow = sweep_one_at_a_time(PARAMETER, sampled, YEAR)
    assert numpy.array_equal(slow.pence, result.pence[:: max(1, count // sample)][:sample])
    return {
        "values": count,
        "vectorised_s": vectorised,
        "one_at_a_time_s": one_at_a_time,
        "one_at_a_time_sample": len(sampled),
        "numpy_s": raw,
        "speed_up_over_one_at_a_time": one_at_a_time / vectorised,
        "times_raw_numpy": vectorised / raw,
        "numpy_equals_vectorised": same,
    }


def bench_grid(size: int, repeat: int) -> dict:
    from openfisca_grants.sweep import grid_sweep, grid_sweep_one_at_a_time

    weightings = numpy.linspace(0.0, 0.30, size)
    amounts = numpy.round(numpy.linspace(20_000, 35_000, size), 2)
    grid_sweep((PARAMETER, SECOND_PARAMETER), (weightings[:3], amounts[:3]), YEAR)  # warm up
    seconds = best_of(repeat, lambda: grid_sweep((PARAMETER, SECOND_PARAMETER), (weightings, amounts), YEAR))
    result = grid_sweep((PARAMETER, SECOND_PARAMETER), (weightings, amounts), YEAR)
    assert result.method == "vectorised"
    corner = grid_sweep_one_at_a_time((PARAMETER, SECOND_PARAMETER), (weightings[-2:], amounts[-2:]), YEAR)
    assert numpy.array_equal(corner.pence, result.pence[-2:, -2:])
    return {"size": size, "pairs": size * size, "seconds": seconds}


MEMORY_PROGRAM = """
import json, resource, sys, tracemalloc
import numpy
from openfisca_grants.sweep import sweep
values = numpy.linspace(0.0, 0.30, int(sys.argv[1]))
sweep(sys.argv[2], values[:10], sys.argv[3])  # rules loaded before measuring
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
result = sweep(sys.argv[2], values, sys.argv[3])
_, peak = tracemalloc.get_traced_memory()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"method": result.method, "traced_peak_mb": peak / 2**20,
                  "rss_before_mb": before / 1024, "rss_peak_mb": after / 1024}))
"""


def bench_memory(count: int) -> dict:
    """Peak memory of one sweep of ``count`` values, in a fresh process (Linux: ru_maxrss in KiB)."""
    output = subprocess.run(
        [sys.executable, "-c", MEMORY_PROGRAM, str(count), PARAMETER, YEAR],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {"values": count, **json.loads(output)}


def bench_startup(repeat: int) -> dict:
    ours = [sys.executable, "-m", "openfisca_grants.cli", "reconcile"]
    template = [
        sys.executable,
        "-c",
        "from openfisca_country_template import CountryTaxBenefitSystem\n"
        "from openfisca_core.simulations import SimulationBuilder\n"
        "system = CountryTaxBenefitSystem()\n"
        "simulation = SimulationBuilder().build_default_simulation(system, 1)\n"
        "simulation.calculate('disposable_income', '2017-01')\n",
    ]

    # Both sides read their modules' .pyc files, as an installed package does (pip compiles a
    # wheel's at install; an editable install's are written by its first run). Where the
    # environment sets PYTHONDONTWRITEBYTECODE, the warm-up run would write none, and every run
    # would compile this package from source (about 40 ms) but not the template, installed
    # compiled: not what a user starts.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}

    def run(command) -> float:
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
        return time.perf_counter() - start

    run(ours), run(template)  # warm the file cache and write the .pyc files
    # Interleaved, so that a burst of load on the machine hits both sides of a pair alike.
    pairs = [(run(ours), run(template)) for _ in range(repeat)]
    return {
        "reconcile_s": statistics.median(o for o, _ in pairs),
        "country_template_s": statistics.median(t for _, t in pairs),
        "ratio": statistics.median(o / t for o, t in pairs),
    }


def deep_copy_reform(spec, system):
    """A parameter reform as openfisca-core makes it (``modify_parameters``: a deep copy of the
    whole parameter tree), as ``reforms`` did before it overlaid the changed leaves: the "before"."""
    from openfisca_grants import parameter_overlay

    changes = [(change.path, change.year.period, change.value) for change in spec.changes]
    return parameter_overlay.deep_copied_system(system, spec.name, changes)


def bench_whatif(count: int, repeat: int) -> dict:
    """What a what-if costs in-process, as the web app's /api/compare does it: read its --set
    through the boundary, apply it, compare. New: a London weighting never asked before in this
    process (ten-thousandths of a per cent, each once); again: one value asked over and over. Each
    run also times new what-ifs with the reform made by openfisca-core's deep copy, interleaved,
    so that before and after meet the same load."""
    from unittest import mock

    from openfisca_grants import reforms
    from openfisca_grants.compare import compare

    weighting = PARAMETER.removeprefix("determinations.")

    def whatif(percent: str) -> int:
        change = reforms.parse_set(f"{weighting}={percent}%", year=YEAR)
        (comparison,) = compare(reforms.from_changes(f"{weighting}={percent}%", [change]), YEAR)
        return comparison.reform_total_pence

    # London's coordinator is £80,000 x (1 + weighting): 8p more for each ten-thousandth of a
    # per cent; the rest unchanged.
    def expected_total(ten_thousandths: int) -> int:
        return 241300000 - 9120000 + 8000000 + 8 * ten_thousandths

    def timed(values) -> float:
        start = time.perf_counter()
        totals = [whatif(f"{v / 10000:.4f}") for v in values]
        seconds = time.perf_counter() - start
        assert totals == [expected_total(v) for v in values], "a what-if gave a wrong total"
        return seconds

    whatif("14")  # load the rules, the register and the baseline's grants once
    fresh = iter(range(1, 300_000))  # 0.0001% to 29.9999%, each asked once
    new_times, again_times, deep_copy_times = [], [], []
    for _ in range(repeat):
        # In slices of 50, the three kinds in turn, so that a burst of load on the machine (or a
        # garbage collection) falls on each kind alike.
        new_seconds = again_seconds = deep_copy_seconds = 0.0
        for _ in range(count // 50):
            new_seconds += timed([next(fresh) for _ in range(50)])
            again_seconds += timed([200_000] * 50)  # 20%
            with mock.patch.object(reforms, "_parameter_reform", deep_copy_reform):
                deep_copy_seconds += timed([next(fresh) for _ in range(50)])
        slices = count // 50 * 50
        new_times.append(new_seconds / slices)
        again_times.append(again_seconds / slices)
        deep_copy_times.append(deep_copy_seconds / slices)
    new, again, deep = min(new_times), min(again_times), min(deep_copy_times)
    return {
        "whatifs": count,
        "new_ms": new * 1000,
        "again_ms": again * 1000,
        "deep_copy_new_ms": deep * 1000,
        "ratio": new / again,
        "deep_copy_ratio": deep / again,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "which", nargs="?", choices=["sweep", "grid", "memory", "startup", "whatif", "all"], default="all"
    )
    parser.add_argument("--values", type=int, default=100_000)
    parser.add_argument("--grid", type=int, default=300, help="values of each parameter of the grid")
    parser.add_argument("--memory-values", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=200, help="one-at-a-time values timed")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--whatifs", type=int, default=1000, help="what-ifs timed in each of --repeat runs")
    args = parser.parse_args()
    if args.which in ("sweep", "all"):
        s = bench_sweep(args.values, args.sample, args.repeat)
        print(f"sweep of {s['values']:,} values of {PARAMETER} over the nine regions ({YEAR}):")
        print(f"  vectorised (best of {args.repeat}):        {s['vectorised_s']:.3f} s")
        print(f"  one at a time (from {s['one_at_a_time_sample']} timed): {s['one_at_a_time_s']:.1f} s")
        print(
            f"  raw numpy (best of {args.repeat}):         {s['numpy_s']:.4f} s "
            f"(same pence as vectorised: {s['numpy_equals_vectorised']})"
        )
        print(
            f"  vectorised is {s['speed_up_over_one_at_a_time']:,.0f}x faster than one at a time "
            "(target: at least 1,000x)"
        )
        print(f"  vectorised takes {s['times_raw_numpy']:.1f}x the time of raw numpy (target: at most 10x)")
    if args.which in ("grid", "all"):
        g = bench_grid(args.grid, max(1, min(args.repeat, 5)))
        print(
            f"grid sweep of {g['size']} x {g['size']} = {g['pairs']:,} pairs (weighting x framework amount):"
        )
        print(
            f"  vectorised, self-check included (best of {max(1, min(args.repeat, 5))}): {g['seconds']:.3f} s"
        )
    if args.which in ("memory", "all"):
        m = bench_memory(args.memory_values)
        print(f"memory of a sweep of {m['values']:,} values ({m['method']}), in a fresh process:")
        print(f"  peak allocated by the sweep (tracemalloc): {m['traced_peak_mb']:.0f} MB")
        print(
            f"  process peak RSS: {m['rss_peak_mb']:.0f} MB "
            f"(after loading the rules: {m['rss_before_mb']:.0f} MB)"
        )
    if args.which in ("whatif", "all"):
        w = bench_whatif(args.whatifs, max(1, min(args.repeat, 5)))
        print(f"a what-if in-process (--set, apply, compare), best of {max(1, min(args.repeat, 5))} runs:")
        print(f"  never asked before: {w['new_ms']:.3f} ms each ({w['whatifs']:,} different, each checked)")
        print(f"  asked again:        {w['again_ms']:.3f} ms each")
        print(f"  ratio {w['ratio']:.2f} (target: at most 1.5)")
        print(
            f"  before, with openfisca-core's deep copy of the parameters: {w['deep_copy_new_ms']:.3f} ms "
            f"each, ratio {w['deep_copy_ratio']:.2f}"
        )
    if args.which in ("startup", "all"):
        t = bench_startup(args.repeat)
        print(f"cold start (median of {args.repeat} interleaved pairs):")
        print(f"  openfisca-grants reconcile:                            {t['reconcile_s']:.3f} s")
        print(f"  country template: import, build, calculate one variable: {t['country_template_s']:.3f} s")
        print(f"  ratio {t['ratio']:.2f}, the median of the pairs' ratios (target: at most 1.2)")


if __name__ == "__main__":
    main()
