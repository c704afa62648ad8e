"""Committing a previewed import: all rows or none, versions and the activity log kept."""

from django.urls import reverse

from pytest_django.asserts import assertContains, assertRedirects

from assessments.models import Change, Circuit, Site
from imports.models import PendingSiteImport
from imports.tests.conftest import commit, csv_bytes, plan_of
from tests.factories import messages_of

HEADER = ["Site", "Country", "City", "Users", "Down", "Up", "Backup down", "Backup up"]


def test_commit_creates_and_updates_every_row(world, upload, client):
    response = upload(
        csv_bytes(
            [
                HEADER,
                ["Pune", "India", "Pune", "310", "100", "50", "", ""],
                ["LYON OFFICE", "FR", "Lyon", "175", "300", "60", "20", "5"],
            ]
        )
    )
    done = commit(client, response)
    assertRedirects(done, reverse("assessments:site-grid", args=[world.assessment.pk]))
    assert "Imported “sites.csv”: 1 added, 1 updated." in messages_of(done)
    pune = Site.objects.get(assessment=world.assessment, name="Pune")
    assert (pune.country.code, pune.city, pune.users, pune.version) == ("IN", "Pune", 310, 1)
    assert list(pune.circuits.values_list("role", "down_mbps", "up_mbps")) == [("primary", 100, 50)]
    assert pune.position > world.branch.position
    world.branch.refresh_from_db()
    assert world.branch.name == "Lyon Office"  # matched by name: the stored spelling stays
    assert world.branch.users == 175
    assert world.branch.version == 2
    assert sorted(world.branch.circuits.values_list("role", "down_mbps", "up_mbps")) == [
        ("backup", 20, 5),
        ("primary", 300, 60),
    ]
    assert Change.objects.filter(object_id=pune.pk, object_type="site", action="create").exists()
    assert Change.objects.filter(object_id=world.branch.pk, action="update").exists()
    assert not PendingSiteImport.objects.exists()


def test_circuit_roles_absent_from_the_file_are_kept(world, upload, client):
    response = upload(csv_bytes([["Site", "Users"], ["Stuttgart HQ", "900"]]))
    commit(client, response)
    world.hq.refresh_from_db()
    assert world.hq.users == 900
    assert world.hq.circuits.count() == 2  # primary and LTE backup untouched


def test_a_file_with_primary_columns_replaces_only_the_primary(world, upload, client):
    response = upload(csv_bytes([["Site", "Down", "Up"], ["Stuttgart HQ", "2000", "2000"]]))
    commit(client, response)
    assert sorted(world.hq.circuits.values_list("role", "down_mbps")) == [
        ("backup", 50),
        ("primary", 2000),
    ]


def test_a_file_with_only_speeds_keeps_the_circuit_type_and_provider(world, upload, client):
    response = upload(csv_bytes([["Site", "Down", "Up"], ["Lyon Office", "200", "40"]]))
    assert plan_of(response).rows[0].action == "unchanged"
    response = upload(csv_bytes([["Site", "Down", "Up"], ["Lyon Office", "500", "40"]]))
    assert plan_of(response).rows[0].changes == [
        (
            "Circuits",
            "Primary 200/40 Mbps, Dedicated internet (fibre), BT",
            "Primary 500/40 Mbps, Dedicated internet (fibre), BT",
        )
    ]
    commit(client, response)
    assert list(world.branch.circuits.values_list("kind", "down_mbps", "provider")) == [
        ("dia", 500, "BT")
    ]


def test_type_and_provider_columns_in_the_file_win(world, upload, client):
    data = [["Site", "Down", "Up", "Type", "ISP"], ["Lyon Office", "200", "40", "DSL", ""]]
    commit(client, upload(csv_bytes(data)))
    # The blank ISP cell leaves the stored provider; the type in the file wins.
    assert list(world.branch.circuits.values_list("kind", "provider")) == [("broadband", "BT")]


def test_a_blank_provider_clears_it_when_blanks_clear(world, upload, client):
    data = [["Site", "Down", "Up", "Type", "ISP"], ["Lyon Office", "200", "40", "DSL", ""]]
    upload(csv_bytes(data))
    preview = client.get(
        reverse("imports:site-import-preview", args=[world.assessment.pk]), {"blanks": "clear"}
    )
    commit(client, preview, blanks="clear")
    assert list(world.branch.circuits.values_list("kind", "provider")) == [("broadband", "")]


def test_blank_primary_cells_keep_the_primary_circuit(world, upload, client):
    response = upload(csv_bytes([["Site", "Down", "Up"], ["Lyon Office", "", ""]]))
    assert plan_of(response).rows[0].action == "unchanged"
    commit(client, response)
    assert world.branch.circuits.count() == 1


def test_blank_primary_cells_remove_the_primary_circuit_when_blanks_clear(world, upload, client):
    response = upload(csv_bytes([["Site", "Down", "Up"], ["Lyon Office", "", ""]]))
    preview = client.get(
        reverse("imports:site-import-preview", args=[world.assessment.pk]), {"blanks": "clear"}
    )
    assert plan_of(preview).rows[0].changes == [
        ("Circuits", "Primary 200/40 Mbps, Dedicated internet (fibre), BT", "none")
    ]
    commit(client, preview, blanks="clear")
    assert not world.branch.circuits.exists()
    assert response.status_code == 200


def test_nothing_is_saved_when_any_row_is_bad(world, upload, client):
    response = upload(
        csv_bytes(
            [
                HEADER,
                ["Pune", "IN", "", "10", "", "", "", ""],
                ["Bad", "DE", "", "-1", "", "", "", ""],
            ]
        )
    )
    assert plan_of(response).count("invalid") == 1
    assertContains(response, "Import the 1 good row, skip the 1 rejected")
    done = commit(client, response)  # the import of every row, forged: the file has problems
    assert "Nothing was saved: correct the problems listed first." in messages_of(done)
    assert not Site.objects.filter(name__in=["Pune", "Bad"]).exists()


def test_a_failure_while_saving_rolls_back_every_row(world, upload, client, monkeypatch):
    from imports.services import commit as saving

    response = upload(
        csv_bytes(
            [
                HEADER,
                ["Pune", "IN", "", "10", "", "", "", ""],
                ["Lyon Office", "FR", "", "5", "", "", "", ""],
            ]
        )
    )

    def exploding_update(**kwargs):
        from django.core.exceptions import ValidationError

        raise ValidationError("boom")

    monkeypatch.setattr(saving, "site_update", exploding_update)
    done = commit(client, response)
    assert any("Nothing was saved" in m for m in messages_of(done))
    assert not Site.objects.filter(name="Pune").exists()
    assert Site.objects.get(pk=world.branch.pk).users == 160
    assert PendingSiteImport.objects.exists()  # the preview stays to try again


def test_an_edit_after_the_preview_makes_the_user_look_again(world, upload, client):
    response = upload(csv_bytes([["Site", "Users"], ["Lyon Office", "175"]]))
    Site.objects.filter(pk=world.branch.pk).update(version=5, users=999)  # someone else
    done = commit(client, response)
    assert any("changed since this preview" in m for m in messages_of(done))
    assert Site.objects.get(pk=world.branch.pk).users == 999
    fresh = plan_of(done)
    assert fresh.rows[0].changes == [("Users", "999", "175")]
    commit(client, done)
    assert Site.objects.get(pk=world.branch.pk).users == 175


def test_a_site_added_with_the_same_name_after_the_preview_is_not_duplicated(world, upload, client):
    response = upload(csv_bytes([["Site", "Country"], ["Pune", "IN"]]))
    Site.objects.create(assessment=world.assessment, name="PUNE", country="IN")
    done = commit(client, response)
    assert any("changed since this preview" in m for m in messages_of(done))
    assert Site.objects.filter(assessment=world.assessment, name__iexact="pune").count() == 1


def test_discarding_deletes_the_preview(world, upload, client):
    upload(csv_bytes([["Site", "Country"], ["Pune", "IN"]]))
    done = client.post(
        reverse("imports:site-import-discard", args=[world.assessment.pk]), follow=True
    )
    assert "Import cancelled: nothing was saved." in messages_of(done)
    assert not PendingSiteImport.objects.exists()
    assert not Site.objects.filter(name="Pune").exists()


def test_a_preview_is_only_for_its_uploader(world, upload, login):
    upload(csv_bytes([["Site", "Country"], ["Pune", "IN"]]))
    url = reverse("imports:site-import-preview", args=[world.assessment.pk])
    response = login(world.teammate).get(url)
    assert "plan" not in response.context
    assertContains(response, "There is no upload waiting for confirmation")
    commit_url = reverse("imports:site-import-commit", args=[world.assessment.pk])
    login(world.teammate).post(commit_url, {"fingerprint": "x", "upload": "x"})
    assert not Site.objects.filter(name="Pune").exists()


def test_confirming_a_preview_replaced_by_a_newer_upload_saves_nothing(world, upload, client):
    first = upload(csv_bytes([["Site", "Country"], ["Pune", "IN"]]))
    upload(csv_bytes([["Site", "Country"], ["Oslo", "NO"]]))  # another browser tab
    done = commit(client, first)
    assert any(
        "a newer file was uploaded since that page was shown" in m for m in messages_of(done)
    )
    assert not Site.objects.filter(name__in=["Pune", "Oslo"]).exists()
    assert [r.name for r in plan_of(done).rows] == ["Oslo"]


def test_an_already_committed_preview_is_gone(world, upload, client):
    response = upload(csv_bytes([["Site", "Country"], ["Pune", "IN"]]))
    commit(client, response)
    again = commit(client, response)
    assert "There is no upload waiting for confirmation: upload a file first." in messages_of(again)
    assert Site.objects.filter(name="Pune").count() == 1


def test_a_file_identical_to_the_stored_sites_has_nothing_to_import(world, upload):
    response = upload(csv_bytes([["Site", "Country", "Users"], ["Lyon Office", "FR", "160"]]))
    assert plan_of(response).count("unchanged") == 1
    assertContains(response, "there is nothing to import")


def test_commit_uses_few_queries_for_many_new_sites(
    world, upload, client, django_assert_max_num_queries
):
    rows = [["Site", "Country", "Users", "Down", "Up"]] + [
        [f"Site {i}", "DE", str(i), "100", "20"] for i in range(300)
    ]
    response = upload(csv_bytes(rows))
    pending = response.context["pending"]
    url = reverse("imports:site-import-commit", args=[world.assessment.pk])
    data = {"fingerprint": response.context["plan"].fingerprint, "upload": str(pending.pk)}
    with django_assert_max_num_queries(25):
        client.post(url, data)
    assert Site.objects.filter(assessment=world.assessment).count() == 302
    assert Circuit.objects.filter(site__assessment=world.assessment).count() == 303
