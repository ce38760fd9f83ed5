from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.services import job_results_prune


class Command(BaseCommand):
    help = "Delete the result files of jobs finished more than JOB_RESULT_DAYS days ago (nightly)."

    def handle(self, *args, **options):
        deleted = job_results_prune()
        self.stdout.write(f"{deleted} job result file(s) older than {settings.JOB_RESULT_DAYS} days deleted.")
