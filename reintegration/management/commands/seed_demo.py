from django.core.management.base import BaseCommand

from reintegration.demo import seed_organisation


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent). Demo accounts are for local use only."

    def handle(self, *args, **options):
        seed_organisation()
        self.stdout.write(self.style.SUCCESS("Demo organisation ready."))
