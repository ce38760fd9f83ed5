from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionsConfig(AppConfig):
    name = "distributions"
    verbose_name = _("Distributions and receipts")

    def ready(self):
        from distributions import (
            case_extensions,  # noqa: F401 — registers the timeline entries and retention hook
            receipt_jobs,  # noqa: F401 — registers the event receipts' job
        )
