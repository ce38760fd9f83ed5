import datetime
from decimal import Decimal

from projects.plan import add_months, line_amount, plan_totals


def test_amounts_are_decimals_rounded_half_up_to_the_centime():
    assert line_amount(Decimal("3"), Decimal("33.33")) == Decimal("99.99")
    assert line_amount(Decimal("0.5"), Decimal("0.05")) == Decimal("0.03")  # 0.025 rounds up
    assert line_amount(Decimal("2.5"), Decimal("1234.56")) == Decimal("3086.40")


def test_plan_totals_add_lines_and_cash_aid():
    totals = plan_totals([(Decimal("1"), Decimal("14500.00")), (Decimal("20"), Decimal("60.00"))], Decimal("3517"))
    assert totals.line_amounts == (Decimal("14500.00"), Decimal("1200.00"))
    assert (totals.equipment, totals.cash_aid, totals.total) == (
        Decimal("15700.00"),
        Decimal("3517.00"),
        Decimal("19217.00"),
    )
    assert all(isinstance(v, Decimal) for v in (totals.equipment, totals.total))


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2021, 5, 24), 3) == datetime.date(2021, 8, 24)
    assert add_months(datetime.date(2021, 11, 30), 3) == datetime.date(2022, 2, 28)
    assert add_months(datetime.date(2021, 5, 26), 24) == datetime.date(2023, 5, 26)
