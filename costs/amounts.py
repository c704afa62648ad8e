"""Amounts as partners type them: "12.50", "12,50", "1.234,50", "€ 1 234", "EUR 12"."""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Longer than any price a catalogue line accepts, written with every separator and a code.
MAX_TEXT = 40

_CODE = re.compile(r"^[A-Za-z]{3}\s*|\s*[A-Za-z]{3}$")
_PLAIN = re.compile(r"(\d+)(?:([.,])(\d+))?")
_GROUPED_SPACE = re.compile(r"\d{1,3}(?:[ '’]\d{3})+(?:[.,]\d+)?")
_GROUPED_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,234.50 (English)
_GROUPED_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 1.234,50 (German, French …)


class AmountError(ValueError):
    """Text that is not an amount, or could be two different amounts; the message says which."""


def parse_amount(text: str) -> Decimal:
    """The amount ``text`` spells, with a decimal point or comma, grouped or not.

    A currency sign or ISO code before or after it is ignored (the book has one currency).
    A single separator followed by three digits ("1.200", "1,200") is a thousands
    separator in one locale and decimals in another: refused, never guessed. A sign is
    kept, so that a negative price is refused with its own message.

    Args:
        text: What was typed.

    Returns:
        The amount, exactly as written (no rounding).

    Raises:
        AmountError: Not an amount, or ambiguous.
    """
    raw = text
    text = unicodedata.normalize("NFKC", text or "").strip()
    if len(text) > MAX_TEXT:
        raise AmountError("Enter an amount such as 12.50 or 12,50.")
    # Currency signs (Unicode "Sc": € £ $ ¥ ₹ …) and a code such as EUR around the number.
    text = "".join(c for c in text if unicodedata.category(c) != "Sc")
    text = _CODE.sub("", text.strip()).strip()
    sign = ""
    if text[:1] in ("-", "+", "\u2212"):
        sign, text = ("-" if text[0] != "+" else ""), text[1:].strip()
    number = _number(text)
    if number is None:
        raise AmountError(f"“{raw.strip()[:MAX_TEXT]}” is not an amount: enter it like 12.50.")
    try:
        return Decimal(sign + number)
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        raise AmountError("Enter an amount such as 12.50 or 12,50.") from None


def _number(text: str) -> str | None:
    """The number in Python's notation, or None when ``text`` is none of the known forms."""
    if _GROUPED_SPACE.fullmatch(text):
        return re.sub(r"[ '’]", "", text).replace(",", ".")
    match = _PLAIN.fullmatch(text)
    if match:
        whole, mark, fraction = match.groups()
        if mark and len(fraction) == 3 and len(whole) <= 3 and not whole.startswith("0"):
            raise AmountError(
                f"“{text}” could be {whole}{fraction} or {whole}.{fraction}: write "
                f"{whole}{fraction} without the separator, or give at most two decimals."
            )
        return f"{whole}.{fraction}" if mark else whole
    if _GROUPED_COMMA.fullmatch(text):
        return text.replace(",", "")
    if _GROUPED_DOT.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    return None
