"""The sites grid shows a window of sites: paged, searched, filtered by grade, jumped to."""

import re

from django.test.html import parse_html
from django.urls import reverse

import pytest

from assessments.forms import GridRowForm
from assessments.grid_rows import CELLS, GridRows
from assessments.templatetags.portal import fast_widget
from tests.estate import add_estate

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "grid-window"}


def grid(client, world, headers=None, **params):
    url = reverse("assessments:site-grid", args=[world.assessment.pk])
    return client.get(url, params, **(headers or {}))


def row_ids(response) -> list[int]:
    return [
        int(pk) for pk in re.findall(r'<tr id="row-(\d+)" data-row>', response.content.decode())
    ]


def ordered_ids(world) -> list[int]:
    return list(world.assessment.sites.order_by("position", "id").values_list("pk", flat=True))


def test_a_rows_inputs_are_the_same_as_the_forms(world):
    row = GridRows(world.assessment).row(world.hq, None)
    form = GridRowForm(instance=world.hq, row=f"row-{world.hq.pk}")
    cells = re.findall(r"<td [^>]*>(.*?)<div", row.first_cell + row.other_cells)
    assert len(cells) == len(CELLS)
    for name, html in zip(CELLS, cells, strict=True):
        assert parse_html(html) == parse_html(str(fast_widget(form[name]))), name
    assert 'value="1000"' in row.other_cells  # the primary circuit, as typed
    assert row.urls["site_row_save"] == reverse(
        "assessments:site-row-save", args=[world.assessment.pk, world.hq.pk]
    )


def test_the_grid_pages_its_rows_and_links_the_next_page(world, login):
    add_estate(world.assessment, 120)
    client = login(world.owner)
    first = grid(client, world)
    ids = ordered_ids(world)
    assert row_ids(first) == ids[:40]
    assert "Sites 1–40 of 122" in first.content.decode()
    assert f'href="/assessments/{world.assessment.pk}/sites/?page=2"' in first.content.decode()
    fourth = grid(client, world, page=4)
    assert row_ids(fourth) == ids[120:]
    assert row_ids(grid(client, world, page=2, per_page=20)) == ids[20:40]
    # A page past the end, or nonsense, is not an error: the last or the first page.
    assert row_ids(grid(client, world, page=99)) == ids[120:]
    assert row_ids(grid(client, world, page="x", per_page="7")) == ids[:40]


def test_the_new_site_row_stays_at_the_end_of_every_page(world, login):
    add_estate(world.assessment, 60)
    page = grid(login(world.owner), world, page=2).content.decode()
    assert page.index("</tbody>") < page.index('id="row-new-line"')


def test_a_search_by_name_or_city_narrows_the_rows(world, login):
    add_estate(world.assessment, 40)
    client = login(world.owner)
    by_city = grid(client, world, q="stuttgart")
    assert row_ids(by_city) == [world.hq.pk]
    assert "matching “stuttgart”" in by_city.content.decode()
    by_name = grid(client, world, q="lyon office")
    assert world.branch.pk in row_ids(by_name)
    assert all("Lyon" in s.name for s in world.assessment.sites.filter(pk__in=row_ids(by_name)))
    nothing = grid(client, world, q="Atlantis").content.decode()
    assert "No site matches “Atlantis”" in nothing and "No sites yet" not in nothing


def test_a_grade_filter_shows_only_sites_of_that_grade(world, login):
    add_estate(world.assessment, 60)
    client = login(world.owner)
    response = grid(client, world, grade="not_assessed", per_page=200)
    counts = response.context["window"].counts
    shown = row_ids(response)
    assert len(shown) == counts["not_assessed"] > 0
    assert world.hq.pk in shown  # the world's sites are too little known to grade
    ready = grid(client, world, grade="ready", per_page=200)
    assert len(row_ids(ready)) == counts["ready"]
    assert not set(row_ids(ready)) & set(shown)


def test_jumping_to_a_site_opens_its_page_with_the_row_focused(world, login):
    add_estate(world.assessment, 120)
    client = login(world.owner)
    target = world.assessment.sites.order_by("position", "id")[77]
    # With htmx: the window of its page, marked to focus, and its address for the history.
    response = grid(client, world, HTMX, jump=target.name.upper())
    assert target.pk in row_ids(response)
    assert f'data-focus="row-{target.pk}"' in response.content.decode()
    assert response["HX-Push-Url"].endswith(f"site={target.pk}")
    assert "<html" not in response.content.decode()  # the window only
    # Without JavaScript: a redirect to its page, scrolled to its row.
    response = grid(client, world, jump=target.name)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?site={target.pk}#row-{target.pk}")
    page = client.get(response["Location"])
    assert target.pk in row_ids(page) and row_ids(page)[0] == ordered_ids(world)[40]


def test_a_jump_to_no_site_says_so(world, login):
    response = grid(login(world.owner), world, jump="Atlantis")
    assert response.status_code == 200
    assert "No site is called “Atlantis”" in response.content.decode()
    assert row_ids(response) == ordered_ids(world)


def test_bulk_set_returns_to_the_page_the_sites_were_ticked_on(world, login):
    add_estate(world.assessment, 60)
    client = login(world.owner)
    ticked = ordered_ids(world)[40:42]
    url = reverse("assessments:site-bulk-set", args=[world.assessment.pk])
    response = client.post(
        url,
        {"sites": ticked, "field": "qos", "value": "end_to_end", "window": "page=2&q=&x=<b>"},
    )
    assert (
        response["Location"]
        == reverse("assessments:site-grid", args=[world.assessment.pk]) + "?page=2"
    )
    assert set(world.assessment.sites.filter(pk__in=ticked).values_list("qos", flat=True)) == {
        "end_to_end"
    }
    page = client.get(response["Location"]).content.decode()
    assert "only the ticked rows of the page shown change" in page.lower()


def test_an_estate_never_scored_is_scored_by_its_first_view_while_the_worker_waits(
    world, login, settings
):
    from assessments.models import AssessmentScore, SiteScore

    add_estate(world.assessment, 200)
    # As after a bulk import into a database the worker has not reached yet: nothing stored.
    SiteScore.objects.filter(assessment=world.assessment).delete()
    AssessmentScore.objects.filter(assessment=world.assessment).delete()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    response = grid(login(world.owner), world)
    assert response.status_code == 200
    stored = AssessmentScore.objects.get(assessment=world.assessment)
    assert stored.site_count == 202 and stored.estate["summary"]["site_count"] == 202
    assert SiteScore.objects.filter(assessment=world.assessment).count() == 202
    assert "Not scored yet" not in response.content.decode()
