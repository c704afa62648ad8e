"""Reads of a partner's price book: for the engine, for its screen, and its history."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from assessments.models import Change
from costs.currencies import DEFAULT
from costs.models import PriceBook as StoredBook
from scoring.costs import PriceBook
from scoring.price_lines import price_problem
from tenancy.models import Organisation


def price_book_for(organisation: Organisation | int) -> PriceBook:
    """The organisation's prices as the cost engine reads them, in one query.

    A book whose stored prices the catalogue no longer accepts (a line removed, or a
    bound lowered since) leaves those lines not priced rather than failing every page.

    Args:
        organisation: The partner organisation (or its id).

    Returns:
        Its price book; an empty one in euros (every line "not priced") before an admin
        saves the first version.
    """
    return price_book_dated(organisation)[0]


def price_book_dated(organisation: Organisation | int) -> tuple[PriceBook, datetime | None]:
    """The organisation's prices and when their version was saved, in one query.

    Args:
        organisation: The partner organisation (or its id).

    Returns:
        The price book (as :func:`price_book_for`) and when its version was saved
        (``None`` before the first save): a proposal prints both with its costs.
    """
    # One query: the book joined to its lines (a book without lines gives one row of nulls).
    rows = list(
        StoredBook.objects.filter(organisation=organisation).values_list(
            "currency", "version", "updated_at", "lines__key", "lines__price"
        )
    )
    if not rows:
        return PriceBook(currency=DEFAULT, prices={}, version=None), None
    currency, version, saved_at = rows[0][:3]
    prices: dict[str, Decimal | None] = {
        key: price
        for *_book, key, price in rows
        if key is not None and price_problem(key, price, currency) is None
    }
    return PriceBook(currency=currency, prices=prices, version=version), saved_at


def price_book_values(organisation: Organisation) -> dict[str, Any]:
    """The stored book as its screen shows it: currency, version, who and when, each line.

    Args:
        organisation: The partner organisation.

    Returns:
        ``book`` (the row, or ``None`` before the first save), ``currency``, ``version``
        (0 before the first save), ``prices`` and ``notes`` by line key.
    """
    book = price_book_record(organisation)
    if book is None:
        return {"book": None, "currency": DEFAULT, "version": 0, "prices": {}, "notes": {}}
    lines = list(book.lines.all())
    return {
        "book": book,
        "currency": book.currency,
        "version": book.version,
        "prices": {line.key: line.price for line in lines if line.price is not None},
        "notes": {line.key: line.notes for line in lines if line.notes},
    }


def price_book_record(organisation: Organisation) -> StoredBook | None:
    """The stored book itself (version, who and when), without its lines, or ``None``.

    Args:
        organisation: The partner organisation.

    Returns:
        Its price book row, ``None`` before the first save.
    """
    return StoredBook.objects.filter(organisation=organisation).first()


def price_book_changes(organisation: Organisation) -> QuerySet[Change]:
    """Every saved version of the organisation's price book, newest first, with who saved it.

    Args:
        organisation: The viewer's organisation (the only one whose entries are returned).

    Returns:
        The activity-log entries of its price book.
    """
    return Change.objects.filter(
        organisation=organisation, assessment__isnull=True, object_type="pricebook"
    ).select_related("user")
