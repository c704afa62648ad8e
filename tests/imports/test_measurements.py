"""Network Assessment Tool results and typed figures: summaries, storage on the site, history."""

from datetime import UTC, date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertRedirects

from assessments.models import Change, MeasurementImport, Site
from assessments.services.measurements import (
    MeasurementFileError,
    parse_nat_file,
    percentile,
    summary_notes,
)
from tests.factories import messages_of

NAT_CSV = (
    "TIMESTAMP,LOSS RATE,LATENCY,JITTER,PROTOCOL,LOCAL ADDRESS,REMOTE ADDRESS,"
    "IS PROXIED PATH,LAST KNOWN REFLEXIVE IP\r\n"
    "8/2/2021 14:00:00,0,70,10,UDP,10.0.0.5:50010,52.115.1.1:3478,False,203.0.113.9:61000\r\n"
    "8/2/2021 14:00:05,0,80,12,UDP,10.0.0.5:50010,52.115.1.1:3478,False,203.0.113.9:61000\r\n"
    "8/2/2021 14:00:10,1,90,14,UDP,10.0.0.5:50010,52.115.1.1:3478,False,203.0.113.9:61000\r\n"
    "8/2/2021 14:00:15,0,100,16,UDP,10.0.0.5:50010,52.115.1.1:3478,False,203.0.113.9:61000\r\n"
    "8/2/2021 14:00:20,2,110,30,UDP,10.0.0.5:50010,52.115.1.1:3478,False,203.0.113.9:61000\r\n"
)


def test_percentile_interpolates_like_a_spreadsheet():
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
    assert percentile([70, 80, 90, 100, 110], 0.95) == pytest.approx(108)
    assert percentile([5], 0.95) == 5


def test_a_small_nat_file_is_summarised_exactly():
    summary = parse_nat_file(data=NAT_CSV.encode())
    assert summary.samples == 5 and summary.failed == 0
    assert (summary.rtt.median, summary.rtt.p95) == (90, 108)
    assert (summary.jitter.median, summary.jitter.p95) == (14, 27.2)
    assert (summary.loss.median, summary.loss.p95) == (0, 1.8)
    assert summary.reorder is None
    assert summary.first_at == datetime(2021, 8, 2, 14, 0, tzinfo=UTC)
    assert summary.last_at == datetime(2021, 8, 2, 14, 0, 20, tzinfo=UTC)
    assert summary.measured_on == date(2021, 8, 2)
    assert summary.protocols == ["UDP"]


def test_headings_are_matched_leniently_and_reorder_is_used_when_present():
    data = (
        "Time stamp;Loss rate (%);Latency (ms);Jitter (ms);Packet reorder ratio;Protocol\n"
        "2026-03-02T09:00:00Z;0;20,5;2;0;UDP\n"
        "2026-03-02T09:00:05Z;0;21,5;4;0,02;TCP\n"
    )
    summary = parse_nat_file(data=data.encode())
    assert (summary.rtt.median, summary.rtt.p95) == (21, 21.45)
    assert (summary.reorder.median, summary.reorder.p95) == (0.01, 0.019)
    assert summary.protocols == ["UDP", "TCP"]


def test_lines_with_total_loss_count_for_loss_only():
    data = "TIMESTAMP,LOSS RATE,LATENCY,JITTER\n1,0,50,5\n2,100,0,0\n3,0,60,7\n"
    summary = parse_nat_file(data=data.encode())
    assert summary.samples == 3 and summary.failed == 1
    assert summary.rtt.count == 2 and summary.rtt.median == 55
    assert summary.loss.p95 == pytest.approx(90)
    assert summary.first_at is None  # "1", "2", "3" are not timestamps


def test_day_first_timestamps_are_read_as_such():
    data = (
        "TIMESTAMP,LOSS RATE,LATENCY,JITTER\n02/08/2021 14:00:00,0,1,1\n13/08/2021 14:00:00,0,1,1\n"
    )
    summary = parse_nat_file(data=data.encode())
    assert summary.first_at.date() == date(2021, 8, 2)
    assert summary.last_at.date() == date(2021, 8, 13)


def test_a_console_transcript_is_read_too():
    data = (
        "Microsoft Teams Network Assessment Tool\n"
        "Loss Rate: 0  Latency: 71.45  Jitter: 10  Protocol: UDP\n"
        "Loss Rate: 0  Latency: 73.55  Jitter: 12  Protocol: UDP\n"
    )
    summary = parse_nat_file(data=data.encode())
    assert summary.layout == "console"
    assert summary.rtt.median == 72.5


def test_unreadable_lines_are_skipped_and_listed():
    data = "TIMESTAMP,LOSS RATE,LATENCY,JITTER\nt,0,10,1\nt,oops,,\nt,100,0,0\n"
    summary = parse_nat_file(data=data.encode())
    assert summary.samples == 2
    assert summary.skipped_lines == [3]
    assert summary_notes(summary) == [
        "1 line(s) could not be read and were left out (line 3).",
        "Only 2 samples (about 1 min). Microsoft suggests 30-minute runs, repeated over a week "
        "of business hours, before relying on the figures.",
        "1 sample(s) had 100 % loss (no media got through): they count for loss but not for "
        "latency and jitter.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Site,Country\nA,DE\n", "not recognised as a Network Assessment Tool quality check"),
        (b"", "The file is empty."),
        (b"TIMESTAMP,LOSS RATE,LATENCY,JITTER\n", "no measurement lines"),
        (b"PK\x03\x04rest", "Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV or Excel file"),
    ],
)
def test_files_that_are_not_nat_results_are_refused_clearly(data, message):
    with pytest.raises(MeasurementFileError, match=message):
        parse_nat_file(data=data)


def test_the_message_names_the_columns_found():
    with pytest.raises(MeasurementFileError) as exc:
        parse_nat_file(data=b"Site,Country\nA,DE\n")
    assert "TIMESTAMP, LOSS RATE, LATENCY and JITTER" in str(exc.value)
    assert "“Site”, “Country”" in str(exc.value)


def upload_url(world, site=None):
    return reverse(
        "assessments:measurement-upload", args=[world.assessment.pk, (site or world.hq).pk]
    )


def test_uploading_a_file_stores_the_p95_on_the_chosen_segment(world, login):
    Site.objects.filter(pk=world.hq.pk).update(client_reorder_pct=0.02, client_rtt_ms=1)
    client = login(world.owner)
    response = client.post(
        upload_url(world),
        {
            "nat-file": SimpleUploadedFile("quality_check_results.csv", NAT_CSV.encode()),
            "nat-segment": "client",
            "nat-measured_where": "3rd floor Wi-Fi",
        },
        follow=True,
    )
    site_url = reverse("assessments:site-update", args=[world.assessment.pk, world.hq.pk])
    assertRedirects(response, site_url + "#measurements", fetch_redirect_response=False)
    hq = Site.objects.get(pk=world.hq.pk)
    assert (hq.client_rtt_ms, hq.client_jitter_ms, hq.client_loss_pct) == (108, 27.2, 1.8)
    assert hq.client_reorder_pct == 0.02  # not in the file: kept
    assert hq.edge_rtt_ms is None
    assert (hq.measured_on, hq.measured_where, hq.measurement_tool) == (
        date(2021, 8, 2),
        "3rd floor Wi-Fi",
        "nat",
    )
    assert hq.version == world.hq.version + 1
    assert Change.objects.filter(object_id=hq.pk, object_type="site", action="update").exists()
    record = MeasurementImport.objects.get()
    assert (record.segment, record.source, record.samples, record.file_name) == (
        "client",
        "nat",
        5,
        "quality_check_results.csv",
    )
    assert (record.rtt_median_ms, record.rtt_p95_ms) == (90, 108)
    assert (record.loss_median_pct, record.loss_p95_pct) == (0, 1.8)
    assert record.duration_seconds == 20
    assert record.created_by == world.owner
    notes = messages_of(response)
    assert any("Stored the 95th percentiles: round trip 108 ms" in m for m in notes)
    assert any(
        "Only 5 samples (about 1 min). Microsoft suggests 30-minute runs" in m for m in notes
    )
    # The site page shows the run in its Measurements card.
    page = client.get(site_url)
    assertContains(page, "quality_check_results.csv")
    assertContains(page, "<strong>108</strong>", html=False)
    assertContains(page, "108 ms")


def test_an_explicit_date_wins_over_the_file(world, login):
    login(world.owner).post(
        upload_url(world),
        {
            "nat-file": SimpleUploadedFile("q.csv", NAT_CSV.encode()),
            "nat-segment": "edge",
            "nat-measured_where": "Edge router",
            "nat-measured_on": "2026-03-05",
        },
    )
    hq = Site.objects.get(pk=world.hq.pk)
    assert hq.edge_rtt_ms == 108 and hq.client_rtt_ms is None
    assert hq.measured_on == date(2026, 3, 5)


def test_an_unrecognised_file_is_explained_and_saves_nothing(world, login):
    response = login(world.owner).post(
        upload_url(world),
        {
            "nat-file": SimpleUploadedFile("sites.csv", b"Site,Country\nA,DE\n"),
            "nat-segment": "client",
            "nat-measured_where": "Desk",
        },
    )
    assert response.status_code == 400
    assertContains(
        response, "not recognised as a Network Assessment Tool quality check", status_code=400
    )
    assertContains(response, "Nothing was saved", status_code=400)
    assert not MeasurementImport.objects.exists()
    assert Site.objects.get(pk=world.hq.pk).version == world.hq.version


def test_the_upload_form_requires_a_segment_and_where(world, login):
    response = login(world.owner).post(
        upload_url(world), {"nat-file": SimpleUploadedFile("q.csv", NAT_CSV.encode())}
    )
    form = response.context["nat_form"]
    assert set(form.errors) == {"segment", "measured_where"}
    assert not MeasurementImport.objects.exists()


def test_figures_outside_what_a_site_accepts_are_refused(world, login):
    data = "TIMESTAMP,LOSS RATE,LATENCY,JITTER\nt,0,20000,1\n"
    response = login(world.owner).post(
        upload_url(world),
        {
            "nat-file": SimpleUploadedFile("q.csv", data.encode()),
            "nat-segment": "client",
            "nat-measured_where": "Desk",
        },
    )
    assert response.status_code == 400
    assert "outside what a site accepts" in " ".join(response.context["nat_form"].errors["file"])
    assert not MeasurementImport.objects.exists()
    assert Site.objects.get(pk=world.hq.pk).client_rtt_ms is None


def paste_url(world):
    return reverse("assessments:measurement-paste", args=[world.assessment.pk, world.hq.pk])


def test_pasted_figures_are_stored_and_recorded(world, login):
    Site.objects.filter(pk=world.hq.pk).update(edge_reorder_pct=0.005)
    response = login(world.owner).post(
        paste_url(world),
        {
            "paste-segment": "edge",
            "paste-rtt_ms": "42 ms",
            "paste-jitter_ms": "3,5",
            "paste-loss_pct": "0.05%",
            "paste-reorder_pct": "",
            "paste-measured_on": "2026-03-01",
            "paste-measured_where": "Edge router",
            "paste-tool": "connectivity",
        },
        follow=True,
    )
    assert "Customer edge → Microsoft edge figures saved." in messages_of(response)
    hq = Site.objects.get(pk=world.hq.pk)
    assert (hq.edge_rtt_ms, hq.edge_jitter_ms, hq.edge_loss_pct, hq.edge_reorder_pct) == (
        42,
        3.5,
        0.05,
        0.005,
    )
    assert (hq.measured_on, hq.measured_where, hq.measurement_tool) == (
        date(2026, 3, 1),
        "Edge router",
        "connectivity",
    )
    record = MeasurementImport.objects.get()
    assert (record.source, record.segment, record.rtt_p95_ms, record.reorder_p95_pct) == (
        "manual",
        "edge",
        42,
        None,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({}, "rtt_ms", "Enter at least one figure."),
        ({"paste-loss_pct": "150"}, "loss_pct", "Ensure this value is less than or equal to 100."),
        ({"paste-rtt_ms": "-3"}, "rtt_ms", "Ensure this value is greater than or equal to 0."),
        ({"paste-jitter_ms": "fast"}, "jitter_ms", "“fast” is not a number."),
    ],
)
def test_bad_pasted_figures_are_marked_on_their_field(world, login, overrides, field, message):
    data = {
        "paste-segment": "client",
        "paste-measured_on": "2026-03-01",
        "paste-measured_where": "Desk",
        "paste-tool": "other",
        **overrides,
    }
    response = login(world.owner).post(paste_url(world), data)
    assert response.status_code == 400
    assert message in response.context["paste_form"].errors[field]
    assert not MeasurementImport.objects.exists()


def test_the_measurements_page_lists_every_run(world, login):
    client = login(world.owner)
    url = reverse("assessments:site-measurements", args=[world.assessment.pk, world.hq.pk])
    empty = client.get(url)
    assertContains(empty, "No measurements yet.")
    client.post(
        upload_url(world),
        {
            "nat-file": SimpleUploadedFile("run1.csv", NAT_CSV.encode()),
            "nat-segment": "client",
            "nat-measured_where": "Desk",
        },
    )
    page = client.get(url)
    assertContains(page, "run1.csv")
    assertContains(page, "95th percentile")
    assertContains(page, "&lt; 100 ms")  # the client RTT target (domain.md §2.1)
