"""What-if on circuits, LTE/5G backups and added sites: the kept outcome equals a full scoring."""

from django.urls import reverse

import pytest

from assessments.models import Assessment, Scenario
from assessments.services import scenarios as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(world):
    return Scenario.objects.create(
        assessment=world.assessment, name="Network plan", created_by=None
    )


@pytest.fixture
def plan(client, world, scenario):
    """Add a change of ``kind`` (circuit, site, change) to the scenario as its owner."""
    client.force_login(world.owner)

    def post(kind, data, **kwargs):
        return client.post(_url(world, scenario, f"-{kind}-add"), data, **kwargs)

    return post


def _new_site(name, country, **more):
    """The form of a site added in the scenario, with its one circuit."""
    form = {"name": name, "country": country, "users": "60", "kind": "dia"}
    return form | {"down_mbps": "100", "up_mbps": "20"} | more


def _url(world, scenario, name=""):
    args = [world.assessment.pk, scenario.pk]
    return reverse(f"assessments:scenario{name}", args=args)


def _page(client, world, scenario):
    page = client.get(_url(world, scenario))
    assert page.status_code == 200
    return page


def _full(world, scenario):
    scenario.refresh_from_db()
    assessment = Assessment.objects.select_related("customer").get(pk=world.assessment.pk)
    return services.scenario_compare(assessment=assessment, scenario=scenario)


def _assert_as_fully_scored(context, world, scenario):
    current, full, _ = _full(world, scenario)
    shown = context["what_if"]
    assert shown.recommendation == full.recommendation
    assert shown.fits == full.fits
    assert shown.summary == full.summary
    assert shown.ownership == full.ownership
    assert context["counts_then"] == dict(full.grade_counts)
    by_name = {r.site: r for r in full.sites}
    rows = {r["site"].name: r["then"] for r in context["rows"]}
    rows |= {r.site: r for r in context["added"]}
    assert rows == by_name


def test_a_bigger_primary_circuit_at_one_site_moves_only_that_site(client, world, scenario, plan):
    world.branch.users = 2000  # 200/40 Mbps is too small for 2,000 people's calls
    world.branch.save()
    plan(
        "circuit",
        {"role": "primary", "kind": "dia", "down_mbps": "2000", "up_mbps": "2000",
         "sites": [world.branch.pk]},
    )  # fmt: skip
    page = _page(client, world, scenario)
    rows = {r["site"].name: r for r in page.context["rows"]}
    assert rows["Lyon Office"]["delta"] > 0
    assert rows["Stuttgart HQ"]["delta"] == 0
    assert "Primary circuit" in page.content.decode()
    assert list(world.branch.circuits.values_list("down_mbps", flat=True)) == [200]  # stored
    _assert_as_fully_scored(page.context, world, scenario)


def test_an_lte_backup_at_chosen_sites_is_a_cellular_backup_circuit(client, world, scenario, plan):
    plan(
        "circuit",
        {"role": "lte", "kind": "", "down_mbps": "150", "up_mbps": "50",
         "sites": [world.branch.pk]},
    )  # fmt: skip
    scenario.refresh_from_db()
    assert scenario.changes[0]["value"]["kind"] == "cellular"
    _, full, _ = _full(world, scenario)
    lyon = next(r for r in full.sites if r.site == "Lyon Office")
    codes = {f.code for f in lyon.network.findings}
    assert not codes & {"NET.FAILOVER.UNKNOWN", "NET.FAILOVER.NONE"}
    page = _page(client, world, scenario)
    assert {r["site"].name: r["delta"] for r in page.context["rows"]}["Lyon Office"] > 0
    _assert_as_fully_scored(page.context, world, scenario)


def test_a_site_added_in_the_scenario_counts_in_the_estate_and_is_listed(
    client, world, scenario, plan
):
    plan("site", _new_site("Madrid Office", "Spain", kind="broadband"))
    plan("change", {"target": "sites:qos", "value": "end_to_end"})
    page = _page(client, world, scenario)
    assert [r.site for r in page.context["added"]] == ["Madrid Office"]
    assert (
        page.context["what_if"].summary.site_count == page.context["current"].summary.site_count + 1
    )
    assert "New in this scenario" in page.content.decode()
    assert not world.assessment.sites.filter(name="Madrid Office").exists()
    _assert_as_fully_scored(page.context, world, scenario)
    # An "every site" answer reaches the added site too: it is part of the plan.
    madrid = page.context["added"][0]
    assert "NET.QOS.UNKNOWN" not in {f.code for f in madrid.network.findings}


def test_an_added_site_whose_name_is_taken_is_refused(world, scenario, plan):
    page = plan("site", _new_site("lyon office", "FR", users="10"), follow=True)
    assert "That site was not added" in page.content.decode()
    scenario.refresh_from_db()
    assert scenario.changes == []


def test_a_stored_site_taking_an_added_name_wins(client, world, scenario, plan):
    plan("site", _new_site("Madrid Office", "ES"))
    world.branch.name = "Madrid Office"
    world.branch.save()
    page = _page(client, world, scenario)
    assert page.context["added"] == []
    _assert_as_fully_scored(page.context, world, scenario)


def test_a_circuit_with_no_capacity_is_refused(world, scenario, plan):
    page = plan(
        "circuit",
        {"role": "backup", "kind": "dia", "down_mbps": "0", "up_mbps": "abc"},
        follow=True,
    )
    assert "That circuit was not added" in page.content.decode()
    scenario.refresh_from_db()
    assert scenario.changes == []
