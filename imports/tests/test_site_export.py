"""Export to CSV and Excel: the import's columns, formula-safe cells, and a faithful round trip."""

import csv
import io
from datetime import date

from django.urls import reverse

from openpyxl import load_workbook

from assessments.models import Site
from assessments.services.versioning import plain
from imports.tests.conftest import commit, plan_of
from tests.factories import CircuitFactory, SiteFactory


def export(client, world, fmt):
    response = client.get(reverse(f"imports:site-export-{fmt}", args=[world.assessment.pk]))
    assert response.status_code == 200
    return response


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_has_one_row_per_site_in_grid_order(world, login):
    response = export(login(world.owner), world, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="contoso-manufacturing-sites-' in response["Content-Disposition"]
    rows = csv_rows(response.content)
    header = rows[0]
    assert header[:5] == ["Site name", "Country", "City", "Address", "Users"]
    assert "Primary down (Mbps)" in header and "Backup type" in header
    assert [r[0] for r in rows[1:]] == ["Stuttgart HQ", "Lyon Office"]
    hq = dict(zip(header, rows[1], strict=True))
    assert hq["Country"] == "DE"
    assert hq["Users"] == "850"
    assert hq["Primary down (Mbps)"] == "1000"
    assert hq["Backup type"] == "LTE / 5G"
    assert hq["Wi-Fi"] == "Don't know"


def test_xlsx_export_keeps_numbers_as_numbers(world, login):
    Site.objects.filter(pk=world.hq.pk).update(client_loss_pct=0.25, measured_on=date(2026, 3, 2))
    response = export(login(world.owner), world, "xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Sites"]
    header = [c.value for c in sheet[1]]
    hq = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert hq["Users"] == 850 and isinstance(hq["Users"], int)
    assert hq["Client loss (%)"] == 0.25
    assert hq["Measured on"].date() == date(2026, 3, 2)
    assert "Help" in book.sheetnames


def test_formula_like_text_is_neutralised_in_both_formats(world, login):
    Site.objects.filter(pk=world.hq.pk).update(
        name='=HYPERLINK("http://evil")', city="+1 Stuttgart", address="-2+3", notes="@SUM(A1)"
    )
    Site.objects.filter(pk=world.branch.pk).update(city="\tTabbed", notes="\rCR", users=7)
    client = login(world.owner)
    rows = csv_rows(export(client, world, "csv").content)
    header = rows[0]
    hq = dict(zip(header, rows[1], strict=True))
    assert hq["Site name"] == '\'=HYPERLINK("http://evil")'
    assert hq["City"] == "'+1 Stuttgart"
    assert hq["Address"] == "'-2+3"
    assert hq["Notes"] == "'@SUM(A1)"
    lyon = dict(zip(header, rows[2], strict=True))
    assert lyon["City"] == "'\tTabbed"
    assert lyon["Notes"] == "'\rCR"
    assert lyon["Users"] == "7"  # numbers are not touched
    book = load_workbook(io.BytesIO(export(client, world, "xlsx").content))
    sheet = book["Sites"]
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A2"].data_type == "s"  # text, never a formula
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def _snapshot(assessment):
    fields = [
        f.name
        for f in Site._meta.concrete_fields
        if f.name not in {"id", "assessment", "created_at", "updated_at", "version", "position"}
    ]
    return {
        site.name: (
            {name: plain(getattr(site, name)) for name in fields},
            sorted(site.circuits.values_list("role", "kind", "down_mbps", "up_mbps", "provider")),
        )
        for site in assessment.sites.all()
    }


def _rich_sites(world):
    """Sites using every kind of value, including awkward ones."""
    Site.objects.filter(pk=world.hq.pk).update(
        address="Königstraße 1, 70173 Stuttgart",
        peak_concurrency=25,
        teams_rooms=12,
        overhead_paging="yes",
        internet_breakout="local",
        proxy="bypassed",
        vpn="through",
        qos="partial",
        wifi="enterprise_5ghz",
        client_rtt_ms=38.25,
        client_jitter_ms=6,
        client_loss_pct=0.1,
        client_reorder_pct=0.01,
        edge_rtt_ms=12.5,
        edge_loss_pct=0.05,
        measured_on=date(2026, 3, 2),
        measured_where='2nd floor, Wi-Fi; "quoted"',
        measurement_tool="nat",
        operator_available="no",
        regulation="toll_bypass",
        emergency_address_ready="partial",
        notes="Line one\nline two, with comma\n=not a formula",
    )
    odd = SiteFactory(
        assessment=world.assessment,
        name="-Minus site",
        country="JP",
        city="@Osaka",
        users=0,
        position=10,
    )
    CircuitFactory(
        site=odd, role="secondary", kind="broadband", down_mbps=0.5, up_mbps=0.25, provider=""
    )
    CircuitFactory(
        site=odd, role="secondary", kind="satellite", down_mbps=100, up_mbps=10, provider="+Sky"
    )
    SiteFactory(
        assessment=world.assessment, name="Empty", country="BR", city="", users=3, position=11
    )


def _round_trip(world, login, upload, client, fmt):
    _rich_sites(world)
    before = _snapshot(world.assessment)
    content = export(login(world.owner), world, fmt).content
    # Import into a fresh assessment: every site is new, built only from the file.
    world.assessment.sites.all().delete()
    response = upload(content, f"export.{fmt}")
    plan = plan_of(response)
    assert plan.errors == [], [str(p) for p in plan.errors]
    assert plan.count("create") == len(before)
    commit(client, response)
    assert _snapshot(world.assessment) == before
    # Importing the same file again over the sites changes nothing.
    again = plan_of(upload(content, f"export.{fmt}"))
    assert again.count("unchanged") == len(before), [(r.name, r.changes) for r in again.rows]


def test_csv_export_reimports_to_identical_sites(world, login, upload, client):
    _round_trip(world, login, upload, client, "csv")


def test_xlsx_export_reimports_to_identical_sites(world, login, upload, client):
    _round_trip(world, login, upload, client, "xlsx")


def test_exported_order_is_kept_on_reimport(world, login, upload, client):
    content = export(login(world.owner), world, "csv").content
    world.assessment.sites.all().delete()
    commit(client, upload(content))
    assert list(world.assessment.sites.values_list("name", flat=True)) == [
        "Stuttgart HQ",
        "Lyon Office",
    ]


def test_templates_download_and_import_cleanly(world, login, upload):
    client = login(world.owner)
    for fmt in ("csv", "xlsx"):
        url = reverse(f"imports:site-import-template-{fmt}", args=[world.assessment.pk])
        response = client.get(url)
        assert response.status_code == 200
        assert f'filename="site-list-template.{fmt}"' in response["Content-Disposition"]
        plan = plan_of(upload(response.content, f"template.{fmt}"))
        assert plan.errors == []
        assert [r.name for r in plan.rows] == ["Stuttgart HQ", "Chicago Sales"]
        assert [r.action for r in plan.rows] == ["update", "create"]


def test_an_empty_assessment_exports_just_the_headings(world, login):
    world.assessment.sites.all().delete()
    rows = csv_rows(export(login(world.owner), world, "csv").content)
    assert len(rows) == 1 and rows[0][0] == "Site name"
