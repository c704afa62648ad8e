"""Site lists exactly as Excel writes them in other locales, and bounded reading of workbooks."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openpyxl import Workbook
from pytest_django.asserts import assertContains

from assessments.models import Site
from imports.models import PendingSiteImport
from imports.tests.conftest import commit, csv_bytes, file_error, import_url, plan_of, problems_of
from tests.factories import messages_of


def excel_csv(lines: list[str], encoding: str) -> bytes:
    """A CSV as Excel's "CSV (semicolon/comma delimited)" saves it: CRLF, the ANSI code page."""
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_a_polish_windows_1250_csv_keeps_its_letters_and_numbers(world, upload):
    # Excel pl-PL: ";" separator, decimal comma, a no-break space between thousands.
    data = excel_csv(
        [
            "Site name;Country;City;Users;Client loss (%)",
            "Łódź Biuro;Polska;Łódź;3\u00a0000;0,5",
            "Kraków Oddział;PL;Kraków;250;1,25",
        ],
        "cp1250",
    )
    response = upload(data)
    rows = plan_of(response).rows
    assert rows[0].values == {
        "name": "Łódź Biuro",
        "country": "PL",
        "city": "Łódź",
        "users": 3000,
        "client_loss_pct": 0.5,
    }
    assert rows[1].values["client_loss_pct"] == 1.25
    assertContains(response, "it was read as Windows-1250 (Central European), the likeliest")


def test_a_german_excel_csv_reads_thousands_separators(world, upload):
    # Excel de-DE with "#.##0" cells: 3.000 users is three thousand, 10.000 Mbps ten thousand.
    data = excel_csv(
        [
            "Site name;Country;City;Users;Primary down (Mbps);Primary up (Mbps);Client loss (%)",
            "München Zentrale;Deutschland;München;3.000;10.000;1.000;0,5",
            "Köln;DE;Köln;120;100;40;1,25",
        ],
        "cp1252",
    )
    response = upload(data)
    row = plan_of(response).rows[0]
    assert row.values["users"] == 3000
    assert row.values["client_loss_pct"] == 0.5
    assert row.values["country"] == "DE"
    assert row.circuits[0]["down_mbps"] == 10000
    assert row.circuits[0]["up_mbps"] == 1000
    assertContains(response, "Numbers were read with a decimal comma (1.234,5)")


def test_a_thousands_group_without_other_evidence_is_refused_not_guessed(world, upload, login):
    data = "\ufeffSite name;Country;Users\r\nWien;Österreich;3.000\r\n".encode()
    assert problems_of(upload(data)) == [
        "line 2, column Users: “3.000” could be 3 or 3,000: nothing else in the file shows "
        "whether “.” marks decimals or thousands. Write the number without the separator, or "
        "choose the number format when you upload the file"
    ]
    chosen = login(world.owner).post(
        import_url(world),
        {"file": SimpleUploadedFile("s.csv", data), "number_format": "comma"},
        follow=True,
    )
    assert plan_of(chosen).rows[0].values["users"] == 3000
    # An English file shows its decimal point elsewhere: "1,200" is then twelve hundred.
    data = csv_bytes(
        [["Site", "Country", "Users", "Client loss (%)"], ["Leeds", "UK", "1,200", "1.5"]]
    )
    values = plan_of(upload(data)).rows[0].values
    assert (values["country"], values["users"], values["client_loss_pct"]) == ("GB", 1200, 1.5)


def _workbook(rows, formats=None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for reference, number_format in (formats or {}).items():
        sheet[reference].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_percentages_and_grouped_numbers_are_read_as_shown(world, upload):
    data = _workbook(
        [
            ["Site name", "Country", "Users", "Client loss (%)", "Peak concurrent calls (%)"],
            ["Graz", "AT", 3000, 0.005, 0.2],
        ],
        {"C2": "#,##0", "D2": "0.0%", "E2": "0%"},
    )
    values = plan_of(upload(data, "sites.xlsx")).rows[0].values
    assert values["users"] == 3000
    assert values["client_loss_pct"] == 0.5  # shown as 0.5 %, stored by Excel as 0.005
    assert values["peak_concurrency"] == 20


def test_a_percentage_in_a_column_not_in_per_cent_is_refused(world, upload):
    data = _workbook([["Site name", "Country", "Users"], ["Graz", "AT", 0.5]], {"C2": "0%"})
    assert problems_of(upload(data, "sites.xlsx")) == [
        "line 2, column Users: 50% is a percentage; this column is not measured in per cent"
    ]


def test_a_formula_without_a_saved_result_is_reported(world, upload):
    # openpyxl writes formulas without results, as does any script; Excel never opened it.
    data = _workbook([["Site name", "Country", "Users"], ["Graz", "AT", "=10*30"]])
    assert problems_of(upload(data, "sites.xlsx")) == [
        "line 2, column Users: the cell holds a formula (=10*30) whose result was never "
        "calculated: open the file in Excel and save it again, or paste the values instead"
    ]


def test_country_names_in_customers_languages_resolve(world, upload):
    names = ["Deutschland", "España", "Česko", "Polska", "日本", "Україна", "UK", "Holland"]
    data = csv_bytes([["Site", "Country"]] + [[f"Site {n}", n] for n in names])
    plan = plan_of(upload(data))
    assert plan.errors == []
    assert [r.values["country"] for r in plan.rows] == [
        "DE",
        "ES",
        "CZ",
        "PL",
        "JP",
        "UA",
        "GB",
        "NL",
    ]


def test_a_blank_cell_leaves_the_stored_value(world, upload, client):
    response = upload(csv_bytes([["Site", "City", "Users"], ["Lyon Office", "", "160"]]))
    assert plan_of(response).rows[0].action == "unchanged"
    assertContains(response, "A blank cell leaves the stored value as it is")
    url = reverse("imports:site-import-preview", args=[world.assessment.pk])
    cleared = client.get(url, {"blanks": "clear"})
    assert plan_of(cleared).rows[0].changes == [("City", "Lyon", "blank")]
    commit(client, cleared, blanks="clear")
    world.branch.refresh_from_db()
    assert (world.branch.city, world.branch.users) == ("", 160)


def test_clearing_blanks_never_turns_a_blank_count_into_zero(world, upload, client):
    upload(csv_bytes([["Site", "City", "Users"], ["Lyon Office", "", ""]]))
    url = reverse("imports:site-import-preview", args=[world.assessment.pk])
    plan = plan_of(client.get(url, {"blanks": "clear"}))
    assert plan.rows[0].action == "invalid"
    assert [(p.line, p.column) for p in plan.rows[0].problems] == [(2, "Users")]
    assert "write 0" in plan.rows[0].problems[0].message
    world.branch.refresh_from_db()
    assert (world.branch.city, world.branch.users) == ("Lyon", 160)


def test_a_cqd_file_with_the_vpn_row_imports_its_buildings(world, upload):
    lines = [
        "10.10.0.0,DEU/Munich,24,Munich Office,Contoso,Office,Sales,Munich,80331,DE,BY,EMEA,1,0,0",
        "10.99.0.0,VPN,16,VPN,Contoso,VPN,,,,,,,1,0,1",
        "10.20.0.0,FRA/Paris,24,Paris-1,Contoso,Office,Sales,Paris,75001,FR,,EMEA,1,0,0",
    ]
    response = upload(("\r\n".join(lines) + "\r\n").encode(), "building.csv")
    plan = plan_of(response)
    assert plan.errors == []
    assert [(r.name, r.action) for r in plan.rows] == [
        ("Munich Office", "create"),
        ("Paris-1", "create"),
    ]
    assertContains(response, "1 VPN row (VPN = 1, or named “VPN”)")


def _partly_bad(upload):
    return upload(
        csv_bytes(
            [
                ["Site", "Country", "Users", "Notes"],
                ["Pune", "IN", "310", ""],
                ["Bad", "DE", "-1", '=HYPERLINK("http://x")'],
                ["Oslo", "NO", "12", ""],
            ]
        )
    )


def test_the_good_rows_can_be_imported_and_the_rejected_ones_skipped(world, upload, client):
    response = _partly_bad(upload)
    assertContains(response, "Import the 2 good rows, skip the 1 rejected")
    done = commit(client, response, skip_rejected="1")
    assert "Imported “sites.csv”: 2 added, 1 rejected row skipped." in messages_of(done)
    assert set(
        Site.objects.filter(name__in=["Pune", "Bad", "Oslo"]).values_list("name", flat=True)
    ) == {
        "Pune",
        "Oslo",
    }
    assert not PendingSiteImport.objects.exists()


def test_the_rejected_rows_download_as_csv_with_their_reasons(world, upload, client):
    _partly_bad(upload)
    url = reverse("imports:site-import-rejected", args=[world.assessment.pk])
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="sites-rejected-rows.csv"'
    text = response.content.decode("utf-8-sig")
    assert text.splitlines() == [
        "Site,Country,Users,Notes,Problem,Line in the uploaded file",
        'Bad,DE,\'-1,"\'=HYPERLINK(""http://x"")",Users: -1 is below 0,3',
    ]


def test_a_sheet_declaring_too_many_cells_is_refused_at_once(world, upload, monkeypatch):
    from imports.services import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_SHEET_CELLS", 100)
    data = _workbook([["Site", "Country"] + [f"x{i}" for i in range(20)]] * 6)
    message = file_error(upload(data, "wide.xlsx"))
    assert message.startswith("The sheet holds more than 100 cells: a site list needs far fewer.")


def test_reading_stops_at_the_time_budget(world, upload, monkeypatch):
    from imports.services import spreadsheets

    monkeypatch.setattr(spreadsheets, "READ_SECONDS", -1)
    rows = [["Site", "Country"]] + [[f"S{i}", "DE"] for i in range(300)]
    message = file_error(upload(csv_bytes(rows)))
    assert "Reading the file took longer than" in message
    assert not PendingSiteImport.objects.exists()
