"""One site with every detail and its circuits; clone and remove."""

import time

from django.urls import reverse

from pytest_django.asserts import assertContains, assertRedirects

from assessments.forms import CircuitFormSet, SiteForm
from assessments.models import Change, Site
from tests.factories import form_data, formset_data, messages_of


def create_url(world):
    return reverse("assessments:site-create", args=[world.assessment.pk])


def update_url(world, site):
    return reverse("assessments:site-update", args=[world.assessment.pk, site.pk])


def grid_url(world):
    return reverse("assessments:site-grid", args=[world.assessment.pk])


def circuit_data(rows, initial=0):
    data = {"circuits-TOTAL_FORMS": str(len(rows)), "circuits-INITIAL_FORMS": str(initial)}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"circuits-{index}-{name}"] = "on" if value is True else str(value)
    return data


def site_data(site, circuits=None, **overrides):
    data = form_data(SiteForm(instance=site), **overrides)
    if circuits is None:
        initial = [
            {n: getattr(c, n) for n in ("role", "kind", "down_mbps", "up_mbps", "provider")}
            for c in (site.circuits.all() if site.pk else [])
        ]
        data.update(formset_data(CircuitFormSet(initial=initial, prefix="circuits")))
    else:
        data.update(circuit_data(circuits))
    return data


def test_the_new_site_page_shows_every_section(world, login):
    response = login(world.owner).get(create_url(world))
    assert response.status_code == 200
    for legend in ("Location", "People and devices", "Network", "Measured path quality"):
        assertContains(response, legend)
    assertContains(response, "Circuits")


def test_creating_a_site_stores_it_with_its_circuits(world, login):
    data = site_data(
        Site(assessment=world.assessment),
        circuits=[
            {"role": "primary", "kind": "dia", "down_mbps": 500, "up_mbps": 500, "provider": "BT"},
            {"role": "backup", "kind": "cellular", "down_mbps": 50, "up_mbps": 10},
        ],
        name="Pune Engineering",
        country="India",
        users=310,
        client_rtt_ms=42.5,
        client_loss_pct=0.3,
        regulation="toll_bypass",
    )
    response = login(world.owner).post(create_url(world), data, follow=True)
    assertRedirects(response, grid_url(world))
    assert "Site “Pune Engineering” saved." in messages_of(response)
    site = Site.objects.get(assessment=world.assessment, name="Pune Engineering")
    assert site.country.code == "IN"
    assert site.users == 310
    assert site.client_rtt_ms == 42.5
    assert site.regulation == "toll_bypass"
    assert site.position > world.branch.position
    circuits = sorted((c.role, c.kind, c.down_mbps, c.up_mbps) for c in site.circuits.all())
    assert circuits == [("backup", "cellular", 50, 10), ("primary", "dia", 500, 500)]


def test_save_and_add_another_returns_to_a_blank_form(world, login):
    data = site_data(Site(assessment=world.assessment), circuits=[], name="Pune", country="IN")
    data["save_add"] = ""
    response = login(world.owner).post(create_url(world), data)
    assertRedirects(response, create_url(world), fetch_redirect_response=False)


def test_bad_values_are_explained_and_nothing_is_saved(world, login):
    data = site_data(
        Site(assessment=world.assessment),
        circuits=[{"role": "primary", "kind": "dia", "down_mbps": 100, "up_mbps": 20}],
        name="Atlantis",
        country="Narnia",
        client_loss_pct=150,
    )
    response = login(world.owner).post(create_url(world), data)
    assert response.status_code == 200
    assertContains(response, "“Narnia” is not a country")
    assert "client_loss_pct" in response.context["form"].errors
    assert "Nothing was saved: correct the marked fields first." in messages_of(response)
    assert not Site.objects.filter(name="Atlantis").exists()


def test_a_bad_circuit_saves_nothing(world, login):
    data = site_data(
        Site(assessment=world.assessment),
        circuits=[{"role": "primary", "kind": "dia", "down_mbps": 0, "up_mbps": 20}],
        name="Pune",
        country="IN",
    )
    response = login(world.owner).post(create_url(world), data)
    assert response.status_code == 200
    assert response.context["circuits"].forms[0].errors["down_mbps"]
    assert not Site.objects.filter(name="Pune").exists()


def test_updating_a_site_changes_fields_and_replaces_circuits(world, login):
    data = site_data(
        world.hq,
        circuits=[
            {"role": "primary", "kind": "dia", "down_mbps": 2000, "up_mbps": 2000},
            {"role": "secondary", "kind": "broadband", "down_mbps": 300, "up_mbps": 50},
        ],
        users=900,
        qos="end_to_end",
    )
    response = login(world.owner).post(update_url(world, world.hq), data)
    assertRedirects(response, grid_url(world), fetch_redirect_response=False)
    world.hq.refresh_from_db()
    assert world.hq.users == 900
    assert world.hq.qos == "end_to_end"
    assert world.hq.version == 2
    circuits = sorted((c.role, c.down_mbps) for c in world.hq.circuits.all())
    assert circuits == [("primary", 2000), ("secondary", 300)]
    change = Change.objects.get(action="update", object_id=world.hq.pk)
    assert change.fields["users"] == [850, 900]
    assert change.fields["circuits"][1] == [
        {"role": "primary", "kind": "dia", "down_mbps": 2000, "up_mbps": 2000, "provider": ""},
        {
            "role": "secondary",
            "kind": "broadband",
            "down_mbps": 300,
            "up_mbps": 50,
            "provider": "",
        },
    ]


def test_ticking_delete_on_a_circuit_removes_it(world, login):
    data = site_data(world.hq)
    backup_index = next(i for i in range(2) if data[f"circuits-{i}-role"] == "backup")
    data[f"circuits-{backup_index}-DELETE"] = "on"
    login(world.owner).post(update_url(world, world.hq), data)
    assert [c.role for c in world.hq.circuits.all()] == ["primary"]


def test_the_edit_page_shows_the_sites_values(world, login):
    response = login(world.owner).get(update_url(world, world.hq))
    assertContains(response, 'value="Stuttgart HQ"')
    assertContains(response, 'value="Germany"')
    assertContains(response, "Clone site")
    assertContains(response, f'name="version" value="{world.hq.version}"')


def test_renaming_a_site_to_a_siblings_name_is_refused(world, login):
    data = site_data(world.branch, name="Stuttgart HQ")
    response = login(world.owner).post(update_url(world, world.branch), data)
    assertContains(response, "Another site of this assessment has this name.")
    world.branch.refresh_from_db()
    assert world.branch.name == "Lyon Office"


def test_cloning_copies_the_site_and_its_circuits(world, login):
    world.hq.client_loss_pct = 0.4
    world.hq.save()
    url = reverse("assessments:site-clone", args=[world.assessment.pk, world.hq.pk])
    response = login(world.owner).post(url, follow=True)
    copy = Site.objects.get(assessment=world.assessment, name="Stuttgart HQ (copy)")
    # The copy is at the end: the grid opens at its page, scrolled to it.
    assertRedirects(response, grid_url(world) + f"?site={copy.pk}#row-{copy.pk}")
    assert "“Stuttgart HQ” cloned as “Stuttgart HQ (copy)”: rename it and adjust." in (
        messages_of(response)
    )
    assert copy.users == 850
    assert copy.client_loss_pct == 0.4
    assert copy.country.code == "DE"
    assert copy.version == 1
    assert sorted((c.role, c.down_mbps, c.up_mbps) for c in copy.circuits.all()) == [
        ("backup", 50, 10),
        ("primary", 1000, 1000),
    ]
    assert world.hq.circuits.count() == 2


def test_cloning_twice_gives_distinct_names(world, login):
    url = reverse("assessments:site-clone", args=[world.assessment.pk, world.hq.pk])
    client = login(world.owner)
    client.post(url)
    client.post(url)
    names = set(world.assessment.sites.values_list("name", flat=True))
    assert {"Stuttgart HQ (copy)", "Stuttgart HQ (copy 2)"} <= names


def test_clone_needs_post(world, login):
    url = reverse("assessments:site-clone", args=[world.assessment.pk, world.hq.pk])
    assert login(world.owner).get(url).status_code == 405
    assert world.assessment.sites.count() == 2


def test_removing_a_site_deletes_it_and_logs_it(world, login):
    url = reverse("assessments:site-delete", args=[world.assessment.pk, world.branch.pk])
    response = login(world.owner).post(url, {"version": world.branch.version}, follow=True)
    assertRedirects(response, grid_url(world))
    assert "Site “Lyon Office” removed." in messages_of(response)
    assert not Site.objects.filter(pk=world.branch.pk).exists()
    change = Change.objects.get(action="delete")
    assert change.object_label == "Lyon Office"
    assert change.user == world.owner


def test_remove_needs_post(world, login):
    url = reverse("assessments:site-delete", args=[world.assessment.pk, world.branch.pk])
    assert login(world.owner).get(url).status_code == 405
    assert Site.objects.filter(pk=world.branch.pk).exists()


def test_a_post_claiming_a_thousand_circuits_is_refused_fast_and_saves_nothing(world, login):
    client = login(world.owner)

    def timed(data):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            response = client.post(update_url(world, world.hq), data)
            times.append(time.perf_counter() - started)
        return sorted(times)[1], response

    # The floor: the same form refused for one bad field, measured in the same run.
    floor, _ = timed(site_data(world.hq, users=-1))
    data = site_data(world.hq, users=999)
    data["circuits-TOTAL_FORMS"] = "1012"
    elapsed, response = timed(data)
    # Building and rendering 1,012 line forms would take tens of times the floor.
    assert elapsed < 4 * floor and len(response.content) < 300_000, (
        elapsed,
        floor,
        len(response.content),
    )
    assert response.status_code == 200
    assertContains(response, "A site has at most 12 internet lines")
    assert "Nothing was saved: correct the marked fields first." in messages_of(response)
    world.hq.refresh_from_db()
    assert world.hq.users == 850 and world.hq.version == 1


def test_thirteen_circuits_are_refused_and_twelve_accepted(world, login):
    rows = [
        {"role": "backup", "kind": "cellular", "down_mbps": 50 + i, "up_mbps": 10}
        for i in range(13)
    ]
    client = login(world.owner)
    response = client.post(update_url(world, world.hq), site_data(world.hq, circuits=rows))
    assertContains(response, "A site has at most 12 internet lines")
    assert world.hq.circuits.count() == 2
    client.post(update_url(world, world.hq), site_data(world.hq, circuits=rows[:12]))
    assert world.hq.circuits.count() == 12
