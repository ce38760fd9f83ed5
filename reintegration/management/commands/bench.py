from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from bench import cases, data
from bench.runner import measure, table, write_results


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
        results = [measure(case) for case in cases.all_cases(dataset) if only in case.name]
        write_results(results, Path(output))
        self.stdout.write(table(results))
        self.stdout.write(f"Written to {output}")

    def _use_bench_database(self) -> None:
        """Switch to a database of its own, created (and migrated) on first use and kept after."""
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            name = str(settings.VAR_DIR / "bench.sqlite3")
        else:
            name = f"{settings_dict['NAME']}_bench"
        settings_dict.setdefault("TEST", {})["NAME"] = name
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
