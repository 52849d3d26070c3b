"""Shared by the benchmarks (run as scripts, so imported as `timing`)."""

import statistics
import time


def median_ms(fn, runs: int, warm: bool = True) -> float:
    """The median wall time of `fn` in milliseconds, after one untimed warm-up call."""
    if warm:
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
