"""The equipment plan's arithmetic: the one place where line amounts and totals are computed.

The forms' live preview, the services that save a plan, and the receipts all call
``plan_totals``; nothing else multiplies a quantity by a price.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projects.models import MONEY
from reintegration.money import amount_limit, format_amount, to_amount

ZERO = Decimal("0.00")
# The most a line or a plan may come to: what the amount columns hold. The forms keep quantities
# and prices within their own columns, so the products and sums here stay well inside the 28
# digits of decimal arithmetic (``to_amount`` copes with more anyway).
AMOUNT_LIMIT = amount_limit(**MONEY)


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return to_amount(Decimal(quantity) * Decimal(unit_price))


@dataclass(frozen=True)
class PlanTotals:
    line_amounts: tuple[Decimal, ...]
    equipment: Decimal
    cash_aid: Decimal

    @property
    def total(self) -> Decimal:
        return self.equipment + self.cash_aid


def plan_totals(lines: Iterable[tuple[Decimal, Decimal]], cash_aid: Decimal | None = None) -> PlanTotals:
    """``lines`` are (quantity, unit price) pairs; amounts are rounded to the centime line by line."""
    amounts = tuple(line_amount(quantity, price) for quantity, price in lines)
    return PlanTotals(amounts, sum(amounts, ZERO), to_amount(cash_aid or ZERO))


def line_limit_error(amount: Decimal) -> ValidationError | None:
    """Why a line cannot be kept (its amount does not fit), or None."""
    if amount <= AMOUNT_LIMIT:
        return None
    return ValidationError(
        _("The line's amount may not exceed %(maximum)s."),
        code="line_max",
        params={"maximum": format_amount(AMOUNT_LIMIT)},
    )


def totals_limit_error(totals: PlanTotals) -> ValidationError | None:
    """Why a plan cannot be kept (its equipment or total does not fit), or None."""
    if max(totals.equipment, totals.total) <= AMOUNT_LIMIT:
        return None
    return ValidationError(
        _("The plan's total may not exceed %(maximum)s."),
        code="total_max",
        params={"maximum": format_amount(AMOUNT_LIMIT)},
    )


def add_months(day, months: int):
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
