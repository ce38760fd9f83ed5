import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "template"),
    [
        ("admin", "reports/home_admin.html"),
        ("officer", "reports/home_officer.html"),
        ("analyst", "reports/home_analyst.html"),
        ("coordinator_a", "reports/home_coordinator.html"),
    ],
)
def test_each_role_gets_its_own_home(cast, client_for, who, template):
    response = client_for(cast[who]).get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]


def test_the_menu_follows_the_role(cast, client_for):
    admin_html = client_for(cast["admin"]).get(reverse("home")).content.decode()
    coordinator_html = client_for(cast["coordinator_a"]).get(reverse("home")).content.decode()
    assert reverse("users:list") in admin_html
    assert reverse("users:list") not in coordinator_html


def test_the_menu_marks_the_current_section(client_for, coordinator_a):
    client = client_for(coordinator_a)
    assert client.get(reverse("home")).context["nav_current"] == "home"
    assert client.get(reverse("beneficiaries:list")).context["nav_current"] == "beneficiaries"
    assert client.get("/no-such-page/").context["nav_current"] == ""
