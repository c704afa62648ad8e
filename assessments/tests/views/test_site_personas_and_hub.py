"""A site's users by persona and backhaul hub: asked on the site form, scored by the portal."""

import json

from django.urls import reverse

import pytest

from assessments import engine_io
from assessments.forms import SiteForm
from assessments.models import Site
from assessments.schema.document import load_document
from assessments.services.documents import assessment_export
from tests.factories import form_data


def _post_site(client, world, site, **changes):
    url = reverse("assessments:site-update", args=[world.assessment.pk, site.pk])
    from assessments.tests.views.test_site_form import site_data

    return client.post(url, site_data(site, **changes))


def _hq_load(world):
    result = engine_io.score(world.assessment)
    hq = next(s for s in result.sites if s.site == world.hq.name)
    return hq.network.load


def test_a_branch_backhauling_to_the_hq_raises_the_hq_load(world, login):
    client = login(world.owner)
    before = _hq_load(world)
    response = _post_site(client, world, world.branch, backhaul_hub="stuttgart hq")
    assert response.status_code == 302
    world.branch.refresh_from_db()
    assert world.branch.backhaul_hub == "Stuttgart HQ"  # the hub's own spelling
    after = _hq_load(world)
    assert after.backhauled_sites == ("Lyon Office",)
    assert after.rec_down_kbps > before.rec_down_kbps
    assert after.backhauled_down_kbps > 0
    assert after.rec_down_kbps - before.rec_down_kbps == pytest.approx(after.backhauled_down_kbps)


def test_a_hub_that_is_not_a_site_itself_or_another_branch_is_refused(world, login):
    client = login(world.owner)
    for typed, message in (
        ("Paris", "No other site of this assessment is named"),
        ("Lyon Office", "No other site of this assessment is named"),
    ):
        response = _post_site(client, world, world.branch, backhaul_hub=typed)
        assert response.status_code == 200
        assert message in response.content.decode()
    Site.objects.filter(pk=world.branch.pk).update(backhaul_hub="Stuttgart HQ")
    response = _post_site(client, world, world.hq, backhaul_hub="Lyon Office")
    assert "Lyon Office sends its own traffic through Stuttgart HQ" in response.content.decode()
    world.hq.refresh_from_db()
    assert world.hq.backhaul_hub == ""


def test_users_by_persona_size_the_load_and_cannot_exceed_the_users(world, login):
    client = login(world.owner)
    default = _hq_load(world)
    response = _post_site(client, world, world.hq, audio_only_users=850)
    assert response.status_code == 302
    audio = _hq_load(world)
    assert audio.personas == (("audio_only", 850),)
    # A call centre of audio-only agents loads far less than Network Planner's default.
    assert audio.rec_down_kbps < default.rec_down_kbps
    response = _post_site(client, world, world.hq, audio_only_users=800, heavy_video_users=100)
    assert response.status_code == 200
    assert "add up to 900, more than the site&#x27;s 850 users" in response.content.decode()


def test_a_renamed_hub_scores_the_branch_on_its_own_line_instead_of_failing(world):
    Site.objects.filter(pk=world.branch.pk).update(backhaul_hub="Stuttgart HQ")
    Site.objects.filter(pk=world.hq.pk).update(name="Stuttgart Campus")
    load = next(s for s in engine_io.score(world.assessment).sites if s.site == "Stuttgart Campus")
    assert load.network.load.backhauled_sites == ()


def test_the_document_keeps_personas_and_hub_and_a_version_1_file_still_loads(world):
    Site.objects.filter(pk=world.hq.pk).update(audio_only_users=200, office_video_users=0)
    Site.objects.filter(pk=world.branch.pk).update(backhaul_hub="Stuttgart HQ")
    document = json.loads(json.dumps(assessment_export(world.assessment)))
    assert document["format_version"] == 2
    hq, branch = document["sites"]
    assert (hq["audio_only_users"], hq["office_video_users"], hq["heavy_video_users"]) == (
        200,
        0,
        None,
    )
    assert branch["backhaul_hub"] == "Stuttgart HQ"
    loaded = load_document(document)
    assert loaded == engine_io.assessment_input(world.assessment)
    assert loaded.sites[0].personas == (("audio_only", 200), ("office_worker", 0))
    for site in document["sites"]:
        for name in ("audio_only_users", "office_video_users", "heavy_video_users", "backhaul_hub"):
            del site[name]
    version_1 = load_document({**document, "format_version": 1})
    assert [s.personas for s in version_1.sites] == [(), ()]
    assert [s.backhaul_hub for s in version_1.sites] == ["", ""]


def test_the_site_form_asks_the_new_questions(world):
    fields = form_data(SiteForm(instance=world.hq))
    assert {"audio_only_users", "office_video_users", "heavy_video_users", "backhaul_hub"} <= set(
        fields
    )


def test_renaming_a_hub_keeps_its_branches_and_removing_it_frees_them(world, login):
    client = login(world.owner)
    Site.objects.filter(pk=world.branch.pk).update(backhaul_hub="Stuttgart HQ")
    world.hq.refresh_from_db()
    assert _post_site(client, world, world.hq, name="Stuttgart Campus").status_code == 302
    world.branch.refresh_from_db()
    assert world.branch.backhaul_hub == "Stuttgart Campus"
    hq = next(s for s in engine_io.score(world.assessment).sites if s.site == "Stuttgart Campus")
    assert hq.network.load.backhauled_sites == ("Lyon Office",)
    world.hq.refresh_from_db()
    url = reverse("assessments:site-delete", args=[world.assessment.pk, world.hq.pk])
    assert client.post(url, {"version": world.hq.version}).status_code in (200, 302)
    world.branch.refresh_from_db()
    assert world.branch.backhaul_hub == ""
