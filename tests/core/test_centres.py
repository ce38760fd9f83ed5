import pytest
from django.urls import reverse

from reintegration.models import Centre
from tests.factories import CentreFactory
from tests.queries import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("officer", 200),
        ("analyst", 200),
        ("coordinator_a", 200),
        ("coordinator_b", 200),
        ("anonymous", 302),
    ],
)
def test_the_list_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(reverse("centres:list")).status_code == status


def test_a_coordinator_lists_only_their_centre(cast, client_for, centre_a, centre_b):
    html = client_for(cast["coordinator_a"]).get(reverse("centres:list")).content.decode()
    assert centre_a.name_fr in html or centre_a.name_ar in html
    assert centre_b.name_fr not in html and centre_b.name_ar not in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("officer", 200),
        ("analyst", 200),
        ("coordinator_a", 200),
        ("coordinator_b", 404),
        ("anonymous", 302),
    ],
)
def test_the_detail_for_the_cast(cast, client_for, centre_a, who, status):
    assert client_for(cast[who]).get(reverse("centres:detail", args=[centre_a.pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("officer", 403),
        ("analyst", 403),
        ("coordinator_a", 403),
        ("coordinator_b", 404),
        ("anonymous", 302),
    ],
)
def test_the_edit_page_for_the_cast(cast, client_for, centre_a, who, status):
    assert client_for(cast[who]).get(reverse("centres:edit", args=[centre_a.pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("officer", 403), ("analyst", 403), ("coordinator_a", 403), ("anonymous", 302)],
)
def test_the_create_page_for_the_cast(cast, client_for, who, status):
    assert client_for(cast[who]).get(reverse("centres:create")).status_code == status


def test_an_administrator_edits_a_centre_and_its_provinces(client_for, admin_user, centre_a):
    from reintegration.models import Province

    el_hajeb = Province.objects.get(code="03.171")
    meknes = Province.objects.get(code="03.061")
    response = client_for(admin_user).post(
        reverse("centres:edit", args=[centre_a.pk]),
        {
            "code": centre_a.code,
            "name_ar": "مركز مكناس الجديد",
            "name_fr": "Nouveau centre de Meknès",
            "city_ar": "مكناس",
            "city_fr": "Meknès",
            "provinces": [meknes.pk, el_hajeb.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    centre_a.refresh_from_db()
    assert centre_a.name_fr == "Nouveau centre de Meknès"
    assert set(centre_a.provinces.values_list("code", flat=True)) == {"03.061", "03.171"}
    assert centre_a.history.count() >= 2


def test_a_coordinator_cannot_post_an_edit(client_for, coordinator_a, centre_a):
    response = client_for(coordinator_a).post(reverse("centres:edit", args=[centre_a.pk]), {"name_fr": "Hacked"})
    assert response.status_code == 403
    centre_a.refresh_from_db()
    assert centre_a.name_fr == "Centre de Meknès"


def test_visible_to_scopes_centres_by_role(cast, centre_a, centre_b):
    assert list(Centre.objects.visible_to(cast["coordinator_a"])) == [centre_a]
    assert set(Centre.objects.visible_to(cast["officer"])) >= {centre_a, centre_b}
    from django.contrib.auth.models import AnonymousUser

    assert not Centre.objects.visible_to(AnonymousUser()).exists()


def test_the_list_costs_the_same_for_1_and_50_centres(client_for, officer):
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("centres:list")).status_code == 200

    assert_constant_queries(fetch, lambda: CentreFactory.create_batch(49, provinces=["03.061"]), budget=8)


def test_the_detail_costs_a_fixed_number_of_queries(client_for, officer, centre_a):
    client = client_for(officer)

    def fetch():
        assert client.get(reverse("centres:detail", args=[centre_a.pk])).status_code == 200

    def grow():
        from reintegration.models import Province

        centre_a.provinces.set(Province.objects.all()[:50])

    assert_constant_queries(fetch, grow, budget=10)
