from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionsConfig(AppConfig):
    name = "distributions"
    verbose_name = _("Distributions and receipts")
