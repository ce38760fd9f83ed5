"""Every move of the workflow, by every role: only allowed moves, by allowed roles, each recorded."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects.choices import ProjectStatus as S
from projects.models import LifeProject, ProjectTransition
from projects.services import project_transition
from tests.factories import BeneficiaryFactory, make_project

pytestmark = pytest.mark.django_db


def project_in(status, case, coordinator, officer):
    project = make_project(
        case, coordinator, status="approved" if status not in ("draft", "submitted") else status, officer=officer
    )
    if status in (S.RETURNED, S.DELIVERED, S.FOLLOW_UP):
        LifeProject.objects.filter(pk=project.pk).update(status=status)
        project.refresh_from_db()
    return project


# (from, to, who, allowed)
MOVES = [
    (S.DRAFT, S.SUBMITTED, "coordinator_a", True),
    (S.DRAFT, S.SUBMITTED, "coordinator_b", False),
    (S.DRAFT, S.SUBMITTED, "officer", False),
    (S.DRAFT, S.SUBMITTED, "admin", True),
    (S.SUBMITTED, S.APPROVED, "officer", True),
    (S.SUBMITTED, S.APPROVED, "admin", True),
    (S.SUBMITTED, S.APPROVED, "coordinator_a", False),
    (S.SUBMITTED, S.APPROVED, "analyst", False),
    (S.SUBMITTED, S.RETURNED, "officer", True),
    (S.SUBMITTED, S.RETURNED, "coordinator_a", False),
    (S.RETURNED, S.SUBMITTED, "coordinator_a", True),
    (S.RETURNED, S.SUBMITTED, "officer", False),
    (S.APPROVED, S.FUNDED, "officer", False),  # only through a commitment
    (S.APPROVED, S.ABANDONED, "officer", True),
    (S.APPROVED, S.ABANDONED, "coordinator_a", True),
    (S.DELIVERED, S.FOLLOW_UP, "coordinator_a", True),
    (S.DELIVERED, S.FOLLOW_UP, "coordinator_b", False),
    (S.FOLLOW_UP, S.SUCCEEDED, "coordinator_a", True),
    (S.FOLLOW_UP, S.SUCCEEDED, "officer", True),
    (S.FOLLOW_UP, S.SUCCEEDED, "analyst", False),
    (S.DRAFT, S.APPROVED, "admin", False),  # no skipping steps
    (S.SUBMITTED, S.DRAFT, "coordinator_a", False),
]


@pytest.mark.parametrize(("source", "target", "who", "allowed"), MOVES)
def test_each_move_by_each_role(cast, case_a, coordinator_a, officer, source, target, who, allowed):
    project = project_in(source, case_a, coordinator_a, officer)
    before = project.transitions.count()
    if allowed:
        project_transition(project=project, target=target, by=cast[who], comment="Motif")
        project.refresh_from_db()
        assert project.status == target
        step = project.transitions.first()
        assert (step.source, step.target, step.by, step.comment) == (source, target, cast[who], "Motif")
    else:
        with pytest.raises(PermissionDenied):
            project_transition(project=project, target=target, by=cast[who], comment="Motif")
        project.refresh_from_db()
        assert project.status == source and project.transitions.count() == before


def test_returning_or_closing_needs_a_comment(case_a, coordinator_a, officer):
    project = make_project(case_a, coordinator_a, status="submitted")
    with pytest.raises(ValidationError) as raised:
        project_transition(project=project, target=S.RETURNED, by=officer, comment="  ")
    assert "comment" in raised.value.message_dict
    project.refresh_from_db()
    assert project.status == S.SUBMITTED


def test_an_incomplete_plan_cannot_be_submitted(case_a, coordinator_a):
    from projects.services import project_create

    project = project_create(case=case_a, by=coordinator_a)
    with pytest.raises(ValidationError) as raised:
        project_transition(project=project, target=S.SUBMITTED, by=coordinator_a)
    assert {"trade", "description", "lines"} <= set(raised.value.message_dict)


def test_one_active_life_project_per_person_history_kept(case_a, coordinator_a, officer):
    from projects.services import project_create

    first = make_project(case_a, coordinator_a)
    with pytest.raises(ValidationError):
        project_create(case=case_a, by=coordinator_a)
    project_transition(project=first, target=S.ABANDONED, by=coordinator_a, comment="Parti à l'étranger")
    second = project_create(case=case_a, by=coordinator_a)
    assert set(case_a.life_projects.all()) == {first, second}


def test_the_moves_appear_on_the_case_timeline(client_for, case_a, coordinator_a, officer):
    make_project(case_a, coordinator_a, status="approved", officer=officer)
    response = client_for(coordinator_a).get(reverse("beneficiaries:detail", args=[case_a.pk]))
    titles = [entry.title for entry in response.context["timeline"]]
    assert any("Approved" in title for title in titles) and any("Submitted" in title for title in titles)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 302),
        ("officer", 403),
        ("analyst", 403),
        ("coordinator_a", 302),
        ("coordinator_b", 404),
        ("anonymous", 302),
    ],
)
def test_the_move_view_for_the_cast(cast, client_for, draft, who, status):
    """Submitting a draft: the centre (or an administrator) may; HQ officers may not."""
    response = client_for(cast[who]).post(reverse("projects:move", args=[draft.pk]), {"target": "submitted"})
    assert response.status_code == status


def test_the_move_view_refuses_a_service_only_move(client_for, approved, officer):
    response = client_for(officer).post(reverse("projects:move", args=[approved.pk]), {"target": "funded"})
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.status == S.APPROVED
    assert ProjectTransition.objects.filter(project=approved, target=S.FUNDED).count() == 0


def test_a_coordinator_of_another_centre_cannot_move_it_even_knowing_its_number(client_for, coordinator_b, draft):
    assert (
        client_for(coordinator_b).post(reverse("projects:move", args=[draft.pk]), {"target": "submitted"}).status_code
        == 404
    )
    assert BeneficiaryFactory._meta.model.objects.count() == 1
