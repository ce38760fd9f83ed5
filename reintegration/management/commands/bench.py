from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from bench import cases, data
from bench.heavy import HEAVY, measure_heavy
from bench.runner import measure, ratios, table, use_bench_database, write_results


class Command(BaseCommand):
    help = "Time the main pages on a generated data set; writes var/bench/results.json."

    def add_arguments(self, parser):
        parser.add_argument("--only", default="", help="Run only the cases whose name contains this text.")
        parser.add_argument("--output", default=str(settings.VAR_DIR / "bench" / "results.json"))

    def handle(self, *args, only: str, output: str, **options):
        settings.DEBUG = False  # as in production (and as the test runner does): no query log, no debug pages
        self._use_bench_database()
        self.stdout.write(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
        dataset = data.build(stdout=self.stdout)
        written = []
        results = [measure(case) for case in cases.all_cases(dataset) if only in case.name]
        if results:  # `--only export_full` times no page: the pages' last results stay
            written.append(self._write(results, Path(output)))  # kept even if a heavy job fails
        # Heavy one-shot jobs, each in a process of its own (bench.heavy): seconds and peak memory.
        heavy = [measure_heavy(name) for name in HEAVY if only in name]
        if heavy:
            written.append(self._write(heavy, Path(output).with_name("heavy.json")))
        if written:
            self.stdout.write(table(results, heavy))  # one table: the pages, then the heavy jobs
        if comparison := ratios(results, cases.ADMIN_PAIRS):
            self.stdout.write(comparison)
        for path in written:
            self.stdout.write(f"Written to {path}")

    @staticmethod
    def _write(rows: list[dict], path: Path) -> Path:
        write_results(rows, path)
        return path

    def _use_bench_database(self) -> None:
        use_bench_database()
