import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.heavy import HEAVY, RESULT, run_here
from bench.runner import use_bench_database


class Command(BaseCommand):
    help = "Run one heavy job of the benchmark (bench/heavy.py) on the bench database; `manage.py bench` starts it."

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"One of: {', '.join(HEAVY)}.")

    def handle(self, *args, name: str, **options):
        if name not in HEAVY:
            raise CommandError(f"No heavy job named {name!r}; there are: {', '.join(HEAVY)}.")
        settings.DEBUG = False  # as in production: no query log
        use_bench_database()  # the one `manage.py bench` built
        self.stdout.write(RESULT + json.dumps(run_here(name)))
