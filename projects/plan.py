"""The equipment plan's arithmetic: the one place where line amounts and totals are computed.

The forms' live preview, the services that save a plan, and the receipts all call
``plan_totals``; nothing else multiplies a quantity by a price.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from reintegration.money import to_amount

ZERO = Decimal("0.00")


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


def add_months(day, months: int):
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
