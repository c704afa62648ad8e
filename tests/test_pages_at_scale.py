"""Pages of a 2,000-site assessment: HTML within a fixed budget, queries flat, time measured."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from assessments.models import Scenario
from assessments.services import scores
from tests.estate import add_estate

pytestmark = pytest.mark.django_db

BUDGET = 400_000  # bytes of HTML any of these pages may send, whatever the estate
PAGES = ("site-grid", "results", "assessment-detail", "scenario")


def _url(world, name: str) -> str:
    if name == "scenario":
        scenario = Scenario.objects.get(assessment=world.assessment)
        return reverse("assessments:scenario", args=[world.assessment.pk, scenario.pk])
    return reverse(f"assessments:{name}", args=[world.assessment.pk])


def _measure(client, url: str, runs: int = 3) -> tuple[int, int, float]:
    """Bytes, queries and the best of ``runs`` server times of one page (after a warm-up)."""
    client.get(url)  # warm: templates compiled, caches filled
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return len(response.content), len(ctx.captured_queries), min(times)


def test_pages_of_2000_sites_stay_within_a_budget_with_flat_queries(world, client, capsys):
    # A scenario that changes every site: the what-if page compares all of them.
    Scenario.objects.create(
        assessment=world.assessment,
        name="QoS everywhere",
        changes=[{"scope": "sites", "field": "qos", "value": "end_to_end", "sites": []}],
    )
    client.force_login(world.owner)
    add_estate(world.assessment, 3)
    small = {name: _measure(client, _url(world, name)) for name in PAGES}
    floor = _measure(client, reverse("assessments:dashboard"))[2]
    add_estate(world.assessment, 1995, start=3)
    start = time.perf_counter()
    # The bulk insert skips the services: score the estate as the worker would have.
    scores.assessment_rescore(assessment_id=world.assessment.pk)
    scoring = time.perf_counter() - start
    large = {name: _measure(client, _url(world, name)) for name in PAGES}
    report = [
        f"trivial page floor {floor * 1000:.0f} ms; scoring 2,000 sites {scoring * 1000:.0f} ms"
    ]
    for name in PAGES:
        (size_s, queries_s, time_s), (size_l, queries_l, time_l) = small[name], large[name]
        report.append(
            f"{name}: 5 sites {size_s / 1000:.0f} KB {time_s * 1000:.0f} ms; 2,000 sites "
            f"{size_l / 1000:.0f} KB {time_l * 1000:.0f} ms ({time_l / time_s:.1f}x, "
            f"{time_l / floor:.0f}x the floor); queries {queries_s} / {queries_l}"
        )
        assert size_l < BUDGET, name
        assert size_l < 8 * size_s, f"{name}: {size_s} bytes at 5 sites, {size_l} at 2,000"
        assert queries_l == queries_s, name
    # The what-if page reads the scenario's kept estate and costs (and the estate's kept
    # costs) and scores only its page of sites. The aim is 3x (printed above); scoring the
    # estate again shows as 50x, pricing it again (now and planned) as 5x on PostgreSQL:
    # a bound of 4x catches either on a busy machine.
    what_if = large["scenario"][2] / small["scenario"][2]
    report.append(f"what-if at 2,000 sites: {what_if:.1f}x its 5-site time (aim 3x, bound 4x)")
    assert what_if < 4, "\n".join(report)
    with capsys.disabled():
        print("\n" + "\n".join(report))
