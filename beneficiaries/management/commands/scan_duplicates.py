from django.core.management.base import BaseCommand

from beneficiaries.services import duplicates_scan


class Command(BaseCommand):
    help = "Flag for HQ the case files that may be a second file of someone registered elsewhere (nightly)."

    def handle(self, *args, **options):
        flagged = duplicates_scan()
        self.stdout.write(f"{flagged} case file(s) flagged as possible duplicates.")
