"""The case's status buttons were wrapped in an alias makemessages did not know: they now read
in the user's language."""

import pytest
from django.urls import reverse

from tests.browser_helpers import set_language
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "label", "english"),
    [("ar", "إغلاق الملف", "Close the case"), ("fr", "Clôturer le dossier", "Close the case")],
)
def test_the_case_status_buttons_speak_the_users_language(client_for, coordinator_a, language, label, english):
    case = BeneficiaryFactory(centre=coordinator_a.centre)
    client = client_for(coordinator_a)
    set_language(coordinator_a, language)
    html = client.get(reverse("beneficiaries:detail", args=[case.pk])).content.decode()
    assert label in html
    assert english not in html
