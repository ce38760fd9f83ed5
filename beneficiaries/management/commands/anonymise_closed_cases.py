from django.conf import settings
from django.core.management.base import BaseCommand

from beneficiaries.choices import CaseStatus
from beneficiaries.models import Beneficiary
from beneficiaries.services import beneficiary_anonymise, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise case files closed (or archived) for longer than RETENTION_YEARS_AFTER_CLOSURE "
        f"(now {settings.RETENTION_YEARS_AFTER_CLOSURE} years), keeping what the statistics count."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the case files without changing them.")

    def handle(self, *args, dry_run: bool, **options):
        cutoff = retention_cutoff()
        due = Beneficiary.objects.filter(
            status__in=[CaseStatus.CLOSED, CaseStatus.ARCHIVED], closed_on__lt=cutoff, anonymised_at__isnull=True
        ).order_by("pk")
        total = due.count()
        if dry_run:
            self.stdout.write(f"{total} case file(s) closed before {cutoff:%d/%m/%Y} would be anonymised.")
            return
        for case in due.iterator(chunk_size=500):
            beneficiary_anonymise(case=case)
        self.stdout.write(self.style.SUCCESS(f"{total} case file(s) closed before {cutoff:%d/%m/%Y} anonymised."))
