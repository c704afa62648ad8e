"""Writes of a partner's price book: a whole book saved at once, as a new version or not at all."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.services.versioning import Actor, edits_over, record_change
from costs.catalogue import notes_field
from costs.currencies import CODES, DEFAULT
from costs.models import NOTE_MAX_LENGTH, PriceBook, PriceBookLine
from scoring.price_lines import LINES, price_problem
from tenancy.models import Organisation


@dataclass
class PriceBookSaved:
    """What became of a save: the version now stored and what it changed."""

    version: int
    changed: dict[str, list[Any]] = field(default_factory=dict)
    merged_with: list[str] = field(default_factory=list)


CENT = Decimal("0.01")


def _amount(price: Decimal | int | str | None) -> str | None:
    """A price as the log and the comparisons hold it: "12.50" however it was written."""
    return None if price is None else str(Decimal(price).quantize(CENT))


def _values(book: PriceBook | None) -> dict[str, Any]:
    """The book as plain values by log name: currency, each line's price and note."""
    values: dict[str, Any] = {"currency": book.currency if book else ""}
    for key in LINES:
        values[key] = None
        values[notes_field(key)] = ""
    if book is not None:
        for line in book.lines.all():
            values[line.key] = _amount(line.price)
            values[notes_field(line.key)] = line.notes
    return values


def _problems(currency: str, prices: dict[str, Any], notes: dict[str, str]) -> dict[str, str]:
    """Every refused value, by the name of its field (the line key, or its note's name)."""
    problems: dict[str, str] = {}
    if currency not in CODES:
        problems["currency"] = "Choose the currency of your prices from the list."
    for key, price in prices.items():
        problem = price_problem(key, price, currency if currency in CODES else "EUR")
        if problem:
            problems[key] = problem
    for key, note in notes.items():
        if key not in LINES:
            problems[notes_field(key)] = f"“{key}” is not a line of the price catalogue."
        elif len(note) > NOTE_MAX_LENGTH:
            problems[notes_field(key)] = (
                f"Keep the note to {NOTE_MAX_LENGTH} characters (it has {len(note)})."
            )
    return problems


@transaction.atomic
def price_book_save(
    *,
    organisation: Organisation,
    base_version: int,
    currency: str,
    prices: dict[str, Decimal | None],
    notes: dict[str, str],
    actor: Actor,
) -> PriceBookSaved:
    """Save the whole price book over the version its author saw, as one new version.

    Every value is checked before anything is written: one refused price leaves the whole
    book as it was. Saving the values already stored writes nothing and keeps the version.
    Someone else's save since ``base_version`` is merged when it changed other lines, and
    refused when it changed a line this save changes too.

    Args:
        organisation: The partner organisation whose book it is.
        base_version: The version the author's form showed (0 before the first save).
        currency: The ISO 4217 code every price is in.
        prices: The price of each catalogue line; ``None`` leaves it not priced. Lines not
            given keep their stored price.
        notes: The note of each line; lines not given keep their stored note.
        actor: Who saves.

    Returns:
        The version now stored and ``{name: [old, new]}`` of what changed.

    Raises:
        ValidationError: A price or note refused (by field: the line key, or
            ``"<key>:notes"``); nothing was saved.
        StaleEditError: Someone changed the same lines since ``base_version``; nothing
            was saved.
    """
    currency = (currency or "").strip().upper()
    notes = {key: (note or "").strip() for key, note in notes.items()}
    problems = _problems(currency, prices, notes)
    if problems:
        raise ValidationError(problems)
    # The row lock makes two admins saving at once take turns; get_or_create copes with
    # two first saves racing (the loser reads the winner's row).
    book, created = PriceBook.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"currency": currency, "version": 0}
    )
    now = _values(None if created else book)
    if created:  # the screen shows a new book in the default currency: not a change
        now["currency"] = DEFAULT
    wanted = {"currency": currency}
    wanted.update({key: _amount(price) for key, price in prices.items()})
    wanted.update({notes_field(key): note for key, note in notes.items()})
    # Edits of other lines since the author's version are kept; of the same line, refused.
    mine, _others, merged_with = edits_over(
        record=book, base_version=base_version, now=now, wanted=wanted
    )
    changed = {name: [now.get(name), new] for name, new in mine.items() if new != now.get(name)}
    merged_with = sorted(set(merged_with))
    if not changed:
        if created:  # nothing to keep: no empty book, no version 1 that says nothing
            book.delete()
        return PriceBookSaved(version=0 if created else book.version, merged_with=merged_with)
    # The book as it will be, others' merged changes included: every price must suit its
    # currency (a price kept from before is checked against a new currency's bounds too).
    final = {**now, **{name: new for name, (_old, new) in changed.items()}}
    problems = _problems(
        final["currency"],
        {k: None if final[k] is None else Decimal(final[k]) for k in LINES},
        {},
    )
    if problems:
        raise ValidationError(problems)
    book.currency = final["currency"]
    _write_lines(book, changed)
    book.version += 1
    book.changed_by = actor.user
    book.changed_by_name = actor.label[:160]
    book.full_clean()
    book.save()
    record_change(
        assessment=None,
        obj=book,
        action="create" if book.version == 1 else "update",
        changed=changed,
        actor=actor,
        label="Price book",
    )
    return PriceBookSaved(version=book.version, changed=changed, merged_with=merged_with)


def _write_lines(book: PriceBook, changed: dict[str, list[Any]]) -> None:
    """Store the changed lines: a row while a line has a price or a note, none otherwise."""
    keys = {name.partition(":")[0] for name in changed if name != "currency"}
    if not keys:
        return
    rows = {line.key: line for line in book.lines.filter(key__in=keys)}
    for key in sorted(keys):
        line = rows.get(key) or PriceBookLine(book=book, key=key)
        if key in changed:
            new = changed[key][1]
            line.price = None if new is None else Decimal(new)
        if notes_field(key) in changed:
            line.notes = changed[notes_field(key)][1]
        if line.price is None and not line.notes:
            if line.pk:
                line.delete()
            continue
        line.full_clean(exclude=["book"])
        line.save()
