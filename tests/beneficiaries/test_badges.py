"""The status and duplicate badges of the case list (and the pages that reuse them), drawn in
Python: the same HTML their inclusion templates drew, translated, escaped."""

import pytest
from django.template import Context, Template
from django.utils import translation

from beneficiaries.choices import CaseStatus, DuplicateDecision
from beneficiaries.models import DuplicateFlag
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

BADGES = Template("{% load cases %}[{% status_badge case %}|{% duplicate_badge case %}]")


def badges(case, language="en") -> str:
    with translation.override(language):
        return BADGES.render(Context({"case": case}))


def flagged(case, decision):
    earlier = BeneficiaryFactory(centre=case.centre)
    DuplicateFlag.objects.create(
        beneficiary=case, decision=decision, same_as=earlier if decision == DuplicateDecision.SAME else None
    )
    case.refresh_from_db()
    return case


def test_a_case_without_a_flag_shows_its_status_only(centre_a):
    case = BeneficiaryFactory(centre=centre_a, status=CaseStatus.CLOSED)
    assert badges(case) == '[<span class="badge text-bg-secondary">Closed</span>\n|\n]'


def test_a_pending_flag_is_a_possible_duplicate(centre_a):
    case = flagged(BeneficiaryFactory(centre=centre_a), DuplicateDecision.PENDING)
    assert badges(case) == (
        '[<span class="badge text-bg-success">Active</span>\n| <span class="badge text-bg-warning">'
        '<i class="bi bi-people" aria-hidden="true"></i> Possible duplicate</span>\n]'
    )


def test_the_same_person_is_a_second_file_and_a_cleared_flag_shows_nothing(centre_a):
    same = flagged(BeneficiaryFactory(centre=centre_a), DuplicateDecision.SAME)
    assert '<i class="bi bi-link-45deg" aria-hidden="true"></i> Second file</span>' in badges(same)
    assert "text-bg-danger" in badges(same)
    cleared = flagged(BeneficiaryFactory(centre=centre_a), DuplicateDecision.DIFFERENT)
    assert badges(cleared).endswith("|\n]")


def test_the_badges_speak_the_page_s_language(centre_a):
    case = flagged(BeneficiaryFactory(centre=centre_a, status=CaseStatus.ARCHIVED), DuplicateDecision.PENDING)
    with translation.override("fr"):
        status, duplicate = str(CaseStatus.ARCHIVED.label), translation.gettext("Possible duplicate")
    html = badges(case, "fr")
    assert f'<span class="badge text-bg-dark">{status}</span>' in html
    assert f"</i> {duplicate}</span>" in html
    assert duplicate != "Possible duplicate"  # the French catalogue has it
