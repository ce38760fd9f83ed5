"""Messages read in the user's language: a refused form names its fields by their labels, and
the close button of every message is labelled for screen readers in that language."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.browser_helpers import set_language

pytestmark = pytest.mark.django_db


def test_a_refused_planned_action_names_its_fields_by_their_labels(client_for, coordinator_a, draft):
    client = client_for(coordinator_a)
    set_language(coordinator_a, "fr")
    response = client.post(reverse("projects:planned_add", args=[draft.pk]), {"kind": "", "description": ""})
    text = " ".join(str(message) for message in get_messages(response.wsgi_request))
    assert "Ce champ est obligatoire." in text
    assert "* kind" not in text and "kind:" not in text and "description:" not in text


def test_the_messages_close_button_is_labelled_in_the_users_language(client_for, coordinator_a, draft):
    client = client_for(coordinator_a)
    set_language(coordinator_a, "fr")
    response = client.post(
        reverse("projects:planned_add", args=[draft.pk]),
        {"kind": "health", "description": "Bilan de santé"},
        follow=True,
    )
    html = response.content.decode()
    assert 'aria-label="Fermer"' in html
    assert 'aria-label="Close"' not in html
