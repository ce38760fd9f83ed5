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


def table(results: list[dict]) -> str:
    header = f"{'case':<28} {'rows':>9} {'p50 ms':>9} {'p95 ms':>9} {'queries':>8}"
    lines = [header, "-" * len(header)]
    for row in results:
        lines.append(
            f"{row['name']:<28} {row['n_rows']:>9} {row['p50_ms']:>9.1f} {row['p95_ms']:>9.1f} {row['queries']:>8}"
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
