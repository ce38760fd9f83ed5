"""Steps shared by the browser tests."""

from tests.factories import UserFactory

PASSWORD = "test-pass-2026"


def login_in_browser(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main form [type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def set_language(user, language: str) -> None:
    UserFactory._meta.model.objects.filter(pk=user.pk).update(language=language)
