"""The cost of ownership where people read it: results, what-if, the API and the CLI."""

import json
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

import pytest

from api.models import ApiToken
from assessments import engine_io
from assessments.models import Scenario
from assessments.services import costs as cost_services
from scoring.costs import PriceBook, cost_of_ownership

pytestmark = pytest.mark.django_db

# A partner's book in euros with every line priced (its own figures).
PRICES = {
    "oc_user_month": "8.00", "calling_plan_user_month": "10.00", "dr_hosted_user_month": "6.00",
    "sip_trunk_channel_month": "15.00", "tpm_user_month": "9.00",
    "teams_phone_user_month": "9.40", "common_area_phone_device_month": "7.50",
    "teams_rooms_pro_room_month": "37.50", "resource_account_month": "0", "sbc_small": "4000",
    "sbc_medium": "12000", "sbc_large": "40000", "sbc_session_licence": "30",
    "sbc_support_year": "800", "sbc_certificate_year": "120", "gateway_port": "150",
    "porting_number": "15", "ps_day": "1100", "it_hour": "65",
}  # fmt: skip


@pytest.fixture
def priced(monkeypatch):
    """The partner's stored book, as the price-book screen will give it."""
    book = PriceBook("EUR", {k: Decimal(v) for k, v in PRICES.items()}, version=2)
    monkeypatch.setattr(cost_services, "price_book_of", lambda organisation_id: book)
    return book


def test_without_a_price_book_every_model_reads_not_priced_never_free(client, world):
    client.force_login(world.owner)
    response = client.get(reverse("assessments:results", args=[world.assessment.pk]))
    page = response.content.decode()
    assert "What it costs over three years" in page
    assert "Not priced yet." in page
    rows = response.context["costs"]["rows"]
    assert rows and all(not row.priced for row in rows)
    assert "EUR 0" not in page  # a blank book is never shown as a cost of nothing
    assert "Teams Phone Standard, per user" in page  # named among what is missing


def test_with_a_price_book_the_results_show_each_models_three_years(client, world, priced):
    client.force_login(world.owner)
    response = client.get(reverse("assessments:results", args=[world.assessment.pk]))
    page = response.content.decode()
    costs = response.context["costs"]
    assert costs["priced"] and "Not priced yet." not in page
    design = costs["rows"][0]
    assert design.design and design.priced
    assert design.total.startswith("EUR ") and f">{design.total_figure}<" in page
    assert "Cumulative cost over 36 months" in page  # the chart's title
    # Every figure says what it is counted from and which price-book line prices it.
    assert "Teams Phone Standard, per user" in page and "Sum of each site" in page


def test_what_if_shows_how_licences_already_held_move_the_cost(client, world, priced):
    world.assessment.teams_phone_licences = "none"
    world.assessment.save()
    scenario = Scenario.objects.create(assessment=world.assessment, name="E5", created_by=None)
    client.force_login(world.owner)
    client.post(
        reverse("assessments:scenario-change-add", args=[world.assessment.pk, scenario.pk]),
        {"target": "organisation:teams_phone_licences", "value": "e5"},
    )
    page = client.get(reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk]))
    rows = {row["label"]: row for row in page.context["costs"]}
    oc = rows["Operator Connect"]
    assert oc["changed"] and oc["delta"].startswith("−EUR ")  # E5 holds Teams Phone: cheaper
    assert "Three-year cost: Operator Connect" in page.content.decode()
    world.assessment.refresh_from_db()
    assert world.assessment.teams_phone_licences == "none"  # the stored answer is untouched


def test_the_api_result_carries_the_costs_of_the_tokens_partner(client, world, priced):
    _token, secret = ApiToken.issue(user=world.owner, name="costs")
    response = client.get(
        reverse("api:assessment-results", args=[world.assessment.pk]),
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    body = response.json()
    costs = body["costs"]
    assert costs["currency"] == "EUR" and costs["price_book_version"] == 2
    oc = next(m for m in costs["models"] if m["model"] == "operator_connect")
    assert oc["priced"] and Decimal(oc["total"]) > 0
    assert Decimal(oc["total"]) == Decimal(oc["one_off"]) + 3 * Decimal(oc["per_year"])
    assert len(oc["cumulative"]) == 37


def test_the_command_line_prints_the_costs(world, capsys):
    call_command("score_assessment", id=world.assessment.pk)
    out = capsys.readouterr().out
    assert "What it costs over 36 months (EUR):" in out
    assert "Operator Connect: not priced (missing" in out
    call_command("score_assessment", id=world.assessment.pk, format="json")
    body = json.loads(capsys.readouterr().out)
    assert all(not m["priced"] for m in body["costs"]["models"])


def test_the_costs_read_from_the_light_input_are_the_costs_of_the_whole_one(world, priced):
    # The pages build only what the costs read (no circuits, no measurements): a rule that
    # starts reading another answer must be added to COST_SITE_FIELDS; this compares both
    # on sites with devices, personas, circuits and measurements.
    world.hq.overhead_paging = "yes"
    world.hq.analog_devices = 3
    world.hq.audio_only_users = 40
    world.hq.save()
    result = engine_io.score(world.assessment)
    light, ids = cost_services.cost_input(world.assessment)
    whole = engine_io.assessment_input(world.assessment)
    assert set(ids) == {s.name for s in whole.sites}
    assert cost_of_ownership(result, light, priced) == cost_of_ownership(result, whole, priced)
