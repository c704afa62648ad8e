"""The currencies a price book may be kept in (ISO 4217), with their names."""

from babel.numbers import get_currency_name

# The currencies partners in the markets the portal serves sell in. A short list rather than
# all of ISO 4217, which carries funds, metals and withdrawn currencies nobody prices in.
CODES = (
    "AED", "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF",
    "ILS", "INR", "ISK", "JPY", "KRW", "MXN", "NOK", "NZD", "PLN", "RON", "SAR", "SEK",
    "SGD", "THB", "TRY", "TWD", "USD", "ZAR",
)  # fmt: skip

CHOICES = [(code, f"{code} · {get_currency_name(code, locale='en')}") for code in CODES]
DEFAULT = "EUR"
