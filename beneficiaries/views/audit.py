"""A case file's change history, for everyone who may read the case; who opened it, for
administrators only (the access log is an audit tool, not a working page)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beneficiaries.selectors import beneficiary_get_for_user, case_history, case_views
from reintegration.decorators import case_workers_only
from reintegration.pagination import paginate


@case_workers_only
def case_audit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = beneficiary_get_for_user(user, pk)
    views = paginate(request, case_views(case), per_page=50) if user.is_administrator else None
    context = {"case": case, "history": case_history(case, user=user), "views": views}
    return render(request, "beneficiaries/case_audit.html", context)
