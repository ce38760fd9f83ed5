from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects and envelopes")

    def ready(self):
        from projects import case_extensions  # noqa: F401 — registers the case page panel and timeline steps
