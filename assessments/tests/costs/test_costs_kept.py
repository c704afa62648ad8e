"""Costs kept with the stored results: the figures of pricing afresh, priced once per change."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

import pytest

from assessments.models import Assessment, Scenario, Site
from assessments.services import costs as cost_services
from assessments.services import scenarios as scenario_services
from assessments.services import scores
from assessments.services.assessments import assessment_update, site_update
from assessments.services.versioning import Actor
from costs.tests.helpers import fill_price_book
from scoring.decode import estate_result_from_dict
from tenancy.models import Membership, Role
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

# A plan people make in a workshop: QoS at every site, LTE backup, licences already held.
CHANGES = [
    ("sites", "qos", "end_to_end"),
    ("sites", "lte_backup", "yes"),
    ("organisation", "teams_phone_licences", "e5"),
]


def _fresh(assessment: Assessment, scenario: Scenario | None = None):
    """The costs as priced before they were kept: the whole estate, now and planned."""
    estate = estate_result_from_dict(scores.stored_scores(assessment=assessment).estate)
    if scenario is None:
        return cost_services.costs_for(assessment, result=estate)
    outcome = scenario_services.scenario_outcome(
        assessment=assessment, scenario=scenario, site_ids=[]
    )
    return cost_services.scenario_costs(
        assessment=assessment, scenario=scenario, now=estate, then=outcome.estate
    )


def _kept(assessment: Assessment, scenario: Scenario):
    """Read twice, as two page views do: the second read is the one kept."""
    outcome = scenario_services.scenario_outcome(
        assessment=assessment, scenario=scenario, site_ids=[]
    )
    cost_services.scenario_costs_kept(assessment=assessment, scenario=scenario, then=outcome.estate)
    scenario.refresh_from_db()
    outcome = scenario_services.scenario_outcome(
        assessment=assessment, scenario=scenario, site_ids=[]
    )
    return cost_services.scenario_costs_kept(
        assessment=assessment, scenario=scenario, then=outcome.estate
    )


def _plan(assessment: Assessment) -> Scenario:
    scenario = Scenario.objects.create(assessment=assessment, name="Workshop plan")
    for scope, field, value in CHANGES:
        scenario_services.scenario_add_change(
            scenario=scenario, scope=scope, field=field, value=value, sites=[]
        )
    return scenario


def _count_pricing(monkeypatch) -> list[int]:
    calls = []
    real = cost_services.cost_of_ownership

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cost_services, "cost_of_ownership", counted)
    return calls


def test_kept_costs_equal_fresh_ones_for_every_demo_assessment_and_after_a_price_change():
    call_command("seed_demo", stdout=StringIO())
    assessments = list(Assessment.objects.select_related("customer", "organisation"))
    assert len(assessments) >= 4
    for assessment in assessments:
        scenario = _plan(assessment)
        now, then = _kept(assessment, scenario)
        fresh_now, fresh_then = _fresh(assessment, scenario)
        assert now.priced  # the demo partners have books: real figures are compared
        assert now.to_dict() == fresh_now.to_dict() == _fresh(assessment).to_dict()
        assert then.to_dict() == fresh_then.to_dict()
        assert cost_services.estate_costs(assessment=assessment) == fresh_now
        # The plan moves the figures (licences held, LTE lines): equality is not vacuous.
        assert then.to_dict() != now.to_dict()

    # The partner raises Operator Connect's monthly price: every kept figure follows.
    for organisation in {a.organisation for a in assessments}:
        admin = Membership.objects.filter(organisation=organisation, role=Role.ADMIN).first()
        fill_price_book(organisation, admin.user, oc_user_month="23.75")
    for assessment in assessments:
        scenario = Scenario.objects.get(assessment=assessment, name="Workshop plan")
        before = scenario.costs
        now, then = _kept(assessment, scenario)
        fresh_now, fresh_then = _fresh(assessment, scenario)
        assert now.to_dict() == fresh_now.to_dict()
        assert then.to_dict() == fresh_then.to_dict()
        assert then.to_dict() != before
        prices = {line.price_line: line.unit_price for line in then.model("operator_connect").lines}
        assert str(prices["oc_user_month"]) == "23.75"


@pytest.fixture
def estate(world, django_capture_on_commit_callbacks):
    fill_price_book(world.org, world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        scores.assessment_rescore(assessment_id=world.assessment.pk)
    return Assessment.objects.select_related("customer").get(pk=world.assessment.pk)


def test_a_page_viewed_again_prices_nothing(estate, world, client, monkeypatch):
    scenario = _plan(estate)
    client.force_login(world.owner)
    urls = [
        reverse("assessments:results", args=[estate.pk]),
        reverse("assessments:scenario", args=[estate.pk, scenario.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200
    calls = _count_pricing(monkeypatch)
    pages = [client.get(url) for url in urls]
    assert calls == []
    # What they show is still the cost chapter, as priced the first time.
    assert "What it costs over three years" in pages[0].content.decode()
    rows = pages[1].context["costs"]
    assert rows and rows == pages[1].context["costs"]


def test_a_cost_only_answer_or_a_site_change_prices_again(
    estate, world, monkeypatch, django_capture_on_commit_callbacks
):
    actor = Actor.for_user(world.owner)
    before = cost_services.estate_costs(assessment=estate)
    calls = _count_pricing(monkeypatch)
    # The IT hourly cost moves no score (the stored scores stay as they are), only costs.
    with django_capture_on_commit_callbacks(execute=True):
        assessment_update(
            assessment=estate,
            base_version=estate.version,
            changes={"it_hourly_cost": "91.50"},
            actor=actor,
        )
    estate = Assessment.objects.select_related("customer").get(pk=estate.pk)
    after = cost_services.estate_costs(assessment=estate)
    assert calls == [1]
    assert after.to_dict() == _fresh(estate).to_dict() != before.to_dict()

    calls.clear()
    site = Site.objects.get(pk=world.hq.pk)
    with django_capture_on_commit_callbacks(execute=True):
        site_update(site=site, base_version=site.version, changes={"users": 2400}, actor=actor)
    grown = cost_services.estate_costs(assessment=estate)
    assert calls == [1]
    assert grown.to_dict() == _fresh(estate).to_dict() != after.to_dict()


def test_the_results_page_shows_a_new_price_at_once(estate, world, client):
    client.force_login(world.owner)
    url = reverse("assessments:results", args=[estate.pk])
    assert "23.75" not in client.get(url).content.decode()  # its chapter kept from here
    fill_price_book(world.org, world.admin, oc_user_month="23.75")
    assert "23.75" in client.get(url).content.decode()


def test_costs_follow_the_worker_while_it_rescores_the_sites(estate, world, monkeypatch):
    """While the worker rescores an estate site by site, each round it makes prices again."""
    SiteFactory(assessment=estate, name="Graz Depot", country="AT", users=60)
    for site in Site.objects.filter(assessment=estate):  # a whole document imported, say
        Site.objects.filter(pk=site.pk).update(users=site.users + 300)
    calls = _count_pricing(monkeypatch)
    rounds = []
    for _round in range(3):  # one site of the three a round; the estate when all are done
        everything = scores.Touched(everything=True)
        scores._rescore(estate.pk, everything, budget=1, assessment=estate, worker=True)
        rounds.append(cost_services.estate_costs(assessment=estate).to_dict())
        assert cost_services.estate_costs(assessment=estate).to_dict() == rounds[-1]
    assert calls == [1, 1, 1]  # priced once a round, never twice for one round
    assert rounds[-1] == _fresh(estate).to_dict()
