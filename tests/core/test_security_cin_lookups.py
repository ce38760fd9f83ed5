"""Finding 2 of issue 10: CIN lookups are throttled per user and recorded, never the number.

The registration's duplicate check tells whether a CIN in the whole country belongs to a
registered person; searches and exports by CIN do the same within the user's scope. Each user
may look up ``CIN_LOOKUP_LIMIT`` numbers per ``CIN_LOOKUP_PERIOD``; each lookup is recorded
(who, when, where) under a keyed hash of the number.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from beneficiaries.choices import CinLookupKind
from beneficiaries.cin import cin_digest
from beneficiaries.models import CinLookup
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db

CHECK, LIST, EXPORT = (
    reverse("beneficiaries:duplicates"),
    reverse("beneficiaries:list"),
    reverse("beneficiaries:export"),
)
REFUSAL = (
    "You have looked up many ID numbers (CIN) in a short time: to protect the people "
    "registered, looking up another one is paused for a while. Searching by name still works."
)


@pytest.fixture(autouse=True)
def small_budget(settings):
    settings.CIN_LOOKUP_LIMIT = 3
    settings.CIN_LOOKUP_PERIOD = 3600


def check(client, cin, **names):
    return client.post(CHECK, {"cin": cin, "birth_date": "1990-05-17", **names}, HTTP_HX_REQUEST="true")


def test_the_duplicate_check_is_refused_over_the_budget_with_a_message(client_for, coordinator_a):
    client = client_for(coordinator_a)
    for number in ("XT000101", "XT000102", "XT000103"):
        assert check(client, number).status_code == 200
    refused = check(client, "XT000104")
    assert refused.status_code == 429
    with translation.override(coordinator_a.language or "ar"):
        assert gettext(REFUSAL) in refused.content.decode()


def test_the_refusal_speaks_the_users_language(client_for, coordinator_a):
    coordinator_a.language = "fr"
    coordinator_a.save(update_fields=["language"])
    client = client_for(coordinator_a)
    for number in ("XT000101", "XT000102", "XT000103", "XT000104"):
        response = check(client, number)
    with translation.override("fr"):
        assert gettext(REFUSAL) in response.content.decode()


def test_over_the_budget_the_names_are_still_checked(client_for, coordinator_a, centre_a):
    BeneficiaryFactory(centre=centre_a, cin="XT555555")  # Mohamed El Alaoui, born 17/05/1990
    client = client_for(coordinator_a)
    for number in ("XT000101", "XT000102", "XT000103"):
        check(client, number)
    names = {"first_name_latin": "Mohamed", "last_name_latin": "El Alaoui", "first_name_ar": "محمد"}
    response = check(client, "XT555555", last_name_ar="العلوي", **names)
    assert response.status_code == 429
    assert [c.reason for c in response.context["duplicates"]] == ["name"]  # not "cin": not looked up


def test_the_same_number_again_is_not_counted(client_for, coordinator_a):
    # Every change in the registration form sends the CIN again.
    client = client_for(coordinator_a)
    for _ in range(10):
        assert check(client, "XT000101", first_name_latin="Moha").status_code == 200
    assert CinLookup.objects.count() == 1


def test_a_dozen_registrations_an_hour_fit_the_default_budget(settings, client_for, coordinator_a):
    settings.CIN_LOOKUP_LIMIT = 60
    client = client_for(coordinator_a)
    for person in range(12):
        for _change in range(4):  # names, date, CIN typed, then corrected once
            assert check(client, f"XT0002{person:02d}").status_code == 200
        assert check(client, f"XT0003{person:02d}").status_code == 200


def test_each_lookup_is_recorded_with_a_keyed_hash_never_the_number(client_for, coordinator_a):
    check(client_for(coordinator_a), "xt-000 101")
    lookup = CinLookup.objects.get()
    assert (lookup.user, lookup.kind, lookup.refused) == (coordinator_a, CinLookupKind.DUPLICATE_CHECK, False)
    assert lookup.cin_hash == cin_digest("XT000101") and "000101" not in lookup.cin_hash
    assert all("XT000101" not in str(value) for value in CinLookup.objects.values().get().values())


def test_the_hash_depends_on_the_key(settings):
    first = cin_digest("XT000101")
    settings.CIN_LOOKUP_HASH_KEY = "another key"
    assert cin_digest("XT000101") != first


def test_refused_lookups_are_recorded_too(client_for, coordinator_a):
    client = client_for(coordinator_a)
    for number in ("XT000101", "XT000102", "XT000103", "XT000104"):
        check(client, number)
    assert list(CinLookup.objects.order_by("id").values_list("refused", flat=True)) == [False, False, False, True]


def test_a_half_typed_cin_is_not_a_lookup(client_for, coordinator_a):
    assert check(client_for(coordinator_a), "XT12").status_code == 200
    assert not CinLookup.objects.exists()


def test_cin_searches_and_exports_share_the_budget(client_for, officer, centre_a):
    BeneficiaryFactory(centre=centre_a, cin="XT000101", last_name_latin="Alaoui")
    client = client_for(officer)
    assert client.get(LIST, {"q": "XT000101"}).status_code == 200
    assert client.get(LIST, {"q": "XT000102"}).status_code == 200
    assert client.get(EXPORT, {"q": "XT000103"}).status_code == 200
    refused = client.get(LIST, {"q": "XT000101"})
    assert list(refused.context["page"].object_list) == []
    assert refused.context["filterset"].refusal
    assert client.get(EXPORT, {"q": "XT000105"}).status_code == 429
    # A search by name is not a lookup and still works.
    assert [c.last_name_latin for c in client.get(LIST, {"q": "alaoui"}).context["page"].object_list] == ["Alaoui"]
    kinds = list(CinLookup.objects.order_by("id").values_list("kind", flat=True))
    assert kinds[:3] == [CinLookupKind.CASE_SEARCH, CinLookupKind.CASE_SEARCH, CinLookupKind.CASE_EXPORT]


def test_paging_through_a_cin_search_counts_once(client_for, officer, centre_a):
    client = client_for(officer)
    for page in (1, 2, 3, 4, 5):
        assert client.get(LIST, {"q": "57", "page": page}).status_code == 200
    assert CinLookup.objects.count() == 1


def test_the_registration_forms_cin_is_a_lookup_too(client_for, coordinator_a, centre_b):
    # The form says "already registered, at <centre>" even when the rest of it is refused.
    BeneficiaryFactory(centre=centre_b, cin="XT000104")
    client = client_for(coordinator_a)
    for number in ("XT000101", "XT000102", "XT000103"):
        client.post(reverse("beneficiaries:register"), {"cin": number})
    response = client.post(reverse("beneficiaries:register"), {"cin": "XT000104"})
    errors = response.context["form"].errors["cin"]
    with translation.override(coordinator_a.language or "ar"):
        assert errors == [gettext(REFUSAL)]
    assert CinLookup.objects.filter(kind=CinLookupKind.CASE_FILE_FORM).count() == 4


def test_budgets_are_per_user(client_for, coordinator_a, coordinator_b):
    first, second = client_for(coordinator_a), client_for(coordinator_b)
    for number in ("XT000101", "XT000102", "XT000103"):
        check(first, number)
    assert check(first, "XT000104").status_code == 429
    assert check(second, "XT000104").status_code == 200


def test_administrators_read_the_log_in_the_admin_and_find_a_number(client_for, admin_user, coordinator_a):
    check(client_for(coordinator_a), "XT000101")
    check(client_for(coordinator_a), "XT000102")
    admin = client_for(admin_user)
    changelist = reverse("admin:beneficiaries_cinlookup_changelist")
    assert admin.get(changelist).status_code == 200
    found = admin.get(changelist, {"q": "xt 000 101"}).context["cl"].result_list
    assert [lookup.cin_hash for lookup in found] == [cin_digest("XT000101")]
    lookup = CinLookup.objects.first()
    assert admin.get(reverse("admin:beneficiaries_cinlookup_add")).status_code == 403
    assert (
        admin.post(reverse("admin:beneficiaries_cinlookup_delete", args=[lookup.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert CinLookup.objects.count() == 2
