"""What this app adds to case files: the life project panel and the workflow steps on the case
page, and the erasing of its personal content when a case file is anonymised."""

from django.urls import reverse
from django.utils.translation import gettext as _

from beneficiaries.panels import Panel
from beneficiaries.panels import register as register_panel
from beneficiaries.retention import register as register_eraser
from beneficiaries.services import ANONYMISED
from beneficiaries.timeline import TimelineEntry
from beneficiaries.timeline import register as register_timeline
from projects.choices import CLOSED_STATUSES, ProjectStatus
from projects.models import (
    Commitment,
    FollowUpVisit,
    LifeProject,
    PlannedAction,
    ProjectTransition,
    VisitPhoto,
)
from reintegration.uploads import delete_file_on_commit


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


@register_eraser
def erase_project_content(case):
    """Anonymisation: the diagnosis, goals, comments, visit notes and photos go; figures stay."""
    projects = LifeProject.objects.filter(beneficiary=case)
    projects.update(
        social_needs=[],
        health_needs=[],
        administrative_needs=[],
        professional_needs=[],
        diagnosis_notes="",
        goals="",
        description="",
    )
    ProjectTransition.objects.filter(project__in=projects).update(comment="")
    PlannedAction.objects.filter(project__in=projects).update(description=ANONYMISED)
    FollowUpVisit.objects.filter(project__in=projects).update(problems="", support_needed="")
    for photo in VisitPhoto.objects.filter(visit__project__in=projects):
        delete_file_on_commit(photo.image)
        photo.delete()
    Commitment.objects.filter(project__in=projects).update(reason="")
    LifeProject.history.filter(beneficiary_id=case.pk).delete()
    project_ids = list(projects.values_list("pk", flat=True))
    for model in (FollowUpVisit, Commitment):
        model.history.filter(project_id__in=project_ids).delete()
