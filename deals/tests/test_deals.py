"""Deals: moving a stage with its history, values typed in any locale, totals and saved views."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.models import Assessment, Status
from deals.models import Deal, DealChange, SavedFilter, Stage
from deals.services import deal_proposal_issued
from proposals.services import proposal_issue
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

PIPELINE = reverse("assessments:pipeline")
CSV_URL = reverse("assessments:pipeline-csv")


def _deal_url(assessment):
    return reverse("deals:deal", args=[assessment.pk])


def _form(**changes):
    form = {"version": "0", "stage": "assessing", "value": "", "currency": "EUR", "seats": ""}
    return form | {"lost_reason": "", "note": ""} | changes


def test_an_assessment_nobody_moved_is_assessing_then_proposed_once_issued(world, login):
    client = login(world.manager)
    page = client.get(_deal_url(world.assessment))
    assert page.status_code == 200
    assert page.context["deal"].stage == Stage.ASSESSING
    assert not Deal.objects.exists()  # reading never creates a deal
    proposal_issue(assessment=world.assessment, user=world.owner)
    row = client.get(PIPELINE, {"stage": "proposal"}).context["page"].object_list[0]
    assert row.pk == world.assessment.pk
    assert row.days_in_stage == 0


def test_moving_a_deal_keeps_its_history_and_restarts_days_in_stage(world, login):
    client = login(world.owner)
    answer = client.post(
        _deal_url(world.assessment),
        _form(stage="negotiating", value="125 000,50", currency="GBP", seats="320"),
    )
    assert answer.status_code == 302
    deal = Deal.objects.get(assessment=world.assessment)
    assert (deal.stage, deal.value, deal.currency, deal.seats) == (
        "negotiating",
        Decimal("125000.50"),
        "GBP",
        320,
    )
    change = DealChange.objects.get(deal=deal)
    assert change.stage_from == "assessing" and change.stage_to == "negotiating"
    assert "value 125,000.50 GBP" in change.summary and change.by == world.owner
    # Ten days later the pipeline counts ten days in "Negotiating".
    Deal.objects.filter(pk=deal.pk).update(stage_since=timezone.now() - timedelta(days=10))
    row = login(world.manager).get(PIPELINE).context["page"].object_list[0]
    assert (row.deal_stage, row.days_in_stage) == ("negotiating", 10)


def test_saving_the_deal_unchanged_records_nothing(world, login):
    client = login(world.owner)
    client.post(_deal_url(world.assessment), _form(stage="qualifying", value="9000"))
    deal = Deal.objects.get()
    form = client.get(_deal_url(world.assessment)).context["form"]
    client.post(_deal_url(world.assessment), {**form.initial, "seats": ""})
    deal.refresh_from_db()
    assert deal.version == 1
    assert DealChange.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("12,500", "could be 12500 or 12.500"),  # 12.5 or 12 500? refused, not guessed
        ("1,2,3", "is not an amount"),
        ("-5", "cannot be negative"),
        ("12.505", "at most two decimals"),
        ("5000000000", "check the number of zeros"),
        ("lots", "is not an amount"),
    ],
)
def test_an_amount_that_is_unclear_or_absurd_is_refused_and_nothing_saved(
    world, login, typed, says
):
    answer = login(world.owner).post(_deal_url(world.assessment), _form(value=typed))
    assert answer.status_code == 400
    assert says in answer.content.decode()
    assert not Deal.objects.exists()


def test_a_lost_deal_needs_its_reason(world, login):
    client = login(world.owner)
    answer = client.post(_deal_url(world.assessment), _form(stage="lost"))
    assert answer.status_code == 400
    assert "Say why the deal was lost." in answer.content.decode()
    client.post(_deal_url(world.assessment), _form(stage="lost", lost_reason="competitor"))
    assert Deal.objects.get().lost_reason == "competitor"


def test_a_stale_form_is_refused_and_shows_the_deal_as_it_is_now(world, login):
    client = login(world.owner)
    client.post(_deal_url(world.assessment), _form(stage="negotiating"))
    answer = login(world.manager).post(
        _deal_url(world.assessment), _form(stage="lost", lost_reason="price")
    )
    assert answer.status_code == 409
    assert Deal.objects.get().stage == "negotiating"
    assert answer.context["form"].initial["stage"] == "negotiating"


def test_issuing_a_proposal_moves_an_early_deal_on_but_not_a_later_one(world, login):
    login(world.owner).post(_deal_url(world.assessment), _form(stage="qualifying"))
    proposal_issue(assessment=world.assessment, user=world.owner)
    deal = Deal.objects.get()
    assert deal.stage == Stage.PROPOSAL
    assert "version 1 issued" in deal.changes.first().summary
    Deal.objects.filter(pk=deal.pk).update(stage=Stage.WON)
    deal_proposal_issued(assessment=world.assessment, number=2, user=world.owner)
    assert Deal.objects.get().stage == Stage.WON


def test_another_organisation_cannot_see_or_move_the_deal(world, login):
    client = login(world.outsider)
    assert client.get(_deal_url(world.assessment)).status_code == 404
    assert client.post(_deal_url(world.assessment), _form(stage="won")).status_code == 404
    assert not Deal.objects.exists()


def _assessment(world, name, *, stage, value=None, currency="EUR", seats=None):
    customer = CustomerFactory(organisation=world.org, name=name)
    assessment = Assessment.objects.create(
        organisation=world.org, customer=customer, title="Rollout", owner=world.owner
    )
    Deal.objects.create(
        organisation=world.org,
        assessment=assessment,
        stage=stage,
        stage_since=timezone.now(),
        value=value,
        currency=currency,
        seats=seats,
        lost_reason="price" if stage == Stage.LOST else "",
    )
    return assessment


def test_totals_per_stage_add_values_per_currency_and_count_seats(world, login):
    _assessment(world, "Alpha", stage="negotiating", value=Decimal("1000"), seats=10)
    _assessment(world, "Beta", stage="negotiating", value=Decimal("500.50"), seats=5)
    _assessment(world, "Gamma", stage="negotiating", value=Decimal("800"), currency="GBP")
    _assessment(world, "Delta", stage="negotiating", seats=7)
    _assessment(world, "Omega", stage="won", value=Decimal("42"))
    page = login(world.manager).get(PIPELINE, {"stage": "won"})
    totals = {t.stage: t for t in page.context["totals"]}
    negotiating = totals["negotiating"]
    assert negotiating.count == 4
    assert negotiating.values == (("EUR", Decimal("1500.50")), ("GBP", Decimal("800")))
    assert negotiating.unvalued == 1
    assert negotiating.seats == 22
    # The stage filter narrows the rows, not the totals that let you switch stage.
    assert [a.customer.name for a in page.context["page"].object_list] == ["Omega"]
    assert totals["won"].count == 1
    assert totals["assessing"].count == 1  # the world's own assessment, never moved


def test_the_pipeline_sorts_by_deal_value_and_the_csv_carries_the_deal(world, login):
    _assessment(world, "Small", stage="proposal", value=Decimal("100"), seats=3)
    _assessment(world, "Large", stage="lost", value=Decimal("9000"))
    client = login(world.manager)
    rows = client.get(PIPELINE, {"sort": "-value"}).context["page"].object_list
    assert [a.customer.name for a in rows][:2] == ["Large", "Small"]
    text = b"".join(client.get(CSV_URL, {"sort": "customer"}).streaming_content).decode()
    table = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    large = next(r for r in table if r["Customer"] == "Large")
    assert (large["Stage"], large["Deal value"], large["Currency"]) == ("Lost", "9000.00", "EUR")
    assert large["Lost reason"] == "Price" and large["Days in stage"] == "0"


def test_an_unknown_stage_filter_is_refused(world, login):
    answer = login(world.manager).get(PIPELINE, {"stage": "closed"})
    assert answer.status_code == 400


def test_a_saved_view_keeps_the_filters_and_is_the_users_own(world, login):
    client = login(world.manager)
    answer = client.post(
        reverse("deals:saved-filter-save"),
        {"name": "  Late  deals ", "stage": "negotiating", "sort": "-days", "page": "3"},
    )
    saved = SavedFilter.objects.get()
    assert saved.name == "Late deals"
    assert saved.query == "stage=negotiating&sort=-days"
    assert answer["Location"].endswith("?stage=negotiating&sort=-days")
    assert "Late deals" in client.get(PIPELINE).content.decode()
    # Saving under the same name replaces the view instead of adding a second one.
    client.post(reverse("deals:saved-filter-save"), {"name": "Late deals", "stage": "won"})
    assert SavedFilter.objects.get().query == "stage=won"
    # Another manager does not see it and cannot remove it.
    other = Client()
    other.force_login(world.admin)
    assert "Late deals" not in other.get(PIPELINE).content.decode()
    delete = reverse("deals:saved-filter-delete", args=[saved.pk])
    assert other.post(delete).status_code == 404
    login(world.manager).post(delete)
    assert not SavedFilter.objects.exists()


def test_a_view_with_nothing_to_keep_is_refused(world, login):
    client = login(world.manager)
    answer = client.post(reverse("deals:saved-filter-save"), {"name": "All"}, follow=True)
    assert "nothing to keep" in answer.content.decode()
    assert not SavedFilter.objects.exists()


def test_issuing_while_a_deal_is_closed_keeps_the_assessment_status_honest(world, login):
    _deal = _assessment(world, "Closed", stage="won")
    proposal_issue(assessment=_deal, user=world.owner)
    _deal.refresh_from_db()
    assert _deal.status == Status.PROPOSAL_ISSUED
    assert Deal.objects.get(assessment=_deal).stage == Stage.WON
