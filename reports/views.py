from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reports import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's home: a coordinator's work queue, HQ's national picture, the admin's accounts."""
    user = request.user
    context = {"organisation": selectors.organisation_summary()}
    if user.is_coordinator:
        context["centre"] = user.centre
    if user.is_administrator:
        context["accounts_by_role"] = selectors.accounts_by_role()
    return render(request, f"reports/home_{user.role}.html", context)
