"""Pasting a spreadsheet block into the sites grid, and undoing the user's last grid change."""

import json
from collections import Counter

from django.db.models import Q
from django.urls import reverse

from assessments.models import Change, Site
from assessments.services.grid_paste import MAX_ROWS
from assessments.tests.views.test_site_grid import row_data
from tests.estate import add_estate

HEADER = "Users\tTeams Rooms\tPrimary down\tPrimary up\tBreakout\tLTE"


def paste_url(world, assessment=None):
    return reverse("assessments:site-grid-paste", args=[(assessment or world.assessment).pk])


def undo_url(world):
    return reverse("assessments:site-grid-undo", args=[world.assessment.pk])


def rows_of(*sites):
    return ",".join(f"{s.pk}:{s.version}" for s in sites)


def paste(client, world, text, column="users", rows=None):
    rows = rows_of(world.hq, world.branch) if rows is None else rows
    return client.post(paste_url(world), {"text": text, "column": column, "rows": rows})


def body(response):
    return json.loads(response.content)


def primary(site):
    circuit = site.circuits.get(role="primary")
    return circuit.down_mbps, circuit.up_mbps


def test_a_block_from_excel_updates_the_rows_from_the_focused_cell(world, login):
    # What Excel puts on the clipboard: tabs, CRLF rows, a final CRLF, decimal commas.
    text = "320\t2\t500\t100\tyes\tNo\r\n45\t0\t\t\tbackhauled\tyes\r\n"
    response = paste(login(world.owner), world, text)
    assert response.status_code == 200, response.content
    assert body(response)["message"] == "Pasted 2 rows × 6 columns: 2 updated."
    hq, branch = Site.objects.get(pk=world.hq.pk), Site.objects.get(pk=world.branch.pk)
    assert (hq.users, hq.teams_rooms, hq.internet_breakout, hq.lte_backup) == (
        320,
        2,
        "local",
        "no",
    )
    assert primary(hq) == (500, 100)
    assert hq.circuits.filter(role="backup").exists()  # the other lines are kept
    assert (branch.users, branch.internet_breakout, branch.lte_backup) == (45, "backhaul", "yes")
    assert not branch.circuits.filter(role="primary").exists()  # blank down and up: removed
    # One line in the activity log says what the paste did.
    line = Change.objects.get(assessment=world.assessment, object_type="gridpaste")
    assert (line.verb, line.object_label) == ("Pasted", "2 rows × 6 columns")


def test_quoted_cells_with_line_breaks_and_decimal_commas_read_as_the_import_reads_them(
    world, login
):
    text = 'Stuttgart HQ\tDE\t"Stuttgart\r\nVaihingen"\t"8""50"\r\n'
    response = paste(login(world.owner), world, text, column="name")
    # One row: the quoted line break stays inside its cell; "8""50" is not a number.
    assert response.status_code == 400
    assert [(p["line"], p["column"]) for p in body(response)["problems"]] == [(1, "users")]
    text = 'Stuttgart HQ\tDE\t"Stuttgart\r\nVaihingen"\t"1 200"\r\n'
    assert paste(login(world.owner), world, text, column="name").status_code == 200
    hq = Site.objects.get(pk=world.hq.pk)
    assert (hq.city, hq.users) == ("Stuttgart\r\nVaihingen", 1200)
    comma = paste(login(world.owner), world, "12,5\t3,25\t0,5\r\n", column="client_rtt_ms")
    assert comma.status_code == 200, comma.content
    hq.refresh_from_db()
    assert (hq.client_rtt_ms, hq.client_jitter_ms, hq.client_loss_pct) == (12.5, 3.25, 0.5)


def test_lines_past_the_last_site_are_added_at_the_end(world, login):
    text = "Pune\tIndia\tPune\t310\r\nOslo\tNorway\tOslo\t45\r\nPorto\tPortugal\t\t12\r\n"
    response = paste(login(world.owner), world, text, column="name", rows=rows_of(world.branch))
    assert response.status_code == 200, response.content
    assert body(response)["added"] == 2
    names = list(world.assessment.sites.order_by("position", "id").values_list("name", flat=True))
    assert names == ["Stuttgart HQ", "Pune", "Oslo", "Porto"]  # Lyon's row became Pune
    assert Site.objects.get(assessment=world.assessment, name="Oslo").country.code == "NO"


def test_bad_cells_are_named_by_line_and_column_and_nothing_is_saved(world, login):
    before = list(Change.objects.values_list("pk", flat=True))
    text = "320\t2\r\nmany\t1\r\n12\t-3\r\n"
    response = paste(login(world.owner), world, text, rows=rows_of(world.hq))
    assert response.status_code == 400
    problems = body(response)["problems"]
    assert [(p["line"], p["column"]) for p in problems] == [(2, "users"), (3, "teams_rooms")]
    assert "“many” is not a number" in problems[0]["message"]
    assert body(response)["message"].startswith("Nothing was pasted: line 2, Users")
    assert Site.objects.get(pk=world.hq.pk).users == 850  # line 1 was valid: not saved either
    assert world.assessment.sites.count() == 2
    assert list(Change.objects.values_list("pk", flat=True)) == before


def test_a_row_the_model_refuses_rolls_back_the_whole_block(world, login):
    # Line 2 names a new site like an existing one: refused by the same rule as the form.
    text = "Berlin\tDE\r\nstuttgart hq\tDE\r\n"
    response = paste(login(world.owner), world, text, column="name", rows=rows_of(world.branch))
    assert response.status_code == 400
    [problem] = body(response)["problems"]
    assert (problem["line"], problem["column"]) == (2, "name")
    assert Site.objects.get(pk=world.branch.pk).name == "Lyon Office"


def test_too_large_a_block_is_refused_with_what_to_do(world, login):
    text = "1\r\n" * (MAX_ROWS + 1)
    response = paste(login(world.owner), world, text)
    assert response.status_code == 400
    assert "more than 500 rows" in body(response)["message"]
    assert "Import sites" in body(response)["message"]
    wide = paste(login(world.owner), world, "1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12")
    assert wide.status_code == 400
    assert "12 columns wide" in body(wide)["message"]


def test_an_edit_made_meanwhile_to_a_pasted_field_is_a_conflict_not_an_overwrite(world, login):
    seen = world.hq.version
    world.hq.users = 900
    world.hq.version += 1
    world.hq.save()
    Change.objects.create(
        organisation=world.org,
        assessment=world.assessment,
        object_type="site",
        object_id=world.hq.pk,
        object_label="Stuttgart HQ",
        version=world.hq.version,
        fields={"users": [850, 900]},
        actor_label="Bob Berg",
    )
    response = paste(login(world.owner), world, "320\r\n", rows=f"{world.hq.pk}:{seen}")
    assert response.status_code == 400
    assert "Bob Berg" in body(response)["problems"][0]["message"]
    assert Site.objects.get(pk=world.hq.pk).users == 900


def test_other_organisations_sites_and_assessments_are_out_of_reach(world, login):
    client = login(world.owner)
    response = paste(client, world, "1\r\n", rows=rows_of(world.other_site))
    assert response.status_code == 409
    assert world.other_site.users == Site.objects.get(pk=world.other_site.pk).users
    outsider = login(world.outsider)
    other = outsider.post(paste_url(world), {"text": "1", "column": "users", "rows": ""})
    assert other.status_code == 404
    assert outsider.post(undo_url(world)).status_code == 404


def test_a_paste_needs_a_login_and_a_post(world, client):
    response = client.post(paste_url(world), {"text": "1", "column": "users"})
    assert response.status_code == 302
    assert world.assessment.sites.count() == 2


def test_undo_takes_back_a_whole_paste_with_the_sites_it_added(world, login):
    client = login(world.owner)
    text = "Berlin\tGermany\t\t10\r\nOslo\tNorway\tOslo\t45\r\n"
    paste(client, world, text, column="name", rows=rows_of(world.branch))
    assert client.get(undo_url(world)).json()["undo"] == "Undo paste of 2 rows × 4 columns"
    response = client.post(undo_url(world))
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Undone: paste of 2 rows × 4 columns."
    branch = Site.objects.get(pk=world.branch.pk)
    assert (branch.name, branch.country.code, branch.users) == ("Lyon Office", "FR", 160)
    assert world.assessment.sites.count() == 2
    assert Change.objects.filter(object_type="gridundo").count() == 1


def test_undo_of_a_cell_edit_then_nothing_left(world, login):
    client = login(world.owner)
    save = reverse("assessments:site-row-save", args=[world.assessment.pk, world.hq.pk])
    client.post(save, row_data(world.hq, users=999), HTTP_HX_REQUEST="true")
    assert Site.objects.get(pk=world.hq.pk).users == 999
    assert client.get(undo_url(world)).json()["undo"] == "Undo change to “Stuttgart HQ” (Users)"
    assert client.post(undo_url(world)).status_code == 200
    assert Site.objects.get(pk=world.hq.pk).users == 850
    # An undo is not itself undone by the next Ctrl+Z: nothing of this user's is left.
    assert client.get(undo_url(world)).json()["undo"] == ""
    assert client.post(undo_url(world)).status_code == 409


def test_undo_is_refused_when_someone_changed_the_site_since(world, login):
    client = login(world.owner)
    paste(client, world, "320\r\n", rows=rows_of(world.hq))
    teammate = login(world.teammate)
    teammate.post(
        reverse("assessments:site-grid-paste", args=[world.assessment.pk]),
        {
            "text": "Stuttgart Campus",
            "column": "city",
            "rows": rows_of(Site.objects.get(pk=world.hq.pk)),
        },
    )
    client = login(world.owner)
    response = client.post(undo_url(world))
    assert response.status_code == 409
    assert response.json()["message"] == (
        "“Stuttgart HQ” was changed by Bob Berg since: nothing was undone."
    )
    assert Site.objects.get(pk=world.hq.pk).users == 320


def test_undo_takes_back_only_the_users_own_change(world, login):
    paste(login(world.teammate), world, "320\r\n", rows=rows_of(world.hq))
    response = login(world.owner).post(undo_url(world))
    assert response.status_code == 409
    assert Site.objects.get(pk=world.hq.pk).users == 320


def test_undo_takes_back_a_bulk_set_on_every_site(world, login):
    client = login(world.owner)
    client.post(
        reverse("assessments:site-bulk-set", args=[world.assessment.pk]),
        {"field": "qos", "value": "none", "sites": [world.hq.pk, world.branch.pk]},
    )
    assert set(world.assessment.sites.values_list("qos", flat=True)) == {"none"}
    assert client.post(undo_url(world)).status_code == 200
    assert set(world.assessment.sites.values_list("qos", flat=True)) == {world.hq.qos}


def test_undo_puts_a_removed_row_back_with_its_circuits(world, login):
    client = login(world.owner)
    delete = reverse("assessments:site-delete", args=[world.assessment.pk, world.hq.pk])
    client.post(delete, {"version": world.hq.version}, HTTP_HX_REQUEST="true")
    assert not Site.objects.filter(name="Stuttgart HQ").exists()
    assert client.get(undo_url(world)).json()["undo"] == "Undo removing “Stuttgart HQ”"
    log = client.get(reverse("assessments:activity", args=[world.assessment.pk]))
    assert "Removed site" in log.content.decode()
    assert "<del>" not in log.content.decode()  # the kept values are not shown as changes
    assert client.post(undo_url(world)).status_code == 200
    back = Site.objects.get(assessment=world.assessment, name="Stuttgart HQ")
    assert (back.country.code, back.city, back.users) == ("DE", "Stuttgart", 850)
    lines = sorted((c.role, c.kind, c.down_mbps) for c in back.circuits.all())
    assert lines == [("backup", "cellular", 50), ("primary", world.hq_primary.kind, 1000)]


def test_the_activity_log_reads_a_paste_as_one_line(world, login):
    client = login(world.owner)
    paste(client, world, "320\t2\r\n45\t0\r\n")
    page = client.get(reverse("assessments:activity", args=[world.assessment.pk])).content.decode()
    assert "Pasted “2 rows × 2 columns”" in page


def test_a_block_taller_than_its_page_goes_on_over_the_sites_of_the_following_pages(world, login):
    # 45 sites, 40 a page: the page shows the last 6 rows of page 1 below the focused cell.
    add_estate(world.assessment, 43)
    ordered = list(world.assessment.sites.order_by("position", "id"))
    page_one = ordered[:40]
    text = "".join(f"{100 + i}\r\n" for i in range(10))
    response = client_paste(login(world.owner), world, text, page_one[34:], window="")
    assert response.status_code == 200, response.content
    assert body(response)["message"] == (
        "Pasted 10 rows × 1 column: 10 updated (4 on the following pages)."
    )
    assert body(response)["added"] == 0
    users = {s.pk: s.users for s in world.assessment.sites.all()}
    # Lines 7 to 10 went on the first four sites of page 2, in the grid's order.
    assert [users[s.pk] for s in ordered[34:44]] == list(range(100, 110))
    assert users[ordered[44].pk] == ordered[44].users
    assert world.assessment.sites.count() == 45


def test_past_the_last_page_the_lines_left_are_added_and_a_search_is_followed(world, login):
    add_estate(world.assessment, 43)
    # A search narrows the window: the lines go on over the matching sites only.
    word = Counter(s.city for s in world.assessment.sites.all()).most_common(1)[0][0]
    found = world.assessment.sites.filter(Q(name__icontains=word) | Q(city__icontains=word))
    matching = list(found.order_by("position", "id"))
    assert len(matching) >= 3
    text = "".join(f"Renamed {i}\tGB\r\n" for i in range(len(matching) + 1))
    response = client_paste(
        login(world.owner), world, text, matching[:1], column="name", window=f"q={word}"
    )
    assert response.status_code == 200, response.content
    assert body(response)["added"] == 1
    renamed = world.assessment.sites.filter(name__startswith="Renamed").order_by("position", "id")
    assert [s.pk for s in renamed][: len(matching)] == [s.pk for s in matching]
    assert world.assessment.sites.count() == 46


def client_paste(client, world, text, sites, column="users", window=""):
    data = {"text": text, "column": column, "rows": rows_of(*sites), "window": window}
    return client.post(paste_url(world), data)
