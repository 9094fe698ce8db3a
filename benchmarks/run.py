"""Benchmarks: sweep speed (vectorised, one at a time, raw numpy) and cold start-up time.

    .venv/bin/python benchmarks/run.py              # both, with the figures for the README
    .venv/bin/python benchmarks/run.py sweep --values 100000 --sample 200
    .venv/bin/python benchmarks/run.py startup --repeat 5

Targets (see README, "Performance"): a sweep of 100,000 values at least 100x faster than one
simulation per value and within 20x of the same formula written directly in numpy; a cold
``openfisca-grants reconcile`` at most 1.2x the time to import and build
openfisca-country-template and calculate one variable. These are measurements, not tests: a
slow machine changes the seconds, and the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import numpy

PARAMETER = "determinations.riia_31_7421.regional_data_coordinator.london_weighting"
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
    assert result.method == "vectorised"

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

    def run(command) -> float:
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start

    run(ours), run(template)  # warm the file cache and the .pyc files
    # Interleaved, so that a burst of load on the machine hits both sides of a pair alike.
    pairs = [(run(ours), run(template)) for _ in range(repeat)]
    return {
        "reconcile_s": statistics.median(o for o, _ in pairs),
        "country_template_s": statistics.median(t for _, t in pairs),
        "ratio": statistics.median(o / t for o, t in pairs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="?", choices=["sweep", "startup", "all"], default="all")
    parser.add_argument("--values", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=200, help="one-at-a-time values timed")
    parser.add_argument("--repeat", type=int, default=15)
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
            "(target: at least 100x)"
        )
        print(f"  vectorised takes {s['times_raw_numpy']:.1f}x the time of raw numpy (target: at most 20x)")
    if args.which in ("startup", "all"):
        t = bench_startup(args.repeat)
        print(f"cold start (median of {args.repeat} interleaved pairs):")
        print(f"  openfisca-grants reconcile:                            {t['reconcile_s']:.3f} s")
        print(f"  country template: import, build, calculate one variable: {t['country_template_s']:.3f} s")
        print(f"  ratio {t['ratio']:.2f}, the median of the pairs' ratios (target: at most 1.2)")


if __name__ == "__main__":
    main()
