"""What the dashboards keep: only the version of the data their cached figures were computed on."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FiguresVersion(models.Model):
    """One row, counting the commits that changed case data (see ``reports.cache``).

    Cached figures are stored under the version they were computed at; a change bumps it once
    the change is committed, so the next page computes anew.
    """

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("figures version")

    def __str__(self) -> str:
        return str(self.version)
