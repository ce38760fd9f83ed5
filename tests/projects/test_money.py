"""Amounts and quantities as people type them: every format a coordinator may use is read
exactly, everything else is refused in words, in the user's language, and nothing typed into a
money field, the plan editor or its live preview ever makes a server error."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distributions.forms import DeliveryForm, HandoverItemForm
from projects.forms import (
    EnvelopeForm,
    EquipmentLineForm,
    FunderForm,
    KitLineForm,
    ProjectForm,
    VisitForm,
    plan_typed,
)
from projects.models import EquipmentLine, LifeProject
from projects.plan import AMOUNT_LIMIT, line_amount, plan_totals
from reintegration.forms import AmountField, PositiveAmountField, PositiveQuantityField, QuantityField
from reintegration.money import NotANumber, format_amount, parse_decimal, to_amount
from reintegration.widgets import AmountInput, DecimalTextInput
from tests.browser_helpers import set_language
from tests.html_forms import read_form

AMOUNT_MAX = Decimal("999999999999.99")  # MONEY: 14 digits, 2 decimals
QUANTITY_MAX = Decimal("99999999.99")  # quantities: 10 digits, 2 decimals
FIELDS = [AmountField(), PositiveAmountField(), QuantityField(), PositiveQuantityField()]
LANGUAGES = ["ar", "fr", "en"]
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Any text a browser can send (no lone surrogates: they cannot be encoded), and the usual suspects.
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)
tricky = st.sampled_from(
    ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", "1e26", "1E+26", "-1e-5", "1e-2", "0x10", "1_000", "١e٢"]
)
any_decimal = st.decimals(allow_nan=True, allow_infinity=True).map(str)
huge_or_tiny = st.decimals(min_value=Decimal("-1e40"), max_value=Decimal("1e40"), places=4).map(str)
any_integer = st.integers().map(str)
any_float = st.floats().map(repr)
typed = st.one_of(any_text, tricky, any_decimal, huge_or_tiny, any_integer, any_float)


def _grouped(value: Decimal, thousands: str, decimal: str) -> str:
    whole, _dot, cents = f"{value:.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return thousands.join(groups) + decimal + cents


# The ways a valid amount gets typed, each with the language it is typed in.
WRITERS = [
    ("fr", lambda v: str(v)),  # 1234.56
    ("fr", lambda v: str(v).replace(".", ",")),  # 1234,56
    ("ar", lambda v: _grouped(v, " ", ",")),  # 1 234,56
    ("fr", lambda v: _grouped(v, " ", ".")),  # 1 234.56
    ("fr", lambda v: _grouped(v, "\u00a0", ",")),  # no-break space
    ("ar", lambda v: _grouped(v, "\u202f", ",")),  # narrow no-break space
    ("fr", lambda v: _grouped(v, ".", ",")),  # 1.234,56
    ("en", lambda v: _grouped(v, ",", ".")),  # 1,234.56
    ("ar", lambda v: _grouped(v, "٬", "٫").translate(ARABIC_INDIC)),  # ١٬٢٣٤٫٥٦
    ("ar", lambda v: str(v).replace(".", "٫").translate(PERSIAN)),  # ۱۲۳۴٫۵۶
    ("ar", lambda v: str(v).translate(ARABIC_INDIC)),  # ١٢٣٤.٥٦
    ("fr", lambda v: format_amount(v, unit=False, language="fr")),
    ("ar", lambda v: format_amount(v, language="ar")),  # with درهم
    ("fr", lambda v: format_amount(v, language="fr")),  # with DH
    ("en", lambda v: format_amount(v, unit=False, language="en")),
]


def _outcome(field, text, language):
    """The field's answer: ("ok", value) or ("refused", codes). Any other exception fails the test."""
    with translation.override(language):
        try:
            return "ok", field.clean(text)
        except ValidationError as error:
            return "refused", {e.code for e in error.error_list}


# --- The field ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("1 234,56", "fr", "1234.56"),
        ("1234.56", "fr", "1234.56"),
        ("1 234.56", "ar", "1234.56"),
        ("1234,56", "ar", "1234.56"),
        ("1\u00a0234,56", "fr", "1234.56"),
        ("1\u202f234,56", "ar", "1234.56"),
        ("١٢٣٤٫٥٦", "ar", "1234.56"),
        ("١٬٢٣٤٫٥٦", "ar", "1234.56"),
        ("۱۲۳۴٫۵۶", "ar", "1234.56"),
        ("۱ ۲۳۴,۵", "fr", "1234.50"),
        ("1.234,56", "fr", "1234.56"),
        ("1,234.56", "en", "1234.56"),
        ("1,234", "en", "1234.00"),  # as English pages show thousands
        ("2 576 296,77", "fr", "2576296.77"),
        ("3\u202f200,00\u00a0DH", "fr", "3200.00"),
        ("3\u202f200,00\u00a0درهم", "ar", "3200.00"),
        ("\u200f١٢٠٠\u200f", "ar", "1200.00"),  # direction marks copied from Arabic text
        ("  45 ", "fr", "45.00"),
        (",5", "fr", "0.50"),
        ("0", "fr", "0.00"),
        ("999 999 999 999,99", "fr", "999999999999.99"),
    ],
)
def test_it_reads_every_way_of_typing_an_amount(text, language, expected):
    with translation.override(language):
        value = AmountField().clean(text)
    assert value == Decimal(expected) and value.as_tuple().exponent == -2


def _messages(field, text, language) -> list[str]:
    with translation.override(language):
        try:
            field.clean(text)
        except ValidationError as error:
            return [str(message) for message in error.messages]
    pytest.fail(f"{text!r} was accepted")


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize(
    ("field", "text", "msgid", "params"),
    [
        (AmountField(), "abc", "Enter an amount in dirhams, for example %(example)s.", "example"),
        (AmountField(), "1e26", "Enter an amount in dirhams, for example %(example)s.", "example"),
        (AmountField(), "NaN", "Enter an amount in dirhams, for example %(example)s.", "example"),
        (AmountField(), "Infinity", "Enter an amount in dirhams, for example %(example)s.", "example"),
        (AmountField(), "12 34", "Enter an amount in dirhams, for example %(example)s.", "example"),
        (AmountField(), "1,2,3,4", "Enter an amount in dirhams, for example %(example)s.", "example"),
        (AmountField(), "-5", "The amount cannot be negative.", None),
        (AmountField(), "12,345", "Enter at most two decimals: the centimes.", None),
        (AmountField(), "0.001", "Enter at most two decimals: the centimes.", None),
        (AmountField(), "1" * 26, "The amount may not exceed %(maximum)s.", "maximum"),
        (AmountField(), "1 000 000 000 000", "The amount may not exceed %(maximum)s.", "maximum"),
        (PositiveAmountField(), "0,00", "The amount must be more than zero.", None),
        (PositiveQuantityField(), "x", "Enter a quantity, for example %(example)s.", "quantity_example"),
        (PositiveQuantityField(), "0", "The quantity must be more than zero.", None),
        (PositiveQuantityField(), "-1", "The quantity cannot be negative.", None),
        (PositiveQuantityField(), "1,255", "Enter at most two decimals.", None),
        (PositiveQuantityField(), "100 000 000", "The quantity may not exceed %(maximum)s.", "quantity_maximum"),
    ],
)
def test_it_refuses_in_words_in_the_users_language(field, text, msgid, params, language):
    with translation.override(language):
        values = {
            "example": {"example": format_amount(Decimal("1234.50"), unit=False)},
            "maximum": {"maximum": format_amount(AMOUNT_MAX)},
            "quantity_example": {"example": "2,5"},
            "quantity_maximum": {"maximum": "99\u202f999\u202f999,99"},
        }
        expected = gettext(msgid) % values[params] if params else gettext(msgid)
    assert _messages(field, text, language) == [expected]


def test_the_limit_is_written_as_amounts_are_shown_in_each_language():
    with translation.override("fr"):
        french = gettext("The amount may not exceed %(maximum)s.") % {
            "maximum": "999\u202f999\u202f999\u202f999,99\u00a0DH"
        }
    assert _messages(AmountField(), "1" * 13, "fr") == [french]
    assert _messages(AmountField(), "1" * 13, "ar")[0].endswith("999\u202f999\u202f999\u202f999,99\u00a0درهم.")
    assert "1\u202f234,50" in _messages(AmountField(), "abc", "ar")[0]


@settings(max_examples=300, deadline=None)
@given(text=typed, field=st.sampled_from(FIELDS), language=st.sampled_from(LANGUAGES))
def test_no_text_makes_a_field_raise_anything_but_a_refusal(text, field, language):
    verdict, value = _outcome(field, text, language)
    if verdict == "ok" and value is not None:
        assert isinstance(value, Decimal) and value.is_finite()
        assert field.min_value <= value <= field.max_value
        assert value.as_tuple().exponent == -2


@settings(max_examples=200, deadline=None)
@given(number=st.integers(), field=st.sampled_from(FIELDS))
def test_whole_numbers_are_accepted_exactly_within_the_limits(number, field):
    verdict, value = _outcome(field, str(number), "fr")
    if field.min_value <= number <= field.max_value:
        assert (verdict, value) == ("ok", Decimal(number))
    else:
        assert verdict == "refused"


@settings(max_examples=300, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=AMOUNT_MAX, places=2, allow_nan=False, allow_infinity=False),
    writer=st.sampled_from(WRITERS),
)
def test_a_valid_amount_however_written_reads_back_exactly(value, writer):
    language, write = writer
    assert _outcome(AmountField(), write(value), language) == ("ok", value)


@settings(max_examples=100, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=AMOUNT_MAX, places=2, allow_nan=False, allow_infinity=False),
    language=st.sampled_from(LANGUAGES),
)
def test_an_amount_shown_in_its_input_reads_back_exactly(value, language):
    with translation.override(language):
        shown = AmountInput().format_value(value)
        assert shown == format_amount(value, unit=False)  # as on the rest of the page
    assert _outcome(AmountField(), shown, language) == ("ok", value)


@settings(max_examples=100, deadline=None)
@given(
    value=st.decimals(min_value=Decimal("0.01"), max_value=QUANTITY_MAX, places=2, allow_nan=False),
    language=st.sampled_from(LANGUAGES),
)
def test_a_quantity_shown_in_its_input_reads_back_exactly(value, language):
    with translation.override(language):
        shown = DecimalTextInput().format_value(value)
    assert _outcome(PositiveQuantityField(), shown, language) == ("ok", value)


@settings(max_examples=200, deadline=None)
@given(text=typed, language=st.sampled_from(LANGUAGES))
def test_the_parser_reads_a_number_or_says_it_is_not_one(text, language):
    try:
        number = parse_decimal(text, language=language)
    except NotANumber:
        return
    assert number.is_finite()


def test_amounts_in_input_boxes_are_text_not_number_inputs():
    html = AmountField().widget.render("amount", Decimal("3200"))
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'type="number"' not in html


# --- The arithmetic -------------------------------------------------------------------------


def test_rounding_to_the_centime_never_overflows():
    assert to_amount(Decimal("1e26")) == Decimal("1e26")
    assert to_amount(Decimal("123456789012345678901234567890.125")) == Decimal("123456789012345678901234567890.13")


def test_the_largest_plan_the_forms_allow_adds_up_exactly():
    lines = [(QUANTITY_MAX, AMOUNT_MAX)] * 100
    totals = plan_totals(lines, AMOUNT_MAX)
    one = QUANTITY_MAX * AMOUNT_MAX
    assert totals.line_amounts[0] == one.quantize(Decimal("0.01"))
    assert totals.total == to_amount(one) * 100 + AMOUNT_MAX


# --- Every form with a money field -----------------------------------------------------------

# (form class, field): every form that takes an amount or a quantity.
MONEY_FORMS = [
    (ProjectForm, "cash_aid"),
    (EquipmentLineForm, "unit_price"),
    (EquipmentLineForm, "quantity"),
    (VisitForm, "monthly_income"),
    (EnvelopeForm, "amount"),
    (FunderForm, "share"),
    (DeliveryForm, "cash_aid"),
    (HandoverItemForm, "quantity"),
    (KitLineForm, "unit_price"),
    (KitLineForm, "quantity"),
]


def test_every_money_field_of_the_forms_is_the_shared_field(db):
    for form_class, name in MONEY_FORMS:
        field = form_class().fields[name]
        assert isinstance(field, (AmountField, QuantityField)), (form_class, name)
        assert isinstance(field.widget, DecimalTextInput), (form_class, name)
    assert isinstance(EnvelopeForm().fields["amount"], PositiveAmountField)
    assert isinstance(FunderForm().fields["share"], PositiveAmountField)
    assert isinstance(EquipmentLineForm().fields["quantity"], PositiveQuantityField)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form_and_field=st.sampled_from(MONEY_FORMS), text=typed)
def test_no_text_in_a_money_field_breaks_its_form(db, form_and_field, text):
    form_class, name = form_and_field
    with translation.override("fr"):
        form = form_class(data={name: text})
        form.is_valid()  # must not raise
        verdict, value = _outcome(form.fields[name], text, "fr")
        if verdict == "ok" and value is not None:
            assert name not in form.errors and form.cleaned_data[name] == value
        elif verdict == "refused":
            assert form.errors[name]


# --- The plan editor and its live preview, through the views ---------------------------------

PREVIEW_KEYS = [
    "lines-TOTAL_FORMS",
    "cash_aid",
    *(f"lines-{i}-{name}" for i in range(3) for name in ("quantity", "unit_price", "DELETE")),
]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(PREVIEW_KEYS), typed, max_size=len(PREVIEW_KEYS)))
def test_the_live_preview_answers_whatever_it_is_sent(client_for, coordinator_a, draft, data):
    url = reverse("projects:plan_preview", args=[draft.pk])
    response = client_for(coordinator_a).post(url, data)
    assert response.status_code == 200
    assert 'id="plan-total" hx-swap-oob="true"' in response.content.decode()
    totals = response.context["totals"]
    with translation.override("en"):  # the cast's language
        typed_plan = plan_typed(data)
    assert totals == typed_plan.totals
    for index, amount in enumerate(totals.line_amounts):
        row = f"lines-{index}"
        quantity = _outcome(EquipmentLineForm.base_fields["quantity"], data.get(f"{row}-quantity", ""), "en")
        price = _outcome(EquipmentLineForm.base_fields["unit_price"], data.get(f"{row}-unit_price", ""), "en")
        if not data.get(f"{row}-DELETE") and quantity[0] == price[0] == "ok" and None not in (quantity[1], price[1]):
            assert amount == line_amount(quantity[1], price[1])


def test_the_preview_says_what_is_wrong_next_to_each_figure(client_for, coordinator_a, draft):
    set_language(coordinator_a, "fr")
    response = client_for(coordinator_a).post(
        reverse("projects:plan_preview", args=[draft.pk]),
        {
            "lines-TOTAL_FORMS": "2",
            "lines-0-quantity": "2,5",
            "lines-0-unit_price": "1e26",
            "lines-1-quantity": "",  # still being typed: no message yet
            "lines-1-unit_price": "1\u202f200,50",
            "cash_aid": "-10",
        },
    )
    assert response.status_code == 200
    errors = dict(response.context["errors"])
    with translation.override("fr"):
        invalid = gettext("Enter an amount in dirhams, for example %(example)s.") % {
            "example": format_amount(Decimal("1234.50"), unit=False)
        }
        negative = gettext("The amount cannot be negative.")
    assert errors["id_lines-0-unit_price_errors"] == [invalid]
    assert errors["id_lines-1-quantity_errors"] == [] and errors["id_lines-1-unit_price_errors"] == []
    assert errors["id_cash_aid_errors"] == [negative]
    assert response.context["totals"].total == Decimal("0.00")
    box = 'id="id_lines-0-unit_price_errors" class="invalid-feedback d-block" aria-live="polite" hx-swap-oob="true">'
    assert box + invalid in response.content.decode()


def test_the_preview_flags_a_line_too_large_for_the_amount_column(client_for, coordinator_a, draft):
    response = client_for(coordinator_a).post(
        reverse("projects:plan_preview", args=[draft.pk]),
        {"lines-TOTAL_FORMS": "1", "lines-0-quantity": "99999999", "lines-0-unit_price": "999999999999"},
    )
    errors = dict(response.context["errors"])
    assert errors["id_lines-0-unit_price_errors"] == [
        gettext("The line's amount may not exceed %(maximum)s.") % {"maximum": format_amount(AMOUNT_LIMIT)}
    ]
    assert errors["id_plan_errors"]


def _edit_data(client, project):
    return read_form(client.get(reverse("projects:edit", args=[project.pk])), "project-form")


_RENDERED: dict[tuple, dict] = {}


def _rendered_once(key: tuple, read) -> dict:
    """A form as rendered, read once per test (its examples roll back all they write, so the
    page would read the same each time)."""
    if key not in _RENDERED:
        _RENDERED.clear()
        _RENDERED[key] = read()
    return dict(_RENDERED[key])


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(price=typed, quantity=st.one_of(typed, st.just("1")))
def test_the_plan_editor_saves_exactly_or_refuses_never_fails(client_for, coordinator_a, draft, price, quantity):
    client = client_for(coordinator_a)
    with transaction.atomic():  # each example starts from the same plan
        data = _rendered_once(("edit", draft.pk), lambda: _edit_data(client, draft))
        data.update({"lines-0-unit_price": price, "lines-0-quantity": quantity})
        response = client.post(reverse("projects:edit", args=[draft.pk]), data)
        price_verdict = _outcome(AmountField(), price, "en")
        quantity_verdict = _outcome(PositiveQuantityField(), quantity, "en")
        readable = price_verdict[0] == quantity_verdict[0] == "ok" and None not in (
            price_verdict[1],
            quantity_verdict[1],
        )
        cash_aid = Decimal("2000.00")
        if readable and line_amount(quantity_verdict[1], price_verdict[1]) + cash_aid <= AMOUNT_LIMIT:
            assert response.status_code == 302
            line = EquipmentLine.objects.get(project=draft)
            assert (line.quantity, line.unit_price) == (quantity_verdict[1], price_verdict[1])
        else:
            assert response.status_code == 200
            lines = response.context["lines"]
            assert lines.forms[0].errors or lines.non_form_errors() or response.context["form"].errors
            assert EquipmentLine.objects.get(project=draft).unit_price == Decimal("10000.00")
        transaction.set_rollback(True)


def test_the_editor_shows_amounts_as_the_page_does_and_takes_them_back(client_for, coordinator_a, draft):
    set_language(coordinator_a, "fr")
    client = client_for(coordinator_a)
    response = client.get(reverse("projects:edit", args=[draft.pk]))
    html = response.content.decode()
    assert 'name="lines-0-unit_price" value="10\u202f000,00"' in html
    assert 'name="cash_aid" value="2\u202f000,00"' in html
    assert 'type="number"' not in html.split('id="plan"')[1].split("</table>")[0]
    data = read_form(response, "project-form")
    data.update({"lines-0-quantity": "2,5", "lines-0-unit_price": "1 234,56", "cash_aid": "3\u00a0517,01"})
    assert client.post(reverse("projects:edit", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.equipment_total, draft.cash_aid, draft.total) == (
        Decimal("3086.40"),
        Decimal("3517.01"),
        Decimal("6603.41"),
    )


def test_an_arabic_user_types_arabic_digits(client_for, coordinator_a, draft):
    set_language(coordinator_a, "ar")
    client = client_for(coordinator_a)
    data = _edit_data(client, draft)
    assert data["lines-0-unit_price"] == "10\u202f000,00"  # Western digits, as Arabic pages show them
    data.update({"lines-0-quantity": "٣", "lines-0-unit_price": "١٬٢٣٤٫٥٠", "cash_aid": "۵۰۰"})
    assert client.post(reverse("projects:edit", args=[draft.pk]), data).status_code == 302
    line = EquipmentLine.objects.get(project=draft)
    assert (line.quantity, line.unit_price) == (Decimal("3.00"), Decimal("1234.50"))
    assert LifeProject.objects.get(pk=draft.pk).cash_aid == Decimal("500.00")


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_26_digit_price_is_refused_in_the_users_language(client_for, coordinator_a, draft, language):
    set_language(coordinator_a, language)
    client = client_for(coordinator_a)
    data = _edit_data(client, draft)
    data["lines-0-unit_price"] = "1" * 26
    response = client.post(reverse("projects:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    with translation.override(language):
        expected = gettext("The amount may not exceed %(maximum)s.") % {"maximum": format_amount(AMOUNT_MAX)}
    assert response.context["lines"].forms[0].errors["unit_price"] == [expected]
    assert EquipmentLine.objects.get(project=draft).unit_price == Decimal("10000.00")


# --- Envelopes -----------------------------------------------------------------------------------


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=typed)
def test_an_envelope_amount_is_saved_exactly_or_refused(client_for, officer, amount):
    from projects.models import Envelope
    from tests.factories import PartnerFactory, ProgramFactory

    client = client_for(officer)
    with transaction.atomic():
        program, partner = ProgramFactory(), PartnerFactory()
        data = _rendered_once(("envelope", officer.pk), lambda: read_form(client.get(reverse("envelopes:create"))))
        data.update(
            {
                "name": "Convention",
                "program": program.pk,
                "fiscal_year": "2026",
                "amount": amount,
                "funders-TOTAL_FORMS": "1",
                "funders-0-partner": partner.pk,
                "funders-0-share": amount,
            }
        )
        response = client.post(reverse("envelopes:create"), data)
        verdict, value = _outcome(PositiveAmountField(), amount, "en")
        if verdict == "ok" and value is not None:
            assert response.status_code == 302
            assert Envelope.objects.get(name="Convention").amount == value
        else:
            assert response.status_code == 200 and response.context["form"].errors["amount"]
            assert not Envelope.objects.filter(name="Convention").exists()
        transaction.set_rollback(True)


def test_an_envelope_in_french_spaces_and_comma(client_for, officer):
    from projects.models import Envelope
    from tests.factories import ProgramFactory

    set_language(officer, "fr")
    client = client_for(officer)
    data = read_form(client.get(reverse("envelopes:create")))
    data.update({"name": "Rehamna", "program": ProgramFactory().pk, "fiscal_year": "2026", "amount": "316 607,00"})
    assert client.post(reverse("envelopes:create"), data).status_code == 302
    envelope = Envelope.objects.get(name="Rehamna")
    assert envelope.amount == Decimal("316607.00")
    html = client.get(reverse("envelopes:edit", args=[envelope.pk])).content.decode()
    assert 'name="amount" value="316\u202f607,00"' in html
