"""Finding 4 of issue 10: the failed-login lockout behind a proxy.

Behind nginx every request comes from the proxy's socket: with the lockout keyed on that
address, anyone could lock any account, and one password tried across many usernames was
never stopped. The client's address is now read from ``X-Forwarded-For`` when
``TRUSTED_PROXY_COUNT`` is set, and an address is locked on its own too, at a higher limit.
"""

import pytest
from django.test import Client
from django.urls import reverse

from reintegration.lockout import client_ip

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")
PROXY = "127.0.0.1"
ATTACKER, VICTIM = "203.0.113.5", "198.51.100.7"
PASSWORD = "test-pass-2026"  # tests.factories.UserFactory's


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 8


def sign_in(username, password, *, address, forwarded=None):
    """A sign-in through nginx, which appends the client's address to X-Forwarded-For."""
    header = f"{forwarded}, {address}" if forwarded else address
    return Client().post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header
    )


def test_failures_from_one_address_do_not_lock_the_account_elsewhere(coordinator_a):
    for _ in range(6):
        sign_in(coordinator_a.username, "wrong", address=ATTACKER)
    assert sign_in(coordinator_a.username, PASSWORD, address=ATTACKER).status_code == 429
    assert sign_in(coordinator_a.username, PASSWORD, address=VICTIM).status_code == 302


def test_a_spoofed_header_does_not_escape_the_count(coordinator_a):
    # Whatever the client puts before the address nginx appends, the count is of that address.
    for fake in range(6):
        sign_in(coordinator_a.username, "wrong", address=ATTACKER, forwarded=f"10.0.0.{fake}")
    assert sign_in(coordinator_a.username, PASSWORD, address=ATTACKER, forwarded="10.9.9.9").status_code == 429


def test_one_password_across_many_usernames_is_throttled(coordinator_a):
    for n in range(7):
        assert sign_in(f"someone{n}", "Summer2026!", address=ATTACKER).status_code == 200
    assert sign_in("someone7", "Summer2026!", address=ATTACKER).status_code == 429  # the 8th locks
    assert sign_in(coordinator_a.username, PASSWORD, address=ATTACKER).status_code == 429  # the address is locked
    assert sign_in(coordinator_a.username, PASSWORD, address=VICTIM).status_code == 302


def test_below_the_address_limit_colleagues_behind_one_address_still_sign_in(coordinator_a, coordinator_b):
    # A centre's computers share one public address: a few typos by each do not lock the others.
    for n in range(4):
        sign_in(coordinator_b.username, "typo", address=ATTACKER)
        sign_in(f"new.colleague{n}", "typo", address=ATTACKER)
    assert sign_in(coordinator_a.username, PASSWORD, address=ATTACKER).status_code == 429  # 8 reached
    assert sign_in(coordinator_a.username, PASSWORD, address=VICTIM).status_code == 302


def test_signing_in_with_ones_own_account_does_not_wipe_the_addresss_count(coordinator_a):
    for n in range(7):
        sign_in(f"someone{n}", "Summer2026!", address=ATTACKER)
    assert sign_in(coordinator_a.username, PASSWORD, address=ATTACKER).status_code == 302
    sign_in("someone7", "Summer2026!", address=ATTACKER)
    assert sign_in("someone8", "Summer2026!", address=ATTACKER).status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.post(LOGIN, REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(request) == "192.0.2.10"


@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (1, "10.0.0.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.1, 203.0.113.5, 172.16.0.2", "203.0.113.5"),
        (2, "203.0.113.5", PROXY),  # fewer entries than proxies: not through ours, not trusted
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_the_client_address_is_the_one_our_proxies_vouch_for(settings, rf, proxies, header, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(rf.post(LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)) == expected
