"""Each role's home, and the dashboards: the page, its map, its exports and its PDF report."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from beneficiaries.selectors import recent_case_exports
from reintegration.decorators import role_required
from reintegration.once import submitted_once
from reports import charts, dashboard, exports, indicators, map_panel, report, selectors, tables
from reports.filters import DashboardFilters
from reports.forms import FullExportForm
from reports.full_export import full_export_allowed, full_export_start, sheets_for


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
            "exports": recent_case_exports(),
        }
    return render(request, f"reports/home_{user.role}.html", context)


PAGE_LAYOUT = {
    "headline_keys": indicators.HEADLINE,
    "breakdown_keys": (
        *("region", "province", "centre", "sector", "trade", "sex", "age_band", "release_type"),
        *("program", "operation", "event", "year"),
    ),
    "budget_keys": ("envelopes", "funders", "budget_region"),
    "map_measures": list(map_panel.MEASURES.items()),
    "map_layers": list(map_panel.LAYERS.items()),
}


def _common() -> dict:
    return {"suppressed": tables.suppressed_text(), "board_min_cell": settings.PUBLICATION_MIN_CELL}


@login_required
@require_GET
def dashboard_index(request: HttpRequest) -> HttpResponse:
    """HQ's national dashboard, the same page for a region, a province or a centre; a
    coordinator's is their centre's. Every figure follows the filters in the URL."""
    filters, form = DashboardFilters.for_request(request.user, request.GET)
    board = dashboard.build(filters)
    choice = map_panel.MapChoice.from_query(request.GET)
    province_rows = {row.key: row.values for row in board.tables["province"].rows}
    by_province = map_panel.values_from_breakdown(province_rows, choice.measure)
    context = {
        "board": board,
        "form": form,
        "map": map_panel.build(filters, choice, by_province),
        "charts": {key: charts.bars(table) for key, table in board.tables.items()},
        "trend_charts": [charts.columns(t["rows"], t["column"], board.tables["months"]) for t in board.trends],
        "query": filters.query_string(),
        "can_export_all": full_export_allowed(request.user),
        **PAGE_LAYOUT,
        **_common(),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def dashboard_map(request: HttpRequest) -> HttpResponse:
    """The map alone, for another measure or layer (htmx swaps it in place): at most one query."""
    filters, _form = DashboardFilters.for_request(request.user, request.GET)
    choice = map_panel.MapChoice.from_query(request.GET)
    context = {
        "map": map_panel.build(filters, choice, map_panel.province_values(filters, choice)),
        "query": filters.query_string(),
        **_common(),
    }
    return render(request, "reports/_map_panel.html", context)


EXPORT_TYPES = {
    "csv": (exports.to_csv, "text/csv; charset=utf-8"),
    "xlsx": (exports.to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@login_required
@require_GET
def dashboard_export(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    """One table of the dashboard, with its filters, as CSV or XLSX."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    filters, _form = DashboardFilters.for_request(request.user, request.GET)
    board = dashboard.build(filters)
    if table not in board.tables:
        raise Http404
    writer, content_type = EXPORT_TYPES[fmt]
    response = HttpResponse(writer(board, board.tables[table]), content_type=content_type)
    suffix = "-publication" if board.publication else ""
    response["Content-Disposition"] = f'attachment; filename="{table}-{timezone.localdate():%Y%m%d}{suffix}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def dashboard_report(request: HttpRequest) -> HttpResponse:
    """The whole dashboard as a bilingual PDF report, with the same figures, charts and map."""
    filters, _form = DashboardFilters.for_request(request.user, request.GET)
    content = report.render(filters)
    response = HttpResponse(content, content_type="application/pdf")
    suffix = "-publication" if filters.publication else ""
    response["Content-Disposition"] = f'inline; filename="dashboard-{timezone.localdate():%Y%m%d}{suffix}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(full_export_allowed)
@submitted_once
def full_export_page(request: HttpRequest) -> HttpResponse:
    """HQ's national export: what the file holds for this user's role, its format, and Start,
    which starts the job (``reports.full_export``) and goes to its page."""
    form = FullExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        job = full_export_start(by=request.user, fmt=form.cleaned_data["format"])
        return redirect("jobs:detail", pk=job.pk)
    context = {"form": form, "sheets": sheets_for(request.user), "job_result_days": settings.JOB_RESULT_DAYS}
    return render(request, "reports/full_export.html", context)
