from django.core.management.base import BaseCommand

from reintegration.once import prune


class Command(BaseCommand):
    help = "Forget the one-time tokens of create forms sent more than two days ago (nightly)."

    def handle(self, *args, **options):
        self.stdout.write(f"{prune()} form token(s) forgotten.")
