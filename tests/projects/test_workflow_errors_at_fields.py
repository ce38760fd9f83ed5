"""A refused move is reported where it can be put right: a submit refused for missing fields on
the edit page, at those fields, with a summary at the top that links to them; a return or a
close without a comment at the comment box. The action bar: one primary action, the closing
move set apart behind a confirmation."""

import re

import pytest
from django.urls import reverse

from projects.choices import ProjectStatus as S
from projects.services import project_create, projects_transition
from tests.factories import BeneficiaryFactory, make_project
from tests.html_forms import read_form

pytestmark = pytest.mark.django_db


def links_of(html: str) -> list[str]:
    summary = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert summary, "no error summary at the top"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


def test_it_sends_a_refused_submit_to_the_fields_it_concerns(client_for, case_a, coordinator_a):
    project = project_create(case=case_a, by=coordinator_a)
    client = client_for(coordinator_a)
    response = client.post(reverse("projects:move", args=[project.pk]), {"target": S.SUBMITTED})
    edit = reverse("projects:edit", args=[project.pk])
    assert response.status_code == 302 and response["Location"].startswith(f"{edit}?check=")
    project.refresh_from_db()
    assert project.status == S.DRAFT

    page = client.get(response["Location"])
    html = page.content.decode()
    assert {"id_trade", "id_description", "plan"} <= set(links_of(html))
    assert "Choose the trade." in html and "Describe the project." in html
    # At the fields themselves, marked invalid for assistive technology too.
    assert re.search(
        r'<select[^>]*name="trade"[^>]*aria-invalid="true"|<select[^>]*aria-invalid="true"[^>]*name="trade"', html
    )
    assert re.search(
        r'<textarea[^>]*name="description"[^>]*is-invalid|<textarea[^>]*is-invalid[^>]*name="description"', html
    )
    assert "Add at least one equipment line or a cash aid." in html.split('id="plan"', 1)[1]


def test_it_leaves_filled_fields_unmarked(client_for, case_a, coordinator_a):
    project = make_project(case_a, coordinator_a)  # complete: nothing to mark
    page = client_for(coordinator_a).get(reverse("projects:edit", args=[project.pk]) + "?check=submitted")
    html = page.content.decode()
    assert "error-summary" not in html and "is-invalid" not in html


def test_it_marks_the_comment_box_when_a_return_has_no_comment(client_for, case_a, coordinator_a, officer):
    project = make_project(case_a, coordinator_a, status="submitted")
    response = client_for(officer).post(reverse("projects:move", args=[project.pk]), {"target": S.RETURNED})
    assert response.status_code == 200
    html = response.content.decode()
    assert "id_comment" in links_of(html)
    box = re.search(r"<textarea[^>]*name=\"comment\"[^>]*>", html).group(0)
    assert "is-invalid" in box and 'aria-invalid="true"' in box and 'aria-describedby="id_comment_errors"' in box
    assert 'id="id_comment_errors"' in html and "Say why, in a few words." in html
    project.refresh_from_db()
    assert project.status == S.SUBMITTED


def test_the_action_bar_has_one_primary_action_and_keeps_closing_apart(client_for, case_a, coordinator_a, officer):
    project = make_project(case_a, coordinator_a, status="submitted")
    html = client_for(officer).get(reverse("projects:detail", args=[project.pk])).content.decode()
    bar = re.search(r'<form[^>]*id="move-form".*?</form>', html, re.S).group(0)
    buttons = re.findall(r'<button type="submit" name="target" value="(\w+)" class="btn ([\w-]+)', bar)
    assert buttons[0] == (S.APPROVED, "btn-primary")
    assert [style for _, style in buttons].count("btn-primary") == 1
    apart = re.search(r'<details class="other-actions.*?</details>', bar, re.S).group(0)
    assert f'value="{S.ABANDONED}"' in apart and "data-confirm=" in apart
    assert f'value="{S.ABANDONED}"' not in bar.replace(apart, "")


def test_with_no_move_forward_it_says_what_the_project_waits_for(client_for, case_a, coordinator_a):
    project = make_project(case_a, coordinator_a, status="submitted")
    html = client_for(coordinator_a).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "HQ approves it or returns it" in html
    assert "btn-primary" not in re.search(r'<form[^>]*id="move-form".*?</form>', html, re.S).group(0)


def test_save_and_submit_submits_a_complete_plan_in_one_step(client_for, case_a, coordinator_a):
    project = make_project(case_a, coordinator_a)
    client = client_for(coordinator_a)
    url = reverse("projects:edit", args=[project.pk])
    response = client.post(url, {**read_form(client.get(url), "project-form"), "then": "submit"})
    assert response.status_code == 302 and response["Location"] == reverse("projects:detail", args=[project.pk])
    project.refresh_from_db()
    assert project.status == S.SUBMITTED and project.transitions.get().by == coordinator_a


def test_save_and_submit_keeps_an_incomplete_plan_and_marks_what_it_lacks(client_for, case_a, coordinator_a):
    project = project_create(case=case_a, by=coordinator_a)
    client = client_for(coordinator_a)
    url = reverse("projects:edit", args=[project.pk])
    data = {**read_form(client.get(url), "project-form"), "goals": "Ouvrir un atelier", "then": "submit"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(f"{url}?check=submitted")
    project.refresh_from_db()
    assert project.status == S.DRAFT and project.goals == "Ouvrir un atelier"  # saved, not submitted
    assert {"id_trade", "id_description", "plan"} <= set(links_of(client.get(response["Location"]).content.decode()))


def test_save_and_submit_is_offered_only_when_the_project_can_be_submitted(client_for, case_a, coordinator_a, officer):
    draft = make_project(case_a, coordinator_a)
    page = client_for(coordinator_a).get(reverse("projects:edit", args=[draft.pk])).content.decode()
    # "Save as a draft" comes first: the form's default button, the one Enter in a field presses.
    assert page.index("Save as a draft") < page.index('name="then" value="submit"')
    returned = make_project(BeneficiaryFactory(centre=case_a.centre), coordinator_a, status="submitted")
    projects_transition(projects=[returned], target=S.RETURNED, by=officer, comment="Devis manquant")
    page = client_for(coordinator_a).get(reverse("projects:edit", args=[returned.pk]))
    assert page.status_code == 200 and 'name="then" value="submit"' in page.content.decode()
    # HQ edits no plan of a centre's: no such button for an officer, whatever the state.
    assert (
        'name="then" value="submit"'
        not in client_for(officer).get(reverse("projects:edit", args=[draft.pk])).content.decode()
    )


def test_the_editor_sent_as_rendered_without_a_button_saves_a_draft(client_for, case_a, coordinator_a):
    project = make_project(case_a, coordinator_a)
    client = client_for(coordinator_a)
    url = reverse("projects:edit", args=[project.pk])
    assert client.post(url, read_form(client.get(url), "project-form")).status_code == 302
    project.refresh_from_db()
    assert project.status == S.DRAFT
