"""The customer's sites and measurements: add, edit, remove, CSV upload, NAT results, bad input."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from pytest_django.asserts import assertContains

from assessments.forms import CircuitFormSet
from assessments.models import Change, Site
from imports.models import MeasurementImport
from invites.forms import CustomerSiteForm
from tests.factories import form_data, formset_data, messages_of

pytestmark = pytest.mark.django_db


def _site_post(site: Site, circuits: list[dict] | None = None, **changes) -> dict:
    data = form_data(CustomerSiteForm(instance=site), **changes)
    initial = [
        {n: getattr(c, n) for n in ("role", "kind", "down_mbps", "up_mbps", "provider")}
        for c in (site.circuits.all() if site.pk else [])
    ]
    data.update(
        formset_data(CircuitFormSet(initial=initial, prefix="circuits"), new=circuits or [])
    )
    return data


def test_a_contact_adds_a_site_with_its_internet_line(client, link, world):
    data = _site_post(
        Site(assessment=world.assessment),
        circuits=[{"role": "primary", "kind": "broadband", "down_mbps": 300, "up_mbps": 50}],
        name="Leeds office",
        country="GB",
        users=40,
    )
    response = client.post(link.url("site-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    site = Site.objects.get(assessment=world.assessment, name="Leeds office")
    assert site.country.code == "GB" and site.users == 40
    assert [(c.down_mbps, c.up_mbps) for c in site.circuits.all()] == [(300, 50)]
    change = Change.objects.get(object_type="site", object_id=site.pk, action="create")
    assert change.actor_label == "Priya Patel (customer)" and change.user is None


def test_a_site_edit_is_autosaved(client, link, world):
    data = _site_post(world.hq, wifi="enterprise_5ghz")
    response = client.post(link.url("site-autosave", world.hq.pk), data)
    assert "Saved" in response.content.decode()
    world.hq.refresh_from_db()
    assert world.hq.wifi == "enterprise_5ghz"
    assert world.hq.circuits.count() == 2  # the lines shown on the form are kept


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"users": "-5"}, "users", "greater than or equal to 0"),
        ({"name": ""}, "name", "required"),
        ({"name": "Lyon Office"}, "name", "Another site"),
        ({"country": "XX"}, "country", "valid choice"),
    ],
)
def test_bad_site_values_are_explained_and_nothing_is_saved(
    client, link, world, changes, field, message
):
    before = (world.hq.version, world.hq.users, world.hq.name)
    response = client.post(link.url("site-update", world.hq.pk), _site_post(world.hq, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert f'id="{field}-error"' in response.content.decode()
    world.hq.refresh_from_db()
    assert (world.hq.version, world.hq.users, world.hq.name) == before


def test_a_line_with_negative_speed_is_refused(client, link, world):
    data = _site_post(
        Site(assessment=world.assessment),
        circuits=[{"role": "primary", "kind": "dia", "down_mbps": -10, "up_mbps": 5}],
        name="Bad line",
        country="DE",
    )
    response = client.post(link.url("site-create"), data)
    assert response.status_code == 400
    assert not Site.objects.filter(name="Bad line").exists()


def test_a_contact_removes_a_site(client, link, world):
    response = client.post(
        link.url("site-delete", world.branch.pk), {"version": world.branch.version}
    )
    assert response.status_code == 302
    assert not Site.objects.filter(pk=world.branch.pk).exists()


def test_a_site_list_is_previewed_row_by_row_then_saved(client, link, world):
    csv = (
        b"Site name,Country,City,Users\r\n"
        b"Leeds office,GB,Leeds,40\r\n"
        b"Stuttgart HQ,DE,Stuttgart,900\r\n"
    )
    upload = SimpleUploadedFile("sites.csv", csv, content_type="text/csv")
    response = client.post(link.url("sites-upload"), {"file": upload})
    assert response.status_code == 302 and response["Location"] == link.url("sites-upload-preview")
    preview = client.get(link.url("sites-upload-preview"))
    text = preview.content.decode()
    assert "Leeds office" in text and "New" in text and "Update" in text
    assert not Site.objects.filter(name="Leeds office").exists()  # nothing saved yet
    plan = preview.context["plan"]
    done = client.post(
        link.url("sites-upload-confirm"),
        {"fingerprint": plan.fingerprint, "upload": preview.context["upload"]},
    )
    assert done.status_code == 302
    assert Site.objects.filter(assessment=world.assessment, name="Leeds office").exists()
    world.hq.refresh_from_db()
    assert world.hq.users == 900
    assert Change.objects.filter(actor_label="Priya Patel (customer)", object_type="site").exists()


def test_a_site_list_with_problems_cannot_be_saved(client, link, world):
    csv = b"Site name,Country,Users\r\nLeeds,GB,-4\r\nNowhere,Atlantis,3\r\n"
    client.post(link.url("sites-upload"), {"file": SimpleUploadedFile("s.csv", csv)})
    preview = client.get(link.url("sites-upload-preview"))
    text = preview.content.decode()
    assert "Problems to correct" in text
    assert preview.context["plan"].can_commit is False
    client.post(
        link.url("sites-upload-confirm"), {"fingerprint": preview.context["plan"].fingerprint}
    )
    assert not Site.objects.filter(name__in=["Leeds", "Nowhere"]).exists()


def test_an_oversized_or_malformed_site_list_is_refused_with_a_message(client, link):
    big = SimpleUploadedFile("big.csv", b"Site name,Country\r\n" + b"x" * (5 * 1024 * 1024 + 10))
    response = client.post(link.url("sites-upload"), {"file": big})
    assert response.status_code == 400
    assert "the limit is 5 MB" in " ".join(response.context["form"].errors["file"])
    junk = SimpleUploadedFile("junk.xlsx", b"\x00\x01 not a spreadsheet")
    response = client.post(link.url("sites-upload"), {"file": junk})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


NAT_FILES = Path(__file__).resolve().parents[2] / "imports" / "tests" / "files" / "nat"


def test_a_contact_uploads_network_assessment_tool_results(client, link, world):
    data = (NAT_FILES / "quality_check_results.csv").read_bytes()
    response = client.post(
        link.url("measurement-upload", world.branch.pk),
        {
            "nat-file": SimpleUploadedFile("quality_check_results.csv", data),
            "nat-segment": "client",
            "nat-measured_where": "2nd floor Wi-Fi",
            "nat-measured_on": "",
        },
        follow=True,
    )
    assert response.redirect_chain, response.content.decode()[:3000]
    world.branch.refresh_from_db()
    # The Teams tool's latency p95 (80.419 ms) is read against the one-way target.
    assert world.branch.client_rtt_ms == 160.838
    assert world.branch.client_loss_pct == 1.2
    record = MeasurementImport.objects.get(site=world.branch)
    assert record.created_by is None and record.created_by_label == "Priya Patel (customer)"
    notes = messages_of(response)
    assert any("The Teams tool reported a latency of 80.419 ms" in m for m in notes)
    assert any(m.startswith("Only 40 samples") for m in notes)
    # The page shows the run's period and how its latency was read.
    assertContains(
        response, "“quality_check_results.csv”, 40 samples from 8 Jun 2022 08:14:13 to 08:17:28 UTC"
    )
    assertContains(response, "its own lab compares it with the one-way target (&lt; 50 ms)")


def test_typed_figures_are_saved_and_absurd_ones_refused(client, link, world):
    base = {
        "paste-segment": "edge",
        "paste-measured_on": "2026-11-20",
        "paste-measured_where": "edge router",
        "paste-tool": "nat",
    }
    bad = client.post(
        link.url("measurement-figures", world.hq.pk),
        {**base, "paste-loss_pct": "10000", "paste-rtt_ms": "-4"},
    )
    assert bad.status_code == 400
    errors = bad.context["paste_form"].errors
    assert "loss_pct" in errors and "rtt_ms" in errors
    world.hq.refresh_from_db()
    assert world.hq.edge_loss_pct is None
    good = client.post(
        link.url("measurement-figures", world.hq.pk),
        {**base, "paste-loss_pct": "0.05", "paste-rtt_ms": "22", "paste-jitter_ms": "3"},
    )
    assert good.status_code == 302
    world.hq.refresh_from_db()
    assert (world.hq.edge_loss_pct, world.hq.edge_rtt_ms) == (0.05, 22)


def test_a_malformed_results_file_is_explained(client, link, world):
    response = client.post(
        link.url("measurement-upload", world.hq.pk),
        {
            "nat-file": SimpleUploadedFile("notes.csv", b"hello,world\r\n1,2\r\n"),
            "nat-segment": "client",
            "nat-measured_where": "desk",
        },
    )
    assert response.status_code == 400
    assert response.context["nat_form"].errors["file"]
    assert not MeasurementImport.objects.exists()


def test_the_measurement_page_explains_how_to_measure(client, link):
    text = client.get(link.url("measurements")).content.decode()
    assert "NetworkAssessmentTool.exe /qualitycheck" in text
    assert "quality_check_results.csv" in text
    assert "under 1 %" in text and "under 100 ms" in text
    assert "performance_results.tsv" in text
    assert "compared with the one-way target (under 50 ms from a client)" in text
