"""Whole numbers read from requests (ids, versions, positions), parsed without ever raising."""

MAX_ID = 2**63 - 1  # the largest primary key a database column holds
_MAX_DIGITS = len(str(MAX_ID))


def parse_int(value: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The whole number ``value`` spells in ASCII digits, or None for anything else.

    ``str.isdigit()`` is true for "²" and "٣", which ``int()`` refuses or reads as another
    number, and ``int()`` raises on more than 4,300 digits; this never raises and does a
    bounded amount of work whatever it is given.

    Args:
        value: What the request held (usually text; ints are range-checked as they are).
        minimum: The smallest number accepted.
        maximum: The largest number accepted (by default the largest database id).

    Returns:
        The number, or None when ``value`` is not plain digits within the bounds.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        digits = value.lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS:
            return None
        number = int(digits)
    else:
        return None
    return number if minimum <= number <= maximum else None
