from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beneficiaries.models import CaseExport
from reports import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home: the coordinator's work queues, HQ's approvals and envelopes,
    the analyst's national figures, the administrator's accounts and audit."""
    user = request.user
    if user.is_coordinator:
        context = selectors.coordinator_home(user)
    elif user.is_officer:
        context = selectors.officer_home(user)
    elif user.is_analyst:
        context = {
            "figures": selectors.national_figures(),
            "by_status": selectors.projects_by_status(),
            "by_centre": selectors.cases_by_centre(),
        }
    else:
        context = {
            **selectors.hq_queues(user),
            "accounts_by_role": selectors.accounts_by_role(),
            "exports": CaseExport.objects.select_related("user")[:8],
        }
    return render(request, f"reports/home_{user.role}.html", context)
