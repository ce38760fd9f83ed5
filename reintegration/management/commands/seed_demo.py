from django.core.management.base import BaseCommand

from beneficiaries.demo import DemoPeople, seed_case_files
from distributions.demo import seed_distributions
from projects.demo import seed_follow_ups, seed_projects
from reintegration.demo import seed_organisation
from reports.cache import bump


class Command(BaseCommand):
    help = "Create or refresh the demo data (idempotent). Demo accounts are for local use only."

    def handle(self, *args, **options):
        seed_organisation()
        people = DemoPeople()
        seed_case_files(people)
        operations = seed_projects(people)
        seed_distributions(operations)
        seed_follow_ups()
        bump()  # the demo back-dates in bulk, which no signal sees: the dashboards compute anew
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
