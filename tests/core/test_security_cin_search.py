"""Finding 1 of issue 10: a masked CIN could be recovered through search.

An officer sees ``XT••••57``; searching the full number used to list exactly that file (and a
wrong guess none), in the case list, its CSV export and the project list. A role that sees CINs
masked now searches by what the mask shows: a full number lists every file whose CIN reads the
same once masked, so a right and a wrong guess answer alike.
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from beneficiaries.cin import cin_search
from tests.factories import BeneficiaryFactory, make_project

pytestmark = pytest.mark.django_db

LIST, EXPORT, PROJECTS = reverse("beneficiaries:list"), reverse("beneficiaries:export"), reverse("projects:list")
NOTICE = "CINs are masked for your role, so this search lists every case file whose CIN reads %(cin)s."


@pytest.fixture
def files(centre_a):
    """Three files: two that look the same masked (XT••••57), one that does not."""
    return {
        "target": BeneficiaryFactory(centre=centre_a, cin="XT123457", last_name_latin="Target"),
        "twin": BeneficiaryFactory(centre=centre_a, cin="XT990057", last_name_latin="Twin"),
        "other": BeneficiaryFactory(centre=centre_a, cin="XT123458", last_name_latin="Other"),
    }


def listed(response) -> set[str]:
    return {item.last_name_latin for item in response.context["page"].object_list}


def exported(response) -> set[str]:
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return {row[3] for row in rows[1:]}


def test_it_lists_every_file_with_the_same_masked_cin_for_an_officer(client_for, officer, files):
    response = client_for(officer).get(LIST, {"q": "XT123457"})
    assert listed(response) == {"Target", "Twin"}  # not just the one: the number is not confirmed
    assert "XT••••57" in response.context["filterset"].notice


def test_a_right_and_a_wrong_guess_answer_alike(client_for, officer, files):
    client = client_for(officer)
    right, wrong = client.get(LIST, {"q": "XT123457"}), client.get(LIST, {"q": "XT000057"})
    assert listed(right) == listed(wrong) == {"Target", "Twin"}


def test_the_export_and_the_project_list_search_the_same_way(client_for, officer, coordinator_a, files):
    client = client_for(officer)
    assert exported(client.get(EXPORT, {"q": "XT123457"})) == {"Target", "Twin"}
    for case in files.values():
        make_project(case, coordinator_a)
    projects = client.get(PROJECTS, {"q": "XT123457"}).context["page"].object_list
    assert {project.beneficiary.last_name_latin for project in projects} == {"Target", "Twin"}


@pytest.mark.parametrize(
    ("typed", "found"), [("XT••••57", {"Target", "Twin"}), ("xt**** 58", {"Other"}), ("57", {"Target", "Twin"})]
)
def test_an_officer_searches_by_the_masked_form_or_the_last_digits(client_for, officer, files, typed, found):
    assert listed(client_for(officer).get(LIST, {"q": typed})) == found


def test_more_final_digits_than_the_mask_shows_count_as_the_last_two(client_for, officer, files):
    # Otherwise "457", "3457"... would reveal the hidden digits one by one.
    response = client_for(officer).get(LIST, {"q": "3457"})
    assert listed(response) == {"Target", "Twin"}
    assert "…57" in response.context["filterset"].notice


def test_roles_that_see_the_full_cin_still_find_the_one_file(client_for, admin_user, coordinator_a, files):
    for user in (admin_user, coordinator_a):
        client = client_for(user)
        assert listed(client.get(LIST, {"q": "XT123457"})) == {"Target"}
        assert listed(client.get(LIST, {"q": "457"})) == {"Target"}
        assert client.get(LIST, {"q": "XT123457"}).context["filterset"].notice == ""


def test_the_notice_is_in_the_users_language(client_for, officer, files):
    officer.language = "ar"
    officer.save(update_fields=["language"])
    response = client_for(officer).get(LIST, {"q": "XT123457"})
    with translation.override("ar"):
        sentence = gettext(NOTICE).split("%(cin)s")[0]
    assert sentence.strip() and sentence.strip() in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "full", "expected"),
    [
        ("AB123456", True, {"exact": "AB123456"}),
        ("AB123456", False, {"letters": "AB", "hidden": 4, "shown": "56", "reduced": True}),
        ("AB••••56", False, {"letters": "AB", "hidden": 4, "shown": "56", "reduced": False}),
        ("1234", False, {"shown": "34", "reduced": True}),
        ("1234", True, {"shown": "1234"}),
        ("Alaoui", False, None),
    ],
)
def test_cin_search_reads_what_was_typed(typed, full, expected):
    search = cin_search(typed, full=full)
    if expected is None:
        assert search is None
    else:
        assert {key: getattr(search, key) for key in expected} == expected
