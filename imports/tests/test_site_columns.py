"""Site list columns come from the question catalogue, with the headings users already have."""

import csv
import io

from django.urls import reverse

from openpyxl import load_workbook

from assessments import questions
from assessments.models import Circuit, Site
from imports.services import site_lists as imports
from tests.factories import CircuitFactory

# The template's headings as users have downloaded them since the import shipped, written
# out once, literally: files people keep and fill in must still import, so a change here
# is a change for every user and must be made on purpose.
TEMPLATE_HEADINGS = [
    "Site name",
    "Country",
    "City",
    "Address",
    "Users",
    "Primary down (Mbps)",
    "Primary up (Mbps)",
    "Primary type",
    "Primary provider",
    "Secondary down (Mbps)",
    "Secondary up (Mbps)",
    "Secondary type",
    "Secondary provider",
    "Backup down (Mbps)",
    "Backup up (Mbps)",
    "Backup type",
    "Backup provider",
    "Peak concurrent calls (%)",
    # Added with the personas: files without them still import (columns match by heading).
    "Audio-only users",
    "Office workers with video",
    "Heavy video users",
    "Teams Rooms",
    "Common area phones",
    "Analog devices",
    "Fax lines",
    "Door / elevator / emergency phones",
    "Overhead paging",
    "Internet breakout",
    "Backhaul hub",
    "SD-WAN with failover",
    "LTE/5G backup",
    "Web proxy",
    "VPN",
    "QoS (DSCP)",
    "Wi-Fi",
    "UDP 3478-3481 open",
    "Client RTT (ms)",
    "Client jitter (ms)",
    "Client loss (%)",
    "Client reorder (%)",
    "Edge RTT (ms)",
    "Edge jitter (ms)",
    "Edge loss (%)",
    "Edge reorder (%)",
    "Measured on",
    "Measured from",
    "Measurement tool",
    "Operator Connect available",
    "Telecom regulation",
    "Needs survivability",
    "Emergency addresses",
    "Notes",
]


def _template(client, world, fmt):
    url = reverse(f"imports:site-import-template-{fmt}", args=[world.assessment.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def test_the_templates_keep_the_headings_users_already_have(world, login):
    client = login(world.owner)
    csv_header = next(csv.reader(io.StringIO(_template(client, world, "csv").decode("utf-8-sig"))))
    assert csv_header == TEMPLATE_HEADINGS
    book = load_workbook(io.BytesIO(_template(client, world, "xlsx")))
    assert [c.value for c in book["Sites"][1]] == TEMPLATE_HEADINGS
    help_rows = list(book["Help"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in help_rows] == TEMPLATE_HEADINGS


def test_a_second_circuit_of_a_role_gets_its_columns_after_the_first(world, login):
    CircuitFactory(site=world.hq, role="backup", kind="satellite", down_mbps=20, up_mbps=5)
    url = reverse("imports:site-export-csv", args=[world.assessment.pk])
    content = login(world.owner).get(url).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(content)))
    backup = header.index("Backup provider") + 1
    assert header[backup : backup + 4] == [
        "Backup 2 down (Mbps)",
        "Backup 2 up (Mbps)",
        "Backup 2 type",
        "Backup 2 provider",
    ]
    assert header[backup + 4] == "Peak concurrent calls (%)"
    assert [h for h in header if not h.startswith("Backup 2")] == TEMPLATE_HEADINGS


def test_the_site_columns_are_the_catalogue_questions_in_page_order():
    carried = questions.file_columns(Site)
    assert [c.key for c in imports.SITE_COLUMNS] == [q.name for q in carried]
    assert [c.header for c in imports.SITE_COLUMNS] == [q.column for q in carried]
    # Every site answer is in the files, so an export imports back to the same sites.
    assert [q.name for q in carried] == questions.names(Site)


def test_every_catalogue_heading_and_alias_is_read_as_its_own_column():
    for q in questions.file_columns(Site):
        for heading in (q.column, *q.aliases):
            column = imports.match_header(heading)
            assert column is not None and column.key == q.name, (q.name, heading)
    for q in questions.file_columns(Circuit):
        for role in imports.CIRCUIT_ROLES:
            for heading in (f"{role} {q.column}", *(f"{role} {a}" for a in q.aliases)):
                column = imports.match_header(heading)
                assert column is not None and column.key == f"{role}_{q.name}", heading


def test_an_alias_names_something_the_heading_field_and_label_do_not():
    # The field's name and its model label are always accepted: an alias repeating them
    # is noise in the catalogue.
    for q in questions.file_columns(Site):
        spelled = {q.name.replace("_", " "), str(q.field.verbose_name).lower()}
        assert not spelled & set(q.aliases), q.name
        assert len(set(q.aliases)) == len(q.aliases), q.name


def test_a_parsed_files_column_keys_read_as_the_template_headings():
    # The preview lists the columns it recognised by their template heading; a circuit's key
    # ("backup_2_down_mbps") is no site column and is found through the heading lookup.
    assert imports.heading_for("users") == "Users"
    assert imports.heading_for("primary_kind") == "Primary type"
    assert imports.heading_for("backup_2_down_mbps") == "Backup 2 down (Mbps)"
    assert imports.heading_for("no_such_column") == "no_such_column"
