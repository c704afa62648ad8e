"""Uploading a site list: detection, lenient headings, every kind of bad row, and the preview."""

from pytest_django.asserts import assertContains

from assessments.models import Circuit, Site
from imports.models import PendingSiteImport
from imports.tests.conftest import (
    csv_bytes,
    file_error,
    plan_of,
    problems_of,
    xlsx_bytes,
)

HEADER = ["Site name", "Country", "City", "Users", "Primary down (Mbps)", "Primary up (Mbps)"]


def test_a_good_csv_shows_a_preview_of_new_and_updated_sites(world, upload):
    data = csv_bytes(
        [
            HEADER,
            ["Pune", "India", "Pune", "310", "100", "50"],
            ["stuttgart hq", "DE", "Stuttgart", "900", "1000", "1000"],
        ]
    )
    response = upload(data)
    plan = plan_of(response)
    assert [(r.name, r.action) for r in plan.rows] == [
        ("Pune", "create"),
        ("stuttgart hq", "update"),
    ]
    assert plan.errors == []
    assertContains(response, "Users: <del>850</del> → <ins>900</ins>", html=False)
    assertContains(response, "Import 1 new and 1 updated sites")
    assertContains(response, "India · Pune · 310 users · 1 circuit")


def test_the_preview_saves_nothing(world, upload):
    before = list(Site.objects.order_by("pk").values_list("name", "users", "version"))
    circuits = Circuit.objects.count()
    upload(
        csv_bytes(
            [HEADER, ["Pune", "IN", "", "310", "", ""], ["Lyon Office", "FR", "", "5", "", ""]]
        )
    )
    assert list(Site.objects.order_by("pk").values_list("name", "users", "version")) == before
    assert Circuit.objects.count() == circuits
    assert PendingSiteImport.objects.count() == 1


def test_a_good_xlsx_is_read_with_numbers_and_dates(world, upload):
    from datetime import datetime

    data = xlsx_bytes(
        [
            ["Site", "Country", "Headcount", "Download Mbps", "Upload Mbps", "Measured on"],
            ["Chicago", "United States", 75, 200.0, 40, datetime(2026, 3, 2)],
        ]
    )
    plan = plan_of(upload(data, "sites.xlsx"))
    row = plan.rows[0]
    assert row.action == "create"
    assert row.values == {
        "name": "Chicago",
        "country": "US",
        "users": 75,
        "measured_on": "2026-03-02",
    }
    assert row.circuits == [
        {"role": "primary", "kind": "dia", "down_mbps": 200, "up_mbps": 40, "provider": ""}
    ]


def test_headings_are_matched_leniently(world, upload):
    data = csv_bytes(
        [
            ["LOCATION", "country_code", "Town", "# of users", "download", "UPLOAD", "ISP"],
            ["Oslo", "NO", "Oslo", "12", "50", "10", "Telenor"],
        ]
    )
    response = upload(data)
    plan = plan_of(response)
    assert plan.rows[0].values["users"] == 12
    assert plan.rows[0].values["city"] == "Oslo"
    assert plan.rows[0].circuits == [
        {"role": "primary", "kind": "dia", "down_mbps": 50, "up_mbps": 10, "provider": "Telenor"}
    ]
    for heading in ("“LOCATION”", "“# of users”", "“download”", "“ISP”"):
        assertContains(response, heading)


def test_two_columns_for_the_same_field_are_refused(world, upload):
    response = upload(csv_bytes([["Site", "Users", "Headcount"], ["Oslo", "1", "2"]]))
    assert "both mean “Users”" in file_error(response)


def test_semicolon_and_tab_separated_files_are_read(world, upload):
    for delimiter in (";", "\t"):
        data = csv_bytes(
            [["Name", "Country", "Users"], ["Köln", "DE", "1000"]], delimiter=delimiter
        )
        plan = plan_of(upload(data))
        assert plan.rows[0].values == {"name": "Köln", "country": "DE", "users": 1000}


def test_numbers_are_read_the_ways_people_type_them(world, upload):
    data = csv_bytes(
        [
            ["Name", "Country", "Users", "Client loss (%)", "Client RTT", "Down", "Up"],
            ["A", "US", "1,200", "0.5", "42 ms", "1 000", "100 Mbps"],
        ]
    )
    values = plan_of(upload(data)).rows[0]
    assert values.values["users"] == 1200
    assert values.values["client_loss_pct"] == 0.5
    assert values.values["client_rtt_ms"] == 42
    assert values.circuits[0]["down_mbps"] == 1000


def test_choices_accept_codes_labels_and_synonyms(world, upload):
    data = csv_bytes(
        [
            [
                "Name",
                "Country",
                "LTE backup",
                "Wi-Fi",
                "QoS",
                "Breakout",
                "VPN",
                "Primary type",
                "Down",
                "Up",
            ],
            [
                "A",
                "DE",
                "Y",
                "5 GHz",
                "end_to_end",
                "Local internet breakout",
                "split tunnel",
                "LTE",
                "50",
                "10",
            ],
            ["B", "DE", "", "Wired", "partly", "central", "Don't know", "fibre", "1000", "500"],
        ]
    )
    rows = plan_of(upload(data)).rows
    assert rows[0].values["lte_backup"] == "yes"
    assert rows[0].values["wifi"] == "enterprise_5ghz"
    assert rows[0].values["qos"] == "end_to_end"
    assert rows[0].values["internet_breakout"] == "local"
    assert rows[0].values["vpn"] == "bypassed"
    assert rows[0].circuits[0]["kind"] == "cellular"
    assert rows[1].values["lte_backup"] is None  # blank: "don't know", the default
    assert rows[1].values["wifi"] == "wired_only"
    assert rows[1].values["qos"] == "partial"
    assert rows[1].values["internet_breakout"] == "backhaul"
    assert rows[1].values["vpn"] == "unknown"
    assert rows[1].circuits[0]["kind"] == "dia"


def test_a_circuit_type_without_speeds_is_a_problem_on_that_cell(world, upload):
    data = csv_bytes(
        [["Name", "Country", "Primary type", "Backup provider"], ["A", "DE", "LTE", "Vodafone"]]
    )
    assert problems_of(upload(data)) == [
        "line 2, column Backup provider: give the backup circuit's down and up Mbps, or leave "
        "its provider empty",
        "line 2, column Primary type: give the primary circuit's down and up Mbps, or leave its "
        "type empty",
    ]


def test_each_kind_of_bad_row_is_listed_by_line_and_column(world, upload):
    data = csv_bytes(
        [
            [
                "Site",
                "Country",
                "Users",
                "Wi-Fi",
                "Measured on",
                "Down",
                "Up",
                "Peak concurrent calls (%)",
                "City",
            ],
            ["Good", "DE", "10", "", "", "", "", "", ""],
            ["Negative", "DE", "-5", "", "", "", "", "", ""],
            ["Words", "DE", "many", "", "", "", "", "", ""],
            ["Fraction", "DE", "2.5", "", "", "", "", "", ""],
            ["Choice", "DE", "1", "sometimes", "", "", "", "", ""],
            ["Date", "DE", "1", "", "03/04/2026", "", "", "", ""],
            ["Country", "Atlantis", "1", "", "", "", "", "", ""],
            ["Half circuit", "DE", "1", "", "", "100", "", "", ""],
            ["Zero circuit", "DE", "1", "", "", "0", "10", "", ""],
            ["Too high", "DE", "1", "", "", "", "", "101", ""],
            ["", "DE", "1", "", "", "", "", "", ""],
            ["good", "DE", "1", "", "", "", "", "", ""],
            ["Long city", "DE", "1", "", "", "", "", "", "x" * 121],
            ["No country", "", "1", "", "", "", "", "", ""],
        ]
    )
    response = upload(data)
    problems = problems_of(response)
    assert problems == [
        "line 3, column Users: -5 is below 0",
        "line 4, column Users: “many” is not a number",
        "line 5, column Users: 2.5 is not a whole number",
        "line 6, column Wi-Fi: “sometimes” is not one of “Don't know”, “Managed, 5 GHz with "
        "WMM/QoS”, “Managed, mostly 2.4 GHz”, “Unmanaged / consumer-grade”, “No Wi-Fi: wired only”",
        "line 7, column Measured on: “03/04/2026” could be day/month or month/day: write it as "
        "YYYY-MM-DD",
        "line 8, column Country: “Atlantis” is not a country: type its name or two-letter code "
        "(e.g. DE)",
        "line 9, column Up: give both down and up Mbps for the primary circuit, or neither",
        "line 10, column Down: 0 is below 0.01",
        "line 11, column Peak concurrent calls (%): 101 is above the maximum 100",
        "line 12, column Site: empty: every site needs a name",
        "line 13, column Site: “good” is already on line 2",
        "line 14, column City: the text is 121 characters long; at most 120",
        "line 15, column Country: empty: a new site needs a country",
    ]
    assertContains(response, "13 problems in 13 rows")
    # Each row also carries its own problems, next to it in the table.
    assertContains(
        response,
        '<span class="d-block text-danger-emphasis">Users: -5 is below 0</span>',
        html=False,
    )
    assertContains(response, "Import the 1 good row, skip the 13 rejected")


def test_a_blank_country_is_fine_for_a_site_that_exists(world, upload):
    plan = plan_of(upload(csv_bytes([["Site", "Country", "Users"], ["Lyon Office", "", "170"]])))
    assert plan.errors == []
    assert plan.rows[0].action == "update"
    assert plan.rows[0].values == {"users": 170}


def test_unknown_columns_are_ignored_with_a_warning(world, upload):
    response = upload(csv_bytes([["Site", "Country", "Cost centre"], ["Oslo", "NO", "4711"]]))
    assertContains(response, "These columns are not recognised and were ignored: “Cost centre”.")


def test_rows_above_the_headings_are_skipped(world, upload):
    data = csv_bytes([["Contoso site list"], [], ["Site", "Country"], ["Oslo", "NO"]])
    response = upload(data)
    plan = plan_of(response)
    assert plan.rows[0].line == 4
    assertContains(response, "above the headings were ignored")


def test_a_file_without_a_name_column_says_what_is_expected(world, upload):
    response = upload(csv_bytes([["Country", "Users"], ["DE", "4"]]))
    assert "No column for the site name was found" in file_error(response)


def test_an_empty_file_is_refused(world, upload):
    assert file_error(upload(b"")) == "The file is empty."
    assert file_error(upload(b"\r\n \r\n")) == "The file is empty."


def test_a_header_only_file_is_refused(world, upload):
    message = file_error(upload(csv_bytes([HEADER])))
    assert message == "The file has column headings but no sites below them: add one row per site."


def test_windows_1252_is_read_and_flagged(world, upload):
    response = upload(csv_bytes([["Site", "Country"], ["Zürich", "CH"]], encoding="cp1252"))
    assert plan_of(response).rows[0].name == "Zürich"
    assertContains(response, "read as Windows-1252")


def test_utf16_from_excel_unicode_text_is_read(world, upload):
    data = "Site\tCountry\r\nMünchen\tDE\r\n".encode("utf-16")
    assert plan_of(upload(data, "sites.txt")).rows[0].name == "München"


def test_a_wrongly_chosen_encoding_is_refused_clearly(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.tests.conftest import import_url

    data = "Site;Country\r\nKöln;DE\r\n".encode("cp1252")
    response = login(world.owner).post(
        import_url(world), {"file": SimpleUploadedFile("s.csv", data), "encoding": "utf-8"}
    )
    message = " ".join(response.context["form"].errors["file"])
    assert "cannot be read as UTF-8: byte 16" in message


def test_a_file_over_5_mb_is_refused_before_reading(world, upload):
    data = b"Site,Country\r\n" + b"x" * (5 * 1024 * 1024 + 1)
    assert "the limit is 5 MB" in file_error(upload(data))
    assert not PendingSiteImport.objects.exists()


def test_more_than_5000_rows_is_refused(world, upload):
    rows = [["Site", "Country"]] + [[f"S{i}", "DE"] for i in range(5001)]
    assert "more than 5,000 sites" in file_error(upload(csv_bytes(rows)))


def test_exactly_5000_rows_is_accepted(world, upload):
    rows = [["Site", "Country"]] + [[f"S{i}", "DE"] for i in range(5000)]
    response = upload(csv_bytes(rows))
    assert plan_of(response).count("create") == 5000
    assertContains(response, "and 4,500 more rows")


def test_a_huge_cell_is_a_row_problem_not_a_crash(world, upload):
    response = upload(csv_bytes([["Site", "Country", "Notes"], ["A", "DE", "n" * 100_000]]))
    assert problems_of(response) == [
        "line 2, column Notes: the cell holds 100,000 characters; at most 5,000"
    ]


def test_a_cell_beyond_the_csv_field_limit_is_a_clear_message(world, upload):
    data = b'Site,Country\r\nA,"' + b"x" * 200_000 + b'"\r\n'
    response = upload(data)
    assert "not valid CSV" in file_error(response) or problems_of(response)


def test_not_a_spreadsheet_is_refused(world, upload):
    cases = {
        "logo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        "doc.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "random.bin": bytes(range(256)) * 10,
        "page.html": b"<!DOCTYPE html><html><body>hi</body></html>",
        "archive.zip": _zip_bytes(),
        "broken.xlsx": b"PK\x03\x04" + b"garbage" * 10,
    }
    for name, data in cases.items():
        message = file_error(upload(data, name))
        assert message, name
        assert "Upload" in message or "Excel" in message or "damaged" in message, (name, message)
    assert not PendingSiteImport.objects.exists()


def _zip_bytes() -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


def test_no_file_chosen_says_so(world, login):
    from imports.tests.conftest import import_url

    response = login(world.owner).post(import_url(world), {})
    assert "Choose a file to upload." in response.context["form"].errors["file"]


def test_the_upload_page_offers_templates_and_export(world, login):
    from imports.tests.conftest import import_url

    response = login(world.owner).get(import_url(world))
    assertContains(response, "Excel template")
    assertContains(response, "CSV template")
    assertContains(response, "Columns the import understands")
    assertContains(response, 'enctype="multipart/form-data"')


def test_a_cqd_building_file_becomes_one_site_per_building(world, upload):
    lines = [
        "192.168.1.0,USA/Seattle/SEATTLE-SEA-1,26,SEATTLE-SEA-1,Contoso,IT Termination,"
        "Engineering,Seattle,98001,US,WA,MSUS,1,0",
        "192.168.1.64,USA/Seattle/SEATTLE-SEA-1,26,SEATTLE-SEA-1,Contoso,IT Termination,"
        "Engineering,Seattle,98001,US,WA,MSUS,1,0,0",
        "10.10.0.0,DEU/Stuttgart HQ,24,Stuttgart HQ,Contoso,Office,Sales,Stuttgart,70173,DE,BW,"
        "EMEA,1,1",
        "10.20.0.0,FRA/Paris,24,Paris-1,Contoso,Office,Sales,Paris,75001,FR,,EMEA,1,0",
    ]
    response = upload(("\r\n".join(lines) + "\r\n").encode(), "building.csv")
    plan = plan_of(response)
    assert [(r.name, r.action) for r in plan.rows] == [
        ("SEATTLE-SEA-1", "create"),
        ("Stuttgart HQ", "unchanged"),
        ("Paris-1", "create"),
    ]
    assert plan.rows[0].values == {"name": "SEATTLE-SEA-1", "city": "Seattle", "country": "US"}
    assert plan.rows[0].subnets == 2
    assertContains(
        response, "Call Quality Dashboard building data file: 4 subnet rows, 3 buildings"
    )


def test_a_tab_separated_cqd_file_is_recognised(world, upload):
    line = "\t".join(
        [
            "10.1.0.0",
            "NL/AMS",
            "24",
            "Amsterdam",
            "C",
            "Office",
            "Sales",
            "Amsterdam",
            "1011",
            "NL",
            "",
            "EMEA",
            "1",
            "0",
        ]
    )
    plan = plan_of(upload((line + "\n").encode(), "building.txt"))
    assert plan.rows[0].values == {"name": "Amsterdam", "city": "Amsterdam", "country": "NL"}


def test_cqd_rows_with_the_wrong_shape_or_conflicting_country_are_listed(world, upload):
    lines = [
        "10.1.0.0,NL/AMS,24,Amsterdam,C,Office,Sales,Amsterdam,1011,NL,,EMEA,1,0",
        "10.1.1.0,NL/AMS,24,Amsterdam,C,Office,Sales,Amsterdam,1011,BE,,EMEA,1,0",
        "10.1.2.0,NL/AMS,24",
        "10.1.3.0,X,24,,C,Office,Sales,Nowhere,1,NL,,EMEA,1,0",
    ]
    response = upload(("\n".join(lines)).encode(), "building.csv")
    assert problems_of(response) == [
        "line 2, column Country: building “Amsterdam” is in NL on line 1 but BE here",
        "line 3: a building data row has 14 or 15 fields (NetworkIP … ExpressRoute[, VPN]); "
        "this one has 3",
        "line 4, column BuildingName: empty: a site needs a name",
    ]


def test_a_new_upload_replaces_the_previous_preview(world, upload):
    upload(csv_bytes([["Site", "Country"], ["A", "DE"]]))
    upload(csv_bytes([["Site", "Country"], ["B", "DE"]]))
    assert PendingSiteImport.objects.count() == 1
    assert PendingSiteImport.objects.get().payload["rows"][0]["values"]["name"] == "B"


def test_thousands_of_bad_rows_are_counted_but_only_the_first_are_kept(world, upload):
    rows = [["Site", "Country", "Users", "Teams Rooms"]] + [
        [f"S{i}", "DE", "-1", "-1"] for i in range(3000)
    ]
    response = upload(csv_bytes(rows))
    plan = plan_of(response)
    assert plan.problem_count == 6000
    assert len(plan.errors) == 2000
    assertContains(response, "6,000 problems in 3,000 rows")
    assertContains(response, "… and 5,000 more.")
    assert plan.count("invalid") == 3000


def test_a_sheet_of_endless_empty_rows_is_refused(world, upload):
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sites")
    sheet.append(["Site", "Country"])
    for _ in range(100_001):
        sheet.append([" "])
    out = io.BytesIO()
    book.save(out)
    assert "more than 100,000 rows" in file_error(upload(out.getvalue(), "big.xlsx"))
