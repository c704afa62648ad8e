"""Saving a price book: one version per real change, checked whole, merged or refused when stale."""

from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from assessments.models import Change
from assessments.services.versioning import Actor, StaleEditError
from costs.models import PriceBook, PriceBookLine
from costs.selectors import price_book_for
from costs.services import price_book_save
from costs.tests.helpers import PRICES, fill_price_book

pytestmark = pytest.mark.django_db


def save(world, *, base, user=None, currency="EUR", prices=None, notes=None):
    return price_book_save(
        organisation=world.org,
        base_version=base,
        currency=currency,
        prices=prices or {},
        notes=notes or {},
        actor=Actor.for_user(user or world.admin),
    )


def test_a_first_save_is_version_one_with_who_and_every_line_it_set(world):
    saved = fill_price_book(world.org, world.admin, notes={"oc_user_month": "Quote Q-17"})

    book = PriceBook.objects.get(organisation=world.org)
    assert (saved.version, book.version, book.currency) == (1, 1, "EUR")
    assert book.changed_by_name == "Adam Ash"
    entry = Change.objects.get(object_type="pricebook")
    assert (entry.version, entry.action, entry.actor_label) == (1, "create", "Adam Ash")
    assert entry.fields["oc_user_month"] == [None, "9.50"]
    assert entry.fields["oc_user_month:notes"] == ["", "Quote Q-17"]
    # Blank lines are not stored: they stay "not priced".
    assert not PriceBookLine.objects.filter(key="network_remediation_site").exists()


def test_saving_the_same_values_again_keeps_the_version_and_logs_nothing(world):
    fill_price_book(world.org, world.admin)
    again = fill_price_book(world.org, world.admin)

    assert again.version == 1 and again.changed == {}
    assert Change.objects.filter(object_type="pricebook").count() == 1


def test_an_amount_written_another_way_is_the_same_amount(world):
    fill_price_book(world.org, world.admin)
    again = save(world, base=1, prices={"oc_user_month": Decimal("9.5"), "sbc_small": 4800})
    assert again.changed == {} and again.version == 1


def test_a_first_save_of_nothing_stores_no_book(world):
    saved = save(world, base=0, prices={"oc_user_month": None})
    assert saved.version == 0
    assert not PriceBook.objects.exists()
    assert price_book_for(world.org).version is None


def test_one_refused_price_saves_nothing(world):
    fill_price_book(world.org, world.admin)
    with pytest.raises(ValidationError) as caught:
        save(
            world,
            base=1,
            prices={"oc_user_month": Decimal("11"), "teams_phone_user_month": Decimal("-1")},
        )
    assert "cannot be negative" in caught.value.message_dict["teams_phone_user_month"][0]
    assert price_book_for(world.org).price("oc_user_month") == Decimal("9.50")
    assert PriceBook.objects.get().version == 1


def test_a_per_user_price_of_a_million_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        save(world, base=0, prices={"oc_user_month": Decimal("1000000")})
    assert "check the amount and its unit" in caught.value.message_dict["oc_user_month"][0]
    assert not PriceBook.objects.exists()


def test_a_new_currency_checks_the_prices_kept_from_before(world):
    fill_price_book(world.org, world.admin, currency="JPY", oc_user_month="20000")
    # 20,000 yen a user is plausible; 20,000 euros is not.
    with pytest.raises(ValidationError) as caught:
        save(world, base=1, currency="EUR")
    assert "oc_user_month" in caught.value.message_dict
    assert PriceBook.objects.get().currency == "JPY"


def test_a_stale_save_of_other_lines_is_merged(world):
    fill_price_book(world.org, world.admin)
    save(world, base=1, prices={"oc_user_month": Decimal("10")})
    other = world.manager  # another member saving through the service, as an admin would
    merged = save(world, base=1, user=other, prices={"ps_day": Decimal("1200")})

    assert merged.version == 3 and merged.merged_with == ["Adam Ash"]
    book = price_book_for(world.org)
    assert book.price("oc_user_month") == Decimal("10.00")
    assert book.price("ps_day") == Decimal("1200.00")


def test_a_stale_save_of_the_same_line_is_refused_with_who_changed_it(world):
    fill_price_book(world.org, world.admin)
    save(world, base=1, prices={"oc_user_month": Decimal("10")})
    with pytest.raises(StaleEditError) as caught:
        save(world, base=1, user=world.manager, prices={"oc_user_month": Decimal("11")})
    conflict = caught.value.conflicts[0]
    assert (conflict.label, conflict.by, conflict.theirs) == (
        "Operator Connect calling, per user",
        "Adam Ash",
        "10.00",
    )
    assert price_book_for(world.org).price("oc_user_month") == Decimal("10.00")


def test_the_engine_reads_the_stored_book_in_one_query(world, django_assert_num_queries):
    fill_price_book(world.org, world.admin, currency="GBP")
    with django_assert_num_queries(1):
        book = price_book_for(world.org)
    assert (book.currency, book.version) == ("GBP", 1)
    assert book.price("sbc_medium") == Decimal("11500.00")
    assert book.price("network_remediation_site") is None
    priced = {k for k, v in PRICES.items() if v is not None}
    assert set(book.prices) == priced


def test_another_organisations_book_is_never_read(world):
    fill_price_book(world.org, world.admin)
    assert price_book_for(world.other_org).prices == {}
