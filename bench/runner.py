"""Time a case many times and report its median, 95th percentile and query count."""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@dataclass
class Case:
    name: str
    n_rows: int
    run: Callable[[], object]
    repeat: int = 40
    warmup: int = 3


def measure(case: Case) -> dict:
    for _ in range(case.warmup):
        case.run()
    with CaptureQueriesContext(connection) as captured:
        case.run()
    queries = len(captured)  # read now: reset_queries() below empties the log it reads from
    timings = []
    for _ in range(case.repeat):
        reset_queries()  # with DEBUG on, the query log would otherwise grow through the run
        start = time.perf_counter()
        case.run()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95_index = max(0, round(0.95 * len(timings)) - 1)
    return {
        "name": case.name,
        "n_rows": case.n_rows,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[p95_index], 1),
        "queries": queries,
    }


def write_results(results: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _cell(row: dict, key: str, width: int, spec: str = "") -> str:
    value = row.get(key)
    return " " * width if value is None else f"{value:>{width}{spec}}"


def table(results: list[dict], heavy: list[dict] = ()) -> str:
    """One table of every case: the pages (timed many times: p50, p95, queries) and the heavy
    jobs (run once, each in a process of its own: seconds, peak memory); a column a case does
    not measure is left blank."""
    header = f"{'case':<28} {'rows':>9} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8} {'seconds':>9} {'peak MB':>9}"
    lines = [header, "-" * len(header)]
    for row in [*results, *heavy]:
        lines.append(
            f"{row['name']:<28} {row['n_rows']:>9} {_cell(row, 'p50_ms', 9, '.1f')} {_cell(row, 'p95_ms', 9, '.1f')}"
            f" {_cell(row, 'queries', 8)} {_cell(row, 'seconds', 9, '.1f')} {_cell(row, 'peak_mb', 9, '.1f')}"
        )
    return "\n".join(lines)


KEYS = ("p50_ms", "p95_ms")


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "-"


def ratios(results: list[dict], pairs: list[tuple[str, str, str]]) -> str:
    """``ours / admin's`` for each pair of cases run, on p50 and on p95 (below 1: ours is faster)."""
    by_name = {row["name"]: row for row in results}
    lines = []
    for label, ours, theirs in pairs:
        if ours in by_name and theirs in by_name:
            a, b = by_name[ours], by_name[theirs]
            lines.append(
                f"{ours} / {theirs} ({label}): "
                + ", ".join(f"{key[:3]} {_ratio(a[key], b[key])} ({a[key]:.1f} / {b[key]:.1f} ms)" for key in KEYS)
            )
    return "\n".join(lines)


def use_bench_database() -> None:
    """Switch to a database of its own, created (and migrated) on first use and kept after:
    ``<name>_bench`` on PostgreSQL, ``var/bench.sqlite3`` otherwise."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings.VAR_DIR / "bench.sqlite3")
    else:
        name = f"{settings_dict['NAME']}_bench"
    settings_dict.setdefault("TEST", {})["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
