"""``QuickSelect`` draws what Django's select templates draw, byte for byte; ``ListedModelChoices``
lists what Django's iterator lists, without a server-side cursor."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reintegration.forms_util import listed_choices
from reintegration.models import Centre, Province
from reintegration.territory import group_provinces
from reintegration.widgets import LanguageSelect, QuickSelect

GROUPED = [
    ("", "Tout"),
    ('Provinces <covered> by "A & B"', [(1, "Meknès"), (2, "El Hajeb")]),
    ("Fès-Meknès", [(3, "Fès"), ("4", "Ifrane <&>")]),
    (5, "Seule"),
]


def both(choices, name, value, attrs):
    quick = QuickSelect(choices=choices).render(name, value, attrs)
    django = forms.Select(choices=choices).render(name, value, attrs)
    return quick, django


@pytest.mark.parametrize("value", [None, "", 2, "4", 5, "not a choice"])
def test_it_draws_the_same_html_as_django(value):
    attrs = {"id": "id_province", "class": "form-select", "aria-invalid": "true", "required": True, "disabled": False}
    quick, django = both(GROUPED, "province", value, attrs)
    assert quick == django


def test_the_selected_option_and_escaping_are_django_s():
    quick, _ = both(GROUPED, "province", "4", {"id": "id_province"})
    assert '<option value="4" selected>Ifrane &lt;&amp;&gt;</option>' in quick
    assert 'label="Provinces &lt;covered&gt; by &quot;A &amp; B&quot;"' in quick


def test_a_subclass_with_templates_of_its_own_is_drawn_by_them():
    class Fancy(QuickSelect):
        option_template_name = "django/forms/widgets/select_option.html"  # Django's: drawn quickly
        template_name = "django/forms/widgets/select.html"

    class Templated(QuickSelect):
        template_name = "django/forms/widgets/radio.html"

    assert Fancy(choices=GROUPED).render("p", 2) == forms.Select(choices=GROUPED).render("p", 2)

    class DjangoTemplated(forms.Select):
        template_name = "django/forms/widgets/radio.html"

    drawn = Templated(choices=GROUPED).render("p", 2)
    assert not drawn.startswith("<select")  # its own template, not QuickSelect's drawing
    assert drawn == DjangoTemplated(choices=GROUPED).render("p", 2)


@pytest.mark.django_db
def test_grouped_provinces_draw_as_before(centre_a):
    class Form(forms.Form):
        quick = forms.ModelChoiceField(Province.objects.all(), widget=QuickSelect)
        django = forms.ModelChoiceField(Province.objects.all())

    form = Form(
        initial={"quick": Province.objects.get(code="03.061").pk, "django": Province.objects.get(code="03.061").pk}
    )
    for name in ("quick", "django"):
        group_provinces(form.fields[name], centre=centre_a)
    quick, django = str(form["quick"]), str(form["django"])
    assert quick.replace("quick", "django") == django
    assert quick.count("<optgroup") == django.count("<optgroup") > 1


@pytest.mark.django_db
def test_listed_choices_are_django_s_choices_in_one_plain_query(centre_a, centre_b):
    listed = forms.ModelChoiceField(Centre.objects.order_by("code"))
    usual = forms.ModelChoiceField(Centre.objects.order_by("code"))
    listed_choices(listed)
    with CaptureQueriesContext(connection) as captured:
        choices = [(str(value), label) for value, label in listed.widget.choices]
    assert choices == [(str(value), label) for value, label in usual.widget.choices]
    assert choices[0] == ("", "---------")
    assert len(choices) == Centre.objects.count() + 1
    assert len(captured) == 1
    assert "DECLARE" not in captured.captured_queries[0]["sql"].upper()  # no server-side cursor (PostgreSQL)


@pytest.mark.django_db
def test_a_listed_choice_still_validates_against_the_queryset(centre_a, centre_b):
    field = forms.ModelChoiceField(Centre.objects.filter(pk=centre_a.pk))
    listed_choices(field)
    assert field.clean(str(centre_a.pk)) == centre_a
    with pytest.raises(forms.ValidationError):
        field.clean(str(centre_b.pk))


def test_language_select_keeps_its_option_attributes():
    # A Select subclass that changes create_option is drawn by QuickSelect with the same attributes.
    class QuickLanguages(QuickSelect, LanguageSelect):
        pass

    choices = [("fr", "Français"), ("ar", "العربية")]
    assert QuickLanguages(choices=choices).render("l", "ar") == LanguageSelect(choices=choices).render("l", "ar")
