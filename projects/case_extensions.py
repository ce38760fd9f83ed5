"""What this app adds to the case page: the life project panel and the workflow steps on the timeline."""

from django.urls import reverse
from django.utils.translation import gettext as _

from beneficiaries.panels import Panel
from beneficiaries.panels import register as register_panel
from beneficiaries.timeline import TimelineEntry
from beneficiaries.timeline import register as register_timeline
from projects.choices import CLOSED_STATUSES, ProjectStatus
from projects.models import ProjectTransition


@register_panel
def life_project_panel(case, user):
    projects = list(case.life_projects.select_related("trade").order_by("-created_at"))
    active = next((p for p in projects if p.status not in CLOSED_STATUSES), None)
    return Panel(
        "projects/_case_panel.html",
        {
            "active": active,
            "past": [p for p in projects if p is not active],
            "can_start": active is None and case.writable_by(user),
        },
    )


@register_timeline
def workflow_steps(case, user):
    steps = ProjectTransition.objects.filter(project__beneficiary=case).select_related("by", "project")
    for step in steps:
        yield TimelineEntry(
            when=step.at,
            icon="briefcase",
            title=_("Project %(number)s: %(status)s")
            % {"number": step.project.number, "status": ProjectStatus(step.target).label},
            body=step.comment,
            by=str(step.by),
            url=reverse("projects:detail", args=[step.project_id]),
        )
