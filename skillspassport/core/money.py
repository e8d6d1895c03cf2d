"""Money as people read it: "£1,234.50". The one way the service writes an amount."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")


def pounds(value: Decimal | int | float | str | None) -> str:
    """An amount in pounds with pence and thousands separators ("£1,234.50", "-£5.00");
    "" for no amount. Sums read back from SQLite can carry binary noise
    (135.900000000000): the amount is rounded to the penny, half up, before it is shown."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(PENNY, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"
