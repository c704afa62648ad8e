"""The price-book screens: admins edit, members read, other organisations see nothing of it."""

from decimal import Decimal

from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from assessments.models import Change
from costs.models import PriceBook, PriceBookLine
from costs.selectors import price_book_for
from costs.tests.helpers import fill_price_book
from tests.factories import messages_of
from tests.html_forms import find_form, submission

pytestmark = pytest.mark.django_db

BOOK = reverse("costs:price-book")
HISTORY = reverse("costs:price-book-history")


def rows():
    """Every stored row the form can write."""
    return {
        "books": list(PriceBook.objects.order_by("pk").values()),
        "lines": list(PriceBookLine.objects.order_by("pk").values()),
        "log": list(Change.objects.order_by("pk").values()),
    }


def page_form(client):
    page = client.get(BOOK)
    assert page.status_code == 200
    return find_form(page.content.decode(), containing="price_oc_user_month")


def post(client, **changes):
    return client.post(BOOK, submission(page_form(client), **changes))


def test_an_admin_sees_every_line_grouped_by_model_with_units_and_help(world, login):
    response = login(world.admin).get(BOOK)
    for text in (
        "Operator Connect",
        "Direct Routing, self-managed",
        "Microsoft licences",
        "Operator Connect calling, per user",
        "per user per month · up to EUR 500",
        "SBC, medium (up to 1,000 sessions)",
        "per SBC, one-off",
        "a blank is never read as free",
        "No prices yet",
    ):
        assertContains(response, text)


def test_an_admin_saves_prices_with_decimal_commas_and_notes(world, login):
    client = login(world.admin)
    response = post(
        client,
        currency="GBP",
        price_oc_user_month="8,75",
        price_sbc_medium="9.950,00",
        note_oc_user_month="Illustrative: list less 10 %",
    )
    assert response.status_code == 302
    book = price_book_for(world.org)
    assert (book.currency, book.version) == ("GBP", 1)
    assert book.price("oc_user_month") == Decimal("8.75")
    assert book.price("sbc_medium") == Decimal("9950.00")
    shown = client.get(BOOK)
    assert "saved as version 1" in " ".join(messages_of(shown))
    assertContains(shown, 'value="8.75"')
    assertContains(shown, "Illustrative: list less 10 %")
    assertContains(shown, "Version 1")


def test_the_page_submitted_unchanged_changes_nothing(world, login):
    fill_price_book(
        world.org, world.admin, currency="GBP", notes={"ps_day": "Senior engineer, on site"}
    )
    client = login(world.admin)
    before = rows()

    response = post(client)

    assert response.status_code == 302
    assert rows() == before
    assert "Nothing changed" in " ".join(messages_of(client.get(BOOK)))


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-4", "A price cannot be negative."),
        ("1000000", "More than"),  # a per-user price of a million
        ("twelve", "“twelve” is not an amount"),
        ("12,3456", "Use at most two decimals."),
        ("1.200", "could be 1200 or 1.200"),
        ("1e3", "is not an amount"),
    ],
)
def test_a_bad_price_is_explained_beside_its_field_and_nothing_is_saved(
    world, login, typed, message
):
    fill_price_book(world.org, world.admin)
    client = login(world.admin)
    before = rows()

    response = post(client, price_oc_user_month=typed, price_ps_day="1300")

    assert response.status_code == 200
    assertContains(response, "Nothing was saved.")
    errors = response.context["form"].errors
    assert list(errors) == ["price_oc_user_month"]
    assert message.lower() in errors["price_oc_user_month"][0].lower()
    # The message sits beside the field, tied to it for screen readers.
    assertContains(response, 'id="id_price_oc_user_month-error"')
    assertContains(response, 'value="1300"')  # what was typed elsewhere is kept
    assert rows() == before


def test_a_bound_follows_the_currency(world, login):
    client = login(world.admin)
    # 20,000 a user a month is absurd in euros and plausible in yen.
    assert post(client, currency="EUR", price_oc_user_month="20000").status_code == 200
    assert post(client, currency="JPY", price_oc_user_month="20000").status_code == 302


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_other_members_read_the_book_but_cannot_change_it(world, login, who):
    fill_price_book(world.org, world.admin, notes={"ps_day": "Senior engineer, on site"})
    client = login(getattr(world, who))
    response = client.get(BOOK)
    assert response.status_code == 200
    assertContains(response, "EUR 1,150.00")
    assertContains(response, "Senior engineer, on site")
    assertContains(response, "ask one of them to change a price")
    assertNotContains(response, 'name="price_ps_day"')
    before = rows()
    forged = client.post(BOOK, {"version": "1", "currency": "EUR", "price_ps_day": "1"})
    assert forged.status_code == 403
    assert rows() == before


def test_a_member_of_another_organisation_sees_nothing_of_it(world, login):
    fill_price_book(
        world.org, world.admin, ps_day="1234", notes={"ps_day": "Northwind's senior rate"}
    )
    client = login(world.outsider)
    for url in (BOOK, HISTORY):
        response = client.get(url)
        assert response.status_code == 200
        assertNotContains(response, "1,234")
        assertNotContains(response, "Northwind")
        assertNotContains(response, "Adam Ash")
    assert price_book_for(world.other_org).version is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (BOOK, HISTORY):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_history_shows_each_version_with_who_when_and_what_changed(world, login):
    fill_price_book(world.org, world.admin)
    client = login(world.admin)
    post(client, price_oc_user_month="10,25", note_oc_user_month="New operator rate")

    response = client.get(HISTORY)

    versions = [entry["change"].version for entry in response.context["entries"]]
    assert versions == [2, 1]
    newest = response.context["entries"][0]["rows"]
    assert ("Operator Connect calling, per user", "9.50", "10.25") in newest
    assert ("Operator Connect calling, per user, note", "blank", "New operator rate") in newest
    assertContains(response, "Adam Ash")
    assertContains(response, "current")


def test_the_first_version_shows_what_was_set_without_a_before(world, login):
    fill_price_book(world.org, world.admin, currency="GBP")

    response = login(world.admin).get(HISTORY)

    first = response.context["entries"][0]["rows"]
    assert ("Currency", None, "GBP") in first
    assert "EUR" not in response.content.decode()


def test_a_stale_page_that_changed_the_same_price_is_refused_with_who_changed_it(world, login):
    fill_price_book(world.org, world.admin)
    client = login(world.admin)
    stale = submission(page_form(client), price_oc_user_month="11")
    fill_price_book(world.org, world.manager, oc_user_month="10")

    response = client.post(BOOK, stale)

    assert response.status_code == 200
    text = " ".join(messages_of(response))
    assert "Maria Moss set it to “10.00”" in text
    assert price_book_for(world.org).price("oc_user_month") == Decimal("10.00")
    # Saving again keeps what this admin typed, over the newer version.
    again = client.post(
        BOOK, submission(find_form(response.content.decode(), containing="version"))
    )
    assert again.status_code == 302
    assert price_book_for(world.org).price("oc_user_month") == Decimal("11.00")


def test_the_results_page_prices_each_model_from_the_stored_book(world, login):
    url = reverse("assessments:results", args=[world.assessment.pk])
    client = login(world.owner)
    assertContains(client.get(url), "Not priced yet.")

    fill_price_book(world.org, world.admin, currency="GBP")

    response = client.get(url)
    assertNotContains(response, "Not priced yet.")
    assertContains(response, "(version 1, GBP)")
    assertContains(response, "GBP 8.40")  # Teams Phone Standard, per user, from the book
