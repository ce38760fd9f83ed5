"""Finding 3 of issue 10: malformed input is a field error or a 400/404, never a server error.

Each case the probe found, then a safety net: every GET parameter the list pages read gets NUL
bytes and Unicode digits (``²`` passes ``isdigit()`` yet ``int()`` refuses it; PostgreSQL
refuses NUL in text).
"""

import contextlib

import pytest
from django.contrib.auth.forms import AuthenticationForm
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from beneficiaries.filters import BeneficiaryFilter
from beneficiaries.models import CinLookup
from projects.filters import EnvelopeFilter, ProjectFilter
from reintegration.forms import UserFilterForm
from reports.filters import DashboardFilterForm
from tests.factories import BeneficiaryFactory, make_project

pytestmark = pytest.mark.django_db

BAD_VALUES = ["\x00", "x\x00y", "²", "٣", "9" * 40]


# --- Each case the probe found ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_a_username_longer_than_the_lockout_log_holds_is_a_wrong_credentials_answer(client, language):
    client.cookies["django_language"] = language
    response = client.post(reverse("login"), {"username": "a" * 300, "password": "whatever"})
    assert response.status_code == 200
    with translation.override(language):
        expected = gettext(AuthenticationForm.error_messages["invalid_login"]) % {"username": gettext("username")}
    assert response.context["form"].non_field_errors() == [expected]
    wrong = client.post(reverse("login"), {"username": "nobody", "password": "whatever"})
    assert wrong.context["form"].non_field_errors() == [expected]  # the same answer as any wrong name


def test_the_admins_login_takes_a_long_username_too(client):
    # Another login form: the lockout log's username is cut to its column instead.
    response = client.post(reverse("admin:login"), {"username": "a" * 300, "password": "whatever"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("typed", "followed"),
    [
        ("cases", "/"),  # redirect() would look for a view of that name
        ("beneficiaries:list", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("/cases/\x00", "/"),
        ("/cases/?q=Alaoui", "/cases/?q=Alaoui"),
        ("", "/"),
    ],
)
def test_the_language_switch_follows_only_a_path_of_this_site(client_for, coordinator_a, typed, followed):
    response = client_for(coordinator_a).post(reverse("set_language"), {"language": "fr", "next": typed})
    assert response.status_code == 302
    assert response["Location"] == followed
    coordinator_a.refresh_from_db()
    assert coordinator_a.language == "fr"


@pytest.mark.parametrize("cin", ["XT\x00123456", "\x00", "XT12345\x00"])
def test_a_nul_byte_in_the_duplicate_checks_cin_is_not_looked_up(client_for, coordinator_a, cin):
    response = client_for(coordinator_a).post(reverse("beneficiaries:duplicates"), {"cin": cin})
    assert response.status_code == 200
    assert not CinLookup.objects.exists()


def test_a_nul_byte_in_the_duplicate_checks_names_and_date_checks_the_rest(client_for, coordinator_a, centre_a):
    BeneficiaryFactory(centre=centre_a, cin="XT555555")
    data = {"cin": "XT555555", "first_name_latin": "Mo\x00hamed", "birth_date": "1990-05-17\x00"}
    response = client_for(coordinator_a).post(reverse("beneficiaries:duplicates"), data)
    assert response.status_code == 200
    assert [c.reason for c in response.context["duplicates"]] == ["cin"]


@pytest.mark.parametrize("value", ["²", "٣", "\x00", "1²"])
def test_unicode_digits_in_the_kit_rows_and_the_plan_are_refused_quietly(client_for, coordinator_a, centre_a, value):
    project = make_project(BeneficiaryFactory(centre=centre_a), coordinator_a)
    client = client_for(coordinator_a)
    kit_rows = reverse("projects:kit_rows", args=[project.pk])
    assert client.get(kit_rows, {"kit": value, "lines-TOTAL_FORMS": "1"}).status_code in (200, 404)  # ٣ is 3
    assert client.get(kit_rows, {"kit": "1", "lines-TOTAL_FORMS": value}).status_code == 404
    preview = client.post(reverse("projects:plan_preview", args=[project.pk]), {"lines-TOTAL_FORMS": value})
    assert preview.status_code == 200
    edit = client.post(
        reverse("projects:edit", args=[project.pk]), {"lines-TOTAL_FORMS": value, "lines-INITIAL_FORMS": value}
    )
    assert edit.status_code == 200  # the form again, with its errors


# --- The safety net: every GET parameter of the list pages ------------------------------------

PAGES = [
    # (URL name, arguments, who opens it, the forms or filters whose fields it reads from the URL)
    ("home", [], ("admin", "coordinator_a", "officer", "analyst"), []),
    ("beneficiaries:list", [], ("admin", "coordinator_a", "officer"), [BeneficiaryFilter]),
    ("beneficiaries:export", [], ("admin", "coordinator_a", "officer"), [BeneficiaryFilter]),
    ("beneficiaries:transfers", [], ("admin", "coordinator_a"), []),
    ("beneficiaries:duplicate_flags", [], ("admin",), []),
    ("projects:list", [], ("admin", "coordinator_a", "officer"), [ProjectFilter]),
    ("envelopes:list", [], ("admin", "officer"), [EnvelopeFilter]),
    ("distributions:events", [], ("admin", "coordinator_a"), []),
    ("distributions:operations", [], ("admin",), []),
    ("dashboard:index", [], ("analyst",), [DashboardFilterForm]),  # the slowest: one role (the map has both)
    ("dashboard:map", [], ("analyst", "coordinator_a"), [DashboardFilterForm]),
    ("dashboard:export", ["province", "csv"], ("analyst",), [DashboardFilterForm]),
    ("users:list", [], ("admin",), [UserFilterForm]),
    ("centres:list", [], ("admin",), []),
]


@contextlib.contextmanager
def keys_read():
    """Every key any ``QueryDict`` is asked for while the block runs (the URL's, mostly)."""
    seen: set[str] = set()
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist", "__getitem__", "__contains__")}

    def spy(original):
        def read(self, key, *args, **kwargs):
            seen.add(key)
            return original(self, key, *args, **kwargs)

        return read

    for name, original in originals.items():
        setattr(QueryDict, name, spy(original))
    try:
        yield seen
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


def declared(sources) -> set[str]:
    names = {"page"}
    for source in sources:
        names |= set(getattr(source, "base_filters", None) or source.base_fields)
    return names


def answer(client, url, params):
    response = client.get(url, params)
    if response.streaming:
        b"".join(response.streaming_content)  # an export fails while it is written, if at all
    return response.status_code


@pytest.mark.parametrize(("name", "args", "who", "sources"), PAGES, ids=[page[0] for page in PAGES])
def test_no_get_parameter_of_a_list_page_gives_a_server_error(cast, client_for, centre_a, name, args, who, sources):
    BeneficiaryFactory(centre=centre_a)
    url = reverse(name, args=args)
    for role in who:
        client = client_for(cast[role])
        with keys_read() as seen:
            assert answer(client, url, {}) == 200, (name, role)
        for param in sorted((seen | declared(sources)) - {"csrfmiddlewaretoken"}):
            for value in BAD_VALUES:
                status = answer(client, url, {param: value})
                assert status < 500, (name, role, param, value, status)
