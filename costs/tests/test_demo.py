"""The demo partners' price books: their own currency, every line the models need, illustrative."""

from io import StringIO

from django.core.management import call_command

import pytest

from costs.selectors import price_book_for, price_book_values
from scoring.price_lines import LINES
from tenancy.models import Organisation

pytestmark = pytest.mark.django_db


def test_both_demo_partners_get_a_price_book_in_their_own_currency():
    call_command("seed_demo", stdout=StringIO())
    books = {o.slug: price_book_for(o) for o in Organisation.objects.all()}

    assert {slug: (b.currency, b.version) for slug, b in books.items()} == {
        "northwind": ("GBP", 1),
        "fabrikam": ("EUR", 1),
    }
    for slug, book in books.items():
        # Every required line is priced, so every model has a cost in the demo.
        unpriced = [k for k, line in LINES.items() if line.required and book.price(k) is None]
        assert not unpriced, (slug, unpriced)
        values = price_book_values(Organisation.objects.get(slug=slug))
        assert all("Illustrative" in values["notes"].get(key, "") for key in LINES), slug
    # The partners' figures differ: each is its own, not one table copied.
    assert books["northwind"].prices != books["fabrikam"].prices
