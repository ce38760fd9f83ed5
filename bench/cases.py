"""The benchmark cases. Each returns the pages a user would open, through the test client."""

from django.test import Client
from django.urls import reverse

from bench.runner import Case
from reintegration.models import User


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _get(client: Client, url: str):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def home_cases(n_rows: int) -> list[Case]:
    return [
        Case(f"home_{role}", n_rows, _get(_client(username), reverse("home")))
        for role, username in [
            ("coordinator", "coord.meknes"),
            ("officer", "officer"),
            ("analyst", "analyst"),
            ("admin", "admin"),
        ]
    ]


def all_cases(data) -> list[Case]:
    return [*home_cases(data.case_files)]
