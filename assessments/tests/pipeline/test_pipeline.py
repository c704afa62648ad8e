"""The managers' pipeline: who may see it, what it shows, filters, sorting, CSV and query counts."""

import contextlib
import csv
import io

from django.db import transaction
from django.urls import reverse

import pytest

from assessments.models import Assessment, AssessmentScore, Status
from assessments.services import scores
from assessments.services.assessments import site_create, site_delete
from assessments.services.scores import assessment_rescore
from assessments.services.versioning import Actor
from assessments.views.pipeline import csv_cell

URL = reverse("assessments:pipeline")
CSV_URL = reverse("assessments:pipeline-csv")


def rows(response):
    return list(response.context["page"].object_list)


@pytest.mark.parametrize("who", ["owner", "teammate"])
def test_sales_engineers_cannot_open_the_pipeline(world, login, who):
    client = login(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    assert "Pipeline" not in client.get(reverse("assessments:dashboard")).content.decode()


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_and_admins_see_every_assessment_of_their_organisation(world, login, who):
    client = login(getattr(world, who))
    response = client.get(URL)
    assert response.status_code == 200
    assert [a.pk for a in rows(response)] == [world.assessment.pk]
    assert "Tailspin" not in response.content.decode()
    assert f'href="{URL}"' in client.get(reverse("assessments:dashboard")).content.decode()


def test_a_row_shows_the_stored_summary_and_last_proposal(world, login, many):
    assessment_rescore(assessment_id=world.assessment.pk)
    summary = AssessmentScore.objects.get(assessment=world.assessment)
    assert summary.site_count == 2 and summary.ruleset_version
    page = login(world.manager).get(URL, {"q": "Contoso"}).content.decode()
    assert "Contoso Manufacturing" in page
    assert summary.recommended_label in page
    # Neither of the world's sites is known well enough to grade: no average yet, and the
    # estate reads grey "Not assessed" with both sites counted, none of them "not ready".
    assert summary.average_readiness is None
    assert (summary.band, summary.sites_not_assessed, summary.sites_not_ready) == (
        "not_assessed",
        2,
        0,
    )
    row = page.split("Contoso Manufacturing")[1].split("</tr>")[0]
    assert (
        '<span class="badge text-bg-secondary" data-band="not_assessed">Not assessed</span>' in row
    )
    assert '<td class="text-end" data-not-assessed>2</td>' in row
    assert "None yet" in page


def test_the_csv_export_counts_the_sites_not_assessed(world, login):
    assessment_rescore(assessment_id=world.assessment.pk)
    response = login(world.manager).get(CSV_URL)
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    header, row = lines[0].split(","), next(line for line in lines if "Contoso" in line).split(",")
    assert row[header.index("Sites not assessed")] == "2"
    assert row[header.index("Sites not ready")] == "0"


def test_the_summary_follows_site_changes_after_commit(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    actor = Actor.for_user(world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        site = site_create(
            assessment=world.assessment,
            fields={"name": "Paris", "country": "FR", "users": 30},
            actor=actor,
        )
    assert AssessmentScore.objects.get(assessment=world.assessment).site_count == 3
    scorings = count_scorings(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        site_delete(site=site, base_version=site.version, actor=actor)
        site_delete(site=world.branch, base_version=world.branch.version, actor=actor)
    assert scorings == [world.assessment.pk]  # two changes in one transaction: scored once
    assert AssessmentScore.objects.get(assessment=world.assessment).site_count == 1


def count_scorings(monkeypatch) -> list[int]:
    """The assessments the summary refresh rescores, one entry per rescore."""
    calls: list[int] = []
    real = scores._rescore

    def rescore(assessment_id, touched, **kwargs):
        calls.append(assessment_id)
        return real(assessment_id, touched, **kwargs)

    monkeypatch.setattr(scores, "_rescore", rescore)
    return calls


def test_a_change_rolled_back_does_not_stop_the_refresh_of_one_kept(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    actor = Actor.for_user(world.owner)
    scorings = count_scorings(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        with contextlib.suppress(RuntimeError), transaction.atomic():
            fields = {"name": "Oslo", "country": "NO", "users": 10}
            site_create(assessment=world.assessment, fields=fields, actor=actor)
            raise RuntimeError("rolled back")
        site_delete(site=world.branch, base_version=world.branch.version, actor=actor)
    assert scorings == [world.assessment.pk]
    assert AssessmentScore.objects.get(assessment=world.assessment).site_count == 1


def test_rescore_command_backfills_every_assessment(world, django_assert_num_queries):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("rescore_assessments", stdout=out)
    assert "Rescored 2 assessment(s)" in out.getvalue()
    assert AssessmentScore.objects.count() == 2
    out = io.StringIO()
    call_command("rescore_assessments", "--stale-only", stdout=out)
    assert "Rescored 0" in out.getvalue()


def test_filters_narrow_the_list(world, login, many):
    bulk = many(30)
    Assessment.objects.filter(pk=bulk[0].pk).update(status=Status.SUBMITTED, owner=world.teammate)
    AssessmentScore.objects.filter(assessment=bulk[1]).update(
        recommended_model="mix", band="not_ready"
    )
    client = login(world.manager)
    assert [a.pk for a in rows(client.get(URL, {"status": "submitted"}))] == [bulk[0].pk]
    assert [a.pk for a in rows(client.get(URL, {"owner": world.teammate.pk}))] == [bulk[0].pk]
    assert [a.pk for a in rows(client.get(URL, {"model": "mix"}))] == [bulk[1].pk]
    assert [a.pk for a in rows(client.get(URL, {"band": "not_ready"}))] == [bulk[1].pk]
    unscored = rows(client.get(URL, {"band": "unscored"}))
    assert [a.pk for a in unscored] == [world.assessment.pk]
    by_country = client.get(URL, {"country": "de"})  # the world's sites are in DE and FR
    assert [a.pk for a in rows(by_country)] == [world.assessment.pk]
    assert client.get(URL, {"country": "FR"}).context["page"].paginator.count == 31
    assert [a.pk for a in rows(client.get(URL, {"q": "customer 0007"}))] == [bulk[7].pk]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"status": "nope"}, "The status filter must be one of the choices in its list."),
        ({"owner": "x"}, "The owner filter must be one of the people in the list."),
        ({"model": "<b>"}, "The model filter must be one of the choices in its list."),
        ({"band": "great"}, "The band filter must be one of the choices in its list."),
        ({"country": "DEU"}, "The country filter must be one of the choices in its list."),
        ({"sort": "evil"}, "The list can only be sorted by one of its columns."),
        ({"q": "x" * 101}, "Search for at most 100 characters of a customer&#x27;s name."),
    ],
)
def test_a_filter_the_page_does_not_offer_is_refused_with_what_was_wrong(world, login, query, says):
    client = login(world.manager)
    page = client.get(URL, query)
    assert page.status_code == 400
    assert says in page.content.decode()
    assert f'href="{URL}"' in page.content.decode()
    export = client.get(CSV_URL, query)
    assert export.status_code == 400
    assert export.content.decode() == says.replace("&#x27;", "'")


def test_sorting_and_pagination(world, login, many):
    many(30)
    client = login(world.manager)
    first = rows(client.get(URL, {"sort": "readiness"}))
    scores = [a.score_summary.average_readiness for a in first]
    assert scores == sorted(scores)
    desc = rows(client.get(URL, {"sort": "-customer"}))
    assert desc[0].customer.name == "Contoso Manufacturing"
    page2 = client.get(URL, {"sort": "customer", "page": 2})
    assert len(rows(page2)) == 6
    assert "sort=customer" in page2.content.decode()


def test_csv_export_has_every_filtered_row_and_neutralises_formulas(world, login, many):
    many(3)
    world.customer.name = '=HYPERLINK("http://evil.example","x")'
    world.customer.save()
    response = login(world.manager).get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(body)))
    assert table[0][0] == "Customer" and len(table) == 5
    assert table[-1][0].startswith("'=HYPERLINK") or any(r[0].startswith("'=") for r in table)
    filtered = login(world.manager).get(CSV_URL, {"q": "Bulk customer 0001"})
    assert len(list(csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode())))) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("Contoso", "Contoso"), (None, ""), (42, "42")],
)  # fmt: skip
def test_csv_cells_that_look_like_formulas_are_made_text(value, expected):
    assert csv_cell(value) == expected


def _count_queries(client, django_assert_max_num_queries, **params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_rows_or_sites(
    world, login, many, django_assert_max_num_queries
):
    client = login(world.manager)
    client.get(URL)  # the first request after login also saves the session
    many(4, sites_each=1)  # 5 rows with the world's
    small = _count_queries(client, django_assert_max_num_queries)
    small_sorted = _count_queries(client, django_assert_max_num_queries, sort="-readiness")
    many(495, sites_each=3)  # 500 rows, more sites each
    large = _count_queries(client, django_assert_max_num_queries)
    large_sorted = _count_queries(client, django_assert_max_num_queries, sort="-readiness")
    assert large == small and large_sorted == small_sorted
    assert small <= 10
    with django_assert_max_num_queries(small):
        client.get(URL, {"country": "FR", "page": 3})


def test_a_ready_proposal_can_be_downloaded_from_the_pipeline(world, login, many):
    bulk = many(1)
    page = login(world.manager).get(URL, {"q": bulk[0].customer.name}).content.decode()
    download = reverse("proposals:proposal-download", args=[bulk[0].pk])
    assert f"{download}?version=1" in page
    assert "v1</a>" in page
