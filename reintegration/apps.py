from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "reintegration"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from reintegration import audit
        from reintegration.logs import forget_request

        audit.connect()
        request_finished.connect(forget_request, dispatch_uid="reintegration.logs.forget_request")


class AdminConfig(DjangoAdminConfig):
    """Django's admin, open to administrators only (see ``reintegration.admin_site``)."""

    default_site = "reintegration.admin_site.AdministratorsAdminSite"
