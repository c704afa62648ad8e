"""The live sites grid: each row saves on its own; scores and the summary follow."""

from django.urls import reverse

from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from assessments.forms import GridRowForm
from assessments.models import Change, Site
from tests.factories import SiteFactory, form_data, messages_of
from tests.html_forms import find_form

HTMX = {"HTTP_HX_REQUEST": "true"}


def grid_url(world):
    return reverse("assessments:site-grid", args=[world.assessment.pk])


def row_url(world, name, site):
    return reverse(f"assessments:{name}", args=[world.assessment.pk, site.pk])


def row_data(site, **overrides):
    """The cells of a row as the page shows them, with ``overrides`` typed in."""
    return form_data(GridRowForm(instance=site, row=f"row-{site.pk}"), **overrides)


def new_row(world, **cells):
    blank = form_data(GridRowForm(instance=Site(assessment=world.assessment), row="row-new"))
    return {**blank, **{k: str(v) for k, v in cells.items()}}


def site_names(world):
    return list(world.assessment.sites.order_by("position", "id").values_list("name", flat=True))


def test_the_grid_shows_each_site_with_its_primary_circuit_and_a_summary(world, login):
    response = login(world.owner).get(grid_url(world))
    assert response.status_code == 200
    assertContains(response, 'value="Stuttgart HQ"')
    assertContains(response, 'value="Lyon Office"')
    assertContains(response, 'name="primary_down_mbps"')
    assertContains(response, 'value="1000"')
    assertContains(response, "Recommendation")
    assertNotContains(response, "No sites yet")


def test_an_empty_grid_says_what_to_type(world, login):
    world.assessment.sites.all().delete()
    response = login(world.owner).get(grid_url(world))
    assertContains(response, "No sites yet")


def test_adding_a_row_creates_the_site_with_its_primary_circuit(world, login):
    url = reverse("assessments:site-row-create", args=[world.assessment.pk])
    data = new_row(
        world, name="Pune", country="India", users=310, primary_down_mbps=100, primary_up_mbps=50
    )
    response = login(world.owner).post(url, data, follow=True)
    pune = Site.objects.get(assessment=world.assessment, name="Pune")
    # Without JavaScript the grid opens at the page the new site is on, scrolled to it.
    assertRedirects(
        response, grid_url(world) + f"?site={pune.pk}#row-{pune.pk}", fetch_redirect_response=False
    )
    assert "Site “Pune” added." in messages_of(response)
    assert site_names(world) == ["Stuttgart HQ", "Lyon Office", "Pune"]
    assert (pune.country.code, pune.users) == ("IN", 310)
    [circuit] = pune.circuits.all()
    assert (circuit.role, circuit.down_mbps, circuit.up_mbps) == ("primary", 100, 50)
    assert Change.objects.filter(action="create", object_id=pune.pk).exists()


def test_adding_a_row_with_htmx_returns_the_new_row(world, login):
    url = reverse("assessments:site-row-create", args=[world.assessment.pk])
    response = login(world.owner).post(url, new_row(world, name="Pune", country="IN"), **HTMX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "site-created"
    assertContains(response, 'value="Pune"')


def test_a_bad_new_row_is_explained_and_not_added(world, login):
    url = reverse("assessments:site-row-create", args=[world.assessment.pk])
    response = login(world.owner).post(
        url, new_row(world, name="Atlantis", country="Narnia"), follow=True
    )
    [message] = messages_of(response)
    assert message.startswith("The site was not added:")
    assert "“Narnia” is not a country" in message
    assert not Site.objects.filter(name="Atlantis").exists()


def test_a_new_row_may_not_take_an_existing_sites_name(world, login):
    url = reverse("assessments:site-row-create", args=[world.assessment.pk])
    response = login(world.owner).post(
        url, new_row(world, name="lyon office", country="FR"), follow=True
    )
    assert "Another site has this name." in messages_of(response)[0]
    assert site_names(world) == ["Stuttgart HQ", "Lyon Office"]


def test_a_primary_down_without_up_is_refused(world, login):
    url = reverse("assessments:site-row-create", args=[world.assessment.pk])
    response = login(world.owner).post(
        url, new_row(world, name="Pune", country="IN", primary_down_mbps=100), **HTMX
    )
    assertContains(response, "Enter both down and up, or neither.")
    assert not Site.objects.filter(name="Pune").exists()


def test_saving_a_row_keeps_its_other_circuits_and_logs_the_change(world, login):
    data = row_data(world.hq, users=900, primary_down_mbps=500, primary_up_mbps=500)
    response = login(world.owner).post(row_url(world, "site-row-save", world.hq), data, follow=True)
    assertRedirects(
        response,
        grid_url(world) + f"?site={world.hq.pk}#row-{world.hq.pk}",
        fetch_redirect_response=False,
    )
    world.hq.refresh_from_db()
    assert (world.hq.users, world.hq.version) == (900, 2)
    circuits = {c.role: (c.down_mbps, c.up_mbps) for c in world.hq.circuits.all()}
    assert circuits == {"primary": (500, 500), "backup": (50, 10)}
    change = Change.objects.get(action="update", object_id=world.hq.pk)
    assert change.fields["users"] == [850, 900]
    world.branch.refresh_from_db()
    assert world.branch.version == 1


def test_saving_a_row_with_htmx_answers_the_new_version_and_status(world, login):
    response = login(world.owner).post(
        row_url(world, "site-row-save", world.hq), row_data(world.hq, users=900), **HTMX
    )
    assert response.status_code == 200
    assertContains(response, 'data-status="saved"')
    assertContains(response, 'name="version" value="2"')


def test_clearing_the_primary_cells_removes_the_primary_circuit(world, login):
    data = row_data(world.branch, primary_down_mbps="", primary_up_mbps="")
    login(world.owner).post(row_url(world, "site-row-save", world.branch), data, **HTMX)
    assert not world.branch.circuits.exists()


def test_an_invalid_row_is_marked_and_nothing_saved(world, login):
    data = row_data(world.hq, users=-5, client_loss_pct=150)
    response = login(world.owner).post(row_url(world, "site-row-save", world.hq), data, **HTMX)
    assertContains(response, 'data-status="invalid"')
    world.hq.refresh_from_db()
    assert (world.hq.users, world.hq.client_loss_pct, world.hq.version) == (850, None, 1)


def test_renaming_a_row_to_a_siblings_name_is_refused(world, login):
    data = row_data(world.branch, name="Stuttgart HQ")
    response = login(world.owner).post(row_url(world, "site-row-save", world.branch), data, **HTMX)
    assertContains(response, "Another site has this name.")
    world.branch.refresh_from_db()
    assert world.branch.name == "Lyon Office"


def test_a_stale_row_edit_of_the_same_cell_is_refused_with_who_changed_it(world, login, client):
    alices_page = row_data(world.hq)
    bobs_page = dict(alices_page)
    client.force_login(world.owner)
    client.post(row_url(world, "site-row-save", world.hq), {**alices_page, "users": "900"}, **HTMX)
    client.force_login(world.teammate)
    response = client.post(
        row_url(world, "site-row-save", world.hq),
        {**bobs_page, "users": "700", "city": "Vaihingen"},
        **HTMX,
    )
    assertContains(response, 'data-status="conflict"')
    assertContains(response, "Alice Ames changed “Users” to “900” (you typed “700”)")
    world.hq.refresh_from_db()
    assert (world.hq.users, world.hq.city, world.hq.version) == (900, "Stuttgart", 2)


def stale_save(world, client, alices: dict, bobs: dict):
    """Alice saves her edit of the HQ row, then Bob saves his from the page both loaded."""
    page = row_data(world.hq)
    url = row_url(world, "site-row-save", world.hq)
    client.force_login(world.owner)
    client.post(url, {**page, **alices}, **HTMX)
    client.force_login(world.teammate)
    return client.post(url, {**page, **bobs}, **HTMX).content.decode()


def cell_box(html: str, row: str, name: str) -> str:
    """The message box under one cell in a row-save answer."""
    return html.split(f'id="{row}-{name}-error"')[1].split('id="row-')[0]


def test_a_stale_row_edit_shows_the_conflict_in_the_edited_cell_with_both_choices(world, client):
    html = stale_save(world, client, {"users": "900"}, {"users": "700"})
    row = f"row-{world.hq.pk}"
    # The Users cell's message box carries the conflict, not the row's far-right status.
    users_box = cell_box(html, row, "users")
    assert "data-cell-conflict" in users_box
    assert "Alice Ames" in users_box and "“900”" in users_box and "“700”" in users_box
    assert f'data-keep-mine="{row}" data-version="2"' in users_box
    assert "data-take-theirs" in users_box and "{&quot;users&quot;: &quot;900&quot;}" in users_box
    assert "data-cell-conflict" not in cell_box(html, row, "city")
    assert "Choose in the marked cell." in html


def test_a_stale_circuit_edit_shows_in_the_primary_circuit_cells(world, client):
    html = stale_save(world, client, {"primary_down_mbps": "800"}, {"primary_down_mbps": "50"})
    down_box = cell_box(html, f"row-{world.hq.pk}", "primary_down_mbps")
    assert "data-cell-conflict" in down_box
    assert "primary_down_mbps&quot;: &quot;800" in down_box


def test_a_stale_row_edit_of_other_cells_is_merged(world, client):
    alices_page = row_data(world.hq)
    bobs_page = dict(alices_page)
    client.force_login(world.owner)
    client.post(row_url(world, "site-row-save", world.hq), {**alices_page, "users": "900"}, **HTMX)
    client.force_login(world.teammate)
    response = client.post(
        row_url(world, "site-row-save", world.hq), {**bobs_page, "city": "Vaihingen"}, **HTMX
    )
    assertContains(response, 'data-status="saved"')
    world.hq.refresh_from_db()
    assert (world.hq.users, world.hq.city, world.hq.version) == (900, "Vaihingen", 3)


def test_a_stale_row_edit_without_javascript_says_what_changed(world, client):
    alices_page = row_data(world.hq)
    bobs_page = dict(alices_page)
    client.force_login(world.owner)
    client.post(row_url(world, "site-row-save", world.hq), {**alices_page, "users": "900"})
    client.force_login(world.teammate)
    response = client.post(
        row_url(world, "site-row-save", world.hq), {**bobs_page, "users": "700"}, follow=True
    )
    message = messages_of(response)[-1]
    assert message.startswith("“Stuttgart HQ” was not saved:")
    assert "Users" in message
    assert Site.objects.get(pk=world.hq.pk).users == 900


def test_removing_a_row_deletes_the_site(world, login):
    url = row_url(world, "site-delete", world.branch)
    response = login(world.owner).post(url, {"version": "1"}, follow=True)
    assert "Site “Lyon Office” removed." in messages_of(response)
    assert site_names(world) == ["Stuttgart HQ"]
    assert Change.objects.filter(action="delete", object_label="Lyon Office").exists()


def test_removing_a_row_someone_changed_is_refused(world, login):
    login(world.owner).post(
        row_url(world, "site-row-save", world.branch), row_data(world.branch, users=170), **HTMX
    )
    response = login(world.teammate).post(
        row_url(world, "site-delete", world.branch), {"version": "1"}, **HTMX
    )
    assert response.status_code == 409
    assert "changed by someone else since you loaded it: not removed" in response.content.decode()
    assert Site.objects.filter(pk=world.branch.pk, users=170).exists()


def test_cloning_a_row_copies_the_site_and_its_circuits(world, login):
    response = login(world.owner).post(row_url(world, "site-clone", world.hq), follow=True)
    copy = Site.objects.get(assessment=world.assessment, name="Stuttgart HQ (copy)")
    assert "“Stuttgart HQ” cloned as “Stuttgart HQ (copy)”: rename it and adjust." in (
        messages_of(response)
    )
    assert copy.users == 850
    assert sorted((c.role, c.down_mbps) for c in copy.circuits.all()) == [
        ("backup", 50),
        ("primary", 1000),
    ]


def test_bulk_set_changes_every_selected_site(world, login):
    url = reverse("assessments:site-bulk-set", args=[world.assessment.pk])
    response = login(world.owner).post(
        url,
        {"sites": [world.hq.pk, world.branch.pk], "field": "qos", "value": "end_to_end"},
        follow=True,
    )
    assert "QoS (DSCP) set on 2 site(s)." in messages_of(response)
    assert set(world.assessment.sites.values_list("qos", flat=True)) == {"end_to_end"}
    assert Change.objects.filter(action="update").count() == 2


def test_bulk_set_with_a_bad_value_changes_nothing(world, login):
    url = reverse("assessments:site-bulk-set", args=[world.assessment.pk])
    response = login(world.owner).post(
        url, {"sites": [world.hq.pk, world.branch.pk], "field": "users", "value": "-3"}, follow=True
    )
    assert messages_of(response)[0].startswith("Nothing was changed:")
    assert set(world.assessment.sites.values_list("users", flat=True)) == {850, 160}


def test_bulk_set_cannot_reach_sites_of_another_assessment(world, login):
    stray = SiteFactory(name="Elsewhere")
    url = reverse("assessments:site-bulk-set", args=[world.assessment.pk])
    response = login(world.owner).post(
        url,
        {"sites": [stray.pk, world.other_site.pk], "field": "qos", "value": "none"},
        follow=True,
    )
    assert messages_of(response)[0].startswith("Nothing was changed:")
    stray.refresh_from_db()
    world.other_site.refresh_from_db()
    assert stray.qos == world.other_site.qos == "unknown"


def test_every_grid_input_is_named_for_screen_readers(world, login):
    response = login(world.owner).get(grid_url(world))
    form = find_form(response.content.decode(), id=f"row-{world.hq.pk}-form")
    labels = {c.name: c.attrs.get("aria-label") for c in form.controls if c.kind not in {"hidden"}}
    assert labels["country"] == "Country"
    assert all(label and label != "None" for name, label in labels.items() if name), labels


def test_the_grid_offers_every_country_by_name_with_its_code(world, login):
    from django_countries import countries

    page = login(world.owner).get(grid_url(world)).content.decode()
    datalist = page.split('<datalist id="country-list">', 1)[1].split("</datalist>", 1)[0]
    assert datalist.count("<option ") == len(countries)
    assert '<option value="Germany">DE</option>' in datalist
    # Names are escaped as the template escaped them: an apostrophe cannot end the value.
    assert '<option value="Côte d&#x27;Ivoire">CI</option>' in datalist
