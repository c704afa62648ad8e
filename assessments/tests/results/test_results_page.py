"""The results page and the command line that print the engine's results."""

import json

from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from assessments import engine_io
from assessments.models import Assessment
from scoring.results import SEVERITY_ORDER

pytestmark = pytest.mark.django_db


def test_results_show_every_site_the_recommendation_and_the_ownership(client, world):
    client.force_login(world.owner)
    response = client.get(reverse("assessments:results", args=[world.assessment.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Stuttgart HQ", "Lyon Office", "Recommendation", "What IT owns under each model"):
        assert text in page
    assert "SBC hardware / VM" in page
    assert "<svg" in page and 'role="img"' in page
    # The page reads stored results: they say what scoring the assessment now says.
    result = engine_io.score(world.assessment)
    assert response.context["result"].recommendation == result.recommendation
    assert result.recommendation.label in page
    for site in result.sites:
        if site.network.grade == "not_assessed":
            # Too little known: no score to read, a grey "needs data" state instead.
            assert "Needs data" in page
        else:
            assert f"Readiness {site.network.score}/100" in page


def test_results_explain_a_poor_measurement(client, world):
    world.hq.client_loss_pct = 5
    world.hq.save()
    client.force_login(world.owner)
    page = client.get(reverse("assessments:results", args=[world.assessment.pk])).content.decode()
    # The code stays behind the detail; the reader gets the Microsoft page to open.
    assert "NET.LOSS.CLIENT.HIGH" in page
    assert "https://learn.microsoft.com/" in page
    assert "domain.md" not in page and "§" not in page


def test_results_without_sites_say_what_to_do(client, world):
    world.assessment.sites.all().delete()
    client.force_login(world.owner)
    page = client.get(reverse("assessments:results", args=[world.assessment.pk])).content.decode()
    assert "No sites to score yet" in page


def test_outsider_gets_404(client, world):
    client.force_login(world.outsider)
    response = client.get(reverse("assessments:results", args=[world.assessment.pk]))
    assert response.status_code == 404


def test_results_query_count_does_not_grow_with_sites(client, world):
    from tests.factories import CircuitFactory, SiteFactory

    client.force_login(world.owner)
    url = reverse("assessments:results", args=[world.assessment.pk])
    # Sites made by the factories bypass the services: the first view scores and stores
    # them; the views after it read what is stored.
    client.get(url)
    # The page of sites is read on its own (count, rows, circuits): three more, still flat.
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    assert 0 < len(few) <= 15
    for i in range(30):
        CircuitFactory(site=SiteFactory(assessment=world.assessment, name=f"Branch {i}"))
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_score_command_prints_json_results(world, tmp_path, capsys):
    path = tmp_path / "a.json"
    call_command("export_assessment", world.assessment.pk, output=str(path))
    call_command("score_assessment", str(path), format="json")
    body = json.loads(capsys.readouterr().out)
    assert [s["site"] for s in body["sites"]] == ["Stuttgart HQ", "Lyon Office"]
    assert body["recommendation"]["label"]
    assert body["ownership"]["rows"]


def test_score_command_text_lists_findings(world, capsys):
    call_command("score_assessment", id=world.assessment.pk)
    out = capsys.readouterr().out
    assert "Stuttgart HQ" in out and "Recommendation:" in out


def test_score_command_text_gives_the_estate_figures_and_each_sites_issues_most_severe_first(
    world, capsys
):
    call_command("score_assessment", id=world.assessment.pk)
    out = capsys.readouterr().out
    result = engine_io.score(world.assessment)
    grades = [r.network.grade for r in result.sites]
    # The world's sites give too little to grade: no average, both "not assessed".
    assert result.summary.average_readiness is None
    assert "2 sites, 1010 users; average readiness —;" in out
    assert f"not ready {grades.count('not_ready')}, not assessed 2" in out
    lyon = next(r for r in result.sites if r.site == "Lyon Office")
    by_code = {f.code: f for f in lyon.network.findings}
    listed = out.split("Lyon Office [FR]")[1].split("\n\n")[0].splitlines()[1:]
    codes = [line.split()[1].rstrip(":") for line in listed]
    order = [(SEVERITY_ORDER.index(by_code[c].severity), by_code[c].points) for c in codes]
    assert len(codes) > 3 and order == sorted(order)


def test_score_command_names_the_bad_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "format": "teams-readiness-assessment",
                "format_version": 1,
                "meta": {"title": "x"},
                "sites": [{"name": "A", "country": "DE", "users": -1}],
            }
        )
    )
    with pytest.raises(CommandError, match=r"sites\[0\]\.users"):
        call_command("score_assessment", str(path))


def test_score_command_refuses_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("hello")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("score_assessment", str(path))


def test_import_command_creates_the_assessment(world, tmp_path):
    path = tmp_path / "a.json"
    call_command("export_assessment", world.assessment.pk, output=str(path))
    before = Assessment.objects.count()
    call_command("import_assessment", str(path), owner="bob")
    assert Assessment.objects.count() == before + 1
    created = Assessment.objects.latest("id")
    assert created.owner == world.teammate and created.sites.count() == 2


def test_import_command_needs_a_member(world, tmp_path):
    path = tmp_path / "a.json"
    call_command("export_assessment", world.assessment.pk, output=str(path))
    with pytest.raises(CommandError, match="no user"):
        call_command("import_assessment", str(path), owner="nobody")


def test_score_command_shows_a_site_too_little_is_known_about_without_a_score(world, capsys):
    call_command("score_assessment", id=world.assessment.pk)
    out = capsys.readouterr().out
    assert "Stuttgart HQ [DE] readiness — Not assessed," in out
    assert "% known" in out and "§" not in out
