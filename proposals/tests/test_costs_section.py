"""The proposal's cost section: each model's figures from the price book, frozen when issued."""

import re
from decimal import Decimal

from django.urls import reverse

import pytest

from assessments.cost_story import money
from costs.tests.helpers import fill_price_book
from proposals.pdf.context import build_context
from proposals.pdf.render import render_html
from proposals.services import proposal_snapshot, snapshot_of
from proposals.tests.conftest import flat, pdf_text
from scoring.price_lines import LINES

pytestmark = pytest.mark.django_db


def costs_of(results) -> dict:
    return {m["model"]: m for m in results["costs"]["models"]}


def html_text(snapshot) -> str:
    """The proposal's HTML with tags dropped, as its text reads."""
    return flat(re.sub(r"<[^>]+>", " ", render_html(build_context(snapshot))))


def test_an_issued_proposal_shows_each_models_cost_from_the_price_book(world, issue, client):
    fill_price_book(world.org, world.admin, currency="GBP")
    proposal = issue(world.owner, world.assessment)

    costs = proposal.results["costs"]
    assert costs["currency"] == "GBP"
    assert costs["price_book"]["version"] == 1 and costs["price_book"]["saved_at"]
    oc = costs_of(proposal.results)["operator_connect"]
    assert oc["priced"] and Decimal(oc["total"]) > Decimal(oc["one_off"]) > 0
    # 2 sites of 850 and 160 users, each a Teams Phone licence at £8.40 a month.
    teams_phone = next(
        line for line in oc["lines"] if line["price_line"] == "teams_phone_user_month"
    )
    assert Decimal(teams_phone["count"]) == 1010
    assert Decimal(teams_phone["amount"]) == Decimal("1010") * Decimal("8.40") * 12

    pdf = client.get(
        reverse("proposals:proposal-download", args=[world.assessment.pk]), {"version": 1}
    ).content
    text = flat(pdf_text(pdf))
    assert "5 What it costs" in text
    assert "price book version 1" in text
    for model in costs["models"]:
        one_off, total = (money(Decimal(model[k]), "GBP") for k in ("one_off", "total"))
        assert f"{model['label']} {one_off}" in text, model["label"]
        assert total in text
    assert "Teams Phone Standard, per user" in text  # each figure names its price-book line
    assert "Later changes to the price book do not change this version" in text


def test_a_price_changed_later_leaves_an_issued_version_as_it_was(world, issue):
    fill_price_book(world.org, world.admin)
    first = issue(world.owner, world.assessment)
    before = costs_of(first.results)["operator_connect"]["total"]
    rendered = html_text(snapshot_of(first))

    fill_price_book(world.org, world.admin, oc_user_month="19.50")
    first.refresh_from_db()

    assert costs_of(first.results)["operator_connect"]["total"] == before
    assert html_text(snapshot_of(first)) == rendered
    second = issue(world.owner, world.assessment)
    after = costs_of(second.results)["operator_connect"]
    assert Decimal(after["total"]) > Decimal(before)
    assert second.results["costs"]["price_book"]["version"] == 2


def test_without_prices_every_model_reads_not_priced_never_free(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    assert not any(m["priced"] for m in snapshot["results"]["costs"]["models"])

    text = html_text(snapshot)

    assert "Not priced yet." in text
    oc = costs_of(snapshot["results"])["operator_connect"]
    assert "oc_user_month" in oc["missing"]
    missing = ", ".join(LINES[key].label for key in oc["missing"])
    assert f"Operator Connect Not priced: {missing}" in text
    assert "EUR 0" not in text
    assert "no price book had been saved" in text


def test_a_version_issued_before_costs_says_so_instead_of_inventing_figures(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    del snapshot["results"]["costs"]

    text = html_text(snapshot)

    assert "5 What it costs" in text
    assert "issued before the portal priced each model" in text
