from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Case files")

    def ready(self):
        from beneficiaries import timeline_entries  # noqa: F401 — registers the timeline providers
