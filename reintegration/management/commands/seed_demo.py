from django.core.management.base import BaseCommand

from beneficiaries.demo import DemoPeople, seed_case_files
from projects.demo import seed_projects
from reintegration.demo import seed_organisation


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent). Demo accounts are for local use only."

    def handle(self, *args, **options):
        seed_organisation()
        people = DemoPeople()
        seed_case_files(people)
        seed_projects(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
