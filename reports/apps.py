from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from reports import (
            cache,
            full_export,  # noqa: F401 — registers HQ's national export job
        )

        cache.connect()  # cached figures are recomputed after every change to what they read
