"""The currencies a price book may be kept in (ISO 4217), with their names and how amounts read."""

from decimal import Decimal

from babel.numbers import format_currency, get_currency_name

# The currencies partners in the markets the portal serves sell in. A short list rather than
# all of ISO 4217, which carries funds, metals and withdrawn currencies nobody prices in.
CODES = (
    "AED", "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF",
    "ILS", "INR", "ISK", "JPY", "KRW", "MXN", "NOK", "NZD", "PLN", "RON", "SAR", "SEK",
    "SGD", "THB", "TRY", "TWD", "USD", "ZAR",
)  # fmt: skip

CHOICES = [(code, f"{code} · {get_currency_name(code, locale='en')}") for code in CODES]
DEFAULT = "EUR"


def money(amount: Decimal | int | str | None, currency: str, *, blank: str = "") -> str:
    """An amount as people read it in the portal's English pages: "€1,234.50", "£12".

    Whole amounts drop their cents, so tables of yearly figures stay readable.

    Args:
        amount: The amount (a decimal string as stored in snapshots is read too).
        currency: Its ISO 4217 code.
        blank: What a missing amount reads as.

    Returns:
        The amount with its currency sign, grouped in thousands.
    """
    if amount is None or amount == "":
        return blank
    value = Decimal(str(amount))
    pattern = "¤#,##0" if value == value.to_integral_value() else "¤#,##0.00"
    return format_currency(value, currency, format=pattern, locale="en_GB", currency_digits=False)
