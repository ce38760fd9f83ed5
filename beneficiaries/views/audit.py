"""What administrators read: who viewed a case file, and every change made to it."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beneficiaries.selectors import beneficiary_get_for_user, case_history, case_views
from reintegration.decorators import administrators_only
from reintegration.pagination import paginate


@administrators_only
def case_audit(request: HttpRequest, pk: int) -> HttpResponse:
    case = beneficiary_get_for_user(request.user, pk)
    context = {"case": case, "history": case_history(case), "views": paginate(request, case_views(case), per_page=50)}
    return render(request, "beneficiaries/case_audit.html", context)
