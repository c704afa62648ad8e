"""The results page lists one page of sites; each site's detail opens on demand."""

import re

from django.urls import reverse

import pytest

from assessments import charts
from tests.estate import add_estate

pytestmark = pytest.mark.django_db


def test_only_the_first_site_of_the_page_carries_its_detail(world, login):
    add_estate(world.assessment, 60)
    client = login(world.owner)
    page = client.get(reverse("assessments:results", args=[world.assessment.pk])).content.decode()
    assert len(re.findall(r'<details class="card mb-2 site-result"', page)) == 40
    assert page.count("What to fix") == 1  # the first site's, opened
    # Every other row links its detail: htmx loads it when opened, a plain link without.
    second = re.findall(r'id="result-(\d+)"', page)[1]
    detail = reverse("assessments:site-result", args=[world.assessment.pk, second])
    assert f'hx-get="{detail}"' in page and f'href="{detail}"' in page


def test_a_sites_detail_is_a_page_of_its_own_without_javascript(world, login):
    client = login(world.owner)
    url = reverse("assessments:site-result", args=[world.assessment.pk, world.branch.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and "Lyon Office" in page and "What to fix" in page
    assert "Every site&#x27;s results" in page or "Every site's results" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "What to fix" in fragment


def test_another_organisations_site_has_no_detail(world, login):
    url = reverse("assessments:site-result", args=[world.assessment.pk, world.other_site.pk])
    assert login(world.owner).get(url).status_code == 404


def test_the_results_list_is_searched_and_filtered_by_grade(world, login):
    add_estate(world.assessment, 30)
    client = login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    page = client.get(url, {"q": "Lyon Office"}).content.decode()
    assert f'id="result-{world.branch.pk}"' in page
    assert f'id="result-{world.hq.pk}"' not in page
    window = client.get(url, {"grade": "not_assessed"}).context["window"]
    assert {r.result.network.grade for r in window.rows} == {"not_assessed"}
    # With htmx only the list is sent back, for the list alone to be swapped.
    fragment = client.get(
        url, {"page": 1}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results-window"
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="results-window"')


def test_the_readiness_chart_of_many_sites_counts_them_by_score_band():
    rows = [(f"Site {i}", i % 101, "ready" if i % 101 >= 85 else "not_ready") for i in range(500)]
    rows += [("Unknown", 100, "not_assessed")] * 7
    few = str(charts.readiness_overview(rows[:10]))
    many = str(charts.readiness_overview(rows))
    assert "Site 3" in few  # one bar per site while they are few
    assert "Site 3" not in many and len(many) < 6000  # a histogram does not grow with them
    assert "Not assessed: 7" in many
    assert sum(int(n) for n in re.findall(r"[–\w]+: (\d+)(?:;|$)", charts_desc(many))) == 507


def charts_desc(svg: str) -> str:
    return re.search(r"<desc>(.*?)</desc>", svg).group(1)


def test_the_overview_pages_its_sites_and_counts_them_all(world, login):
    add_estate(world.assessment, 50)
    client = login(world.owner)
    url = reverse("assessments:assessment-detail", args=[world.assessment.pk])
    first = client.get(url)
    assert first.context["figures"]["sites"] == 52
    assert len(first.context["sites"]) == 40
    second = client.get(url, {"page": 2}).content.decode()
    assert "Sites 41–52 of 52" in second
