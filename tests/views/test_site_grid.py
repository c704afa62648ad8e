"""The sites grid: many sites added, edited and removed at once, all rows or none."""

from django.urls import reverse

from pytest_django.asserts import assertContains, assertRedirects

from assessments import selectors
from assessments.forms import SiteRowFormSet
from assessments.models import Change, Site
from tests.factories import formset_data, messages_of


def url(world):
    return reverse("assessments:site-grid", args=[world.assessment.pk])


def grid_data(world, rows=None, new=None):
    formset = SiteRowFormSet(
        queryset=selectors.site_list(assessment=world.assessment), assessment=world.assessment
    )
    return formset_data(formset, rows=rows, new=new)


def site_names(world):
    return list(world.assessment.sites.order_by("position", "id").values_list("name", flat=True))


def test_the_grid_shows_each_site_with_its_primary_circuit(world, login):
    response = login(world.owner).get(url(world))
    assert response.status_code == 200
    assertContains(response, 'value="Stuttgart HQ"')
    assertContains(response, 'value="Lyon Office"')
    assertContains(response, 'name="form-0-primary_down_mbps" value="1000"', html=False)
    assertContains(response, "Save all sites")


def test_an_empty_grid_says_what_to_type(world, login):
    world.assessment.sites.all().delete()
    response = login(world.owner).get(url(world))
    assertContains(response, "No sites yet")
    assertContains(response, "Name, country and users are enough to start")


def test_adding_rows_creates_sites_with_their_primary_circuit(world, login):
    data = grid_data(
        world,
        new=[
            {
                "name": "Pune",
                "country": "India",
                "users": 310,
                "primary_down_mbps": 100,
                "primary_up_mbps": 50,
            },
            {"name": "Chicago Sales", "country": "US", "users": 75},
        ],
    )
    response = login(world.owner).post(url(world), data, follow=True)
    assertRedirects(response, url(world))
    assert "Sites saved (2 added)." in messages_of(response)
    assert site_names(world) == ["Stuttgart HQ", "Lyon Office", "Pune", "Chicago Sales"]
    pune = Site.objects.get(assessment=world.assessment, name="Pune")
    assert pune.country.code == "IN"
    assert pune.users == 310
    [circuit] = pune.circuits.all()
    assert (circuit.role, circuit.down_mbps, circuit.up_mbps) == ("primary", 100, 50)
    assert not Site.objects.get(name="Chicago Sales").circuits.exists()
    assert Change.objects.filter(action="create", object_type="site").count() == 2


def test_editing_a_row_saves_it_and_keeps_other_circuits(world, login):
    data = grid_data(
        world, rows={0: {"users": 900, "primary_down_mbps": 500, "primary_up_mbps": 500}}
    )
    response = login(world.owner).post(url(world), data, follow=True)
    assert "Sites saved (1 updated)." in messages_of(response)
    world.hq.refresh_from_db()
    assert world.hq.users == 900
    assert world.hq.version == 2
    circuits = {c.role: (c.down_mbps, c.up_mbps) for c in world.hq.circuits.all()}
    assert circuits == {"primary": (500, 500), "backup": (50, 10)}
    change = Change.objects.get(action="update", object_id=world.hq.pk)
    assert change.fields["users"] == [850, 900]
    assert "circuits" in change.fields
    world.branch.refresh_from_db()
    assert world.branch.version == 1


def test_clearing_the_primary_cells_removes_the_primary_circuit(world, login):
    data = grid_data(world, rows={1: {"primary_down_mbps": "", "primary_up_mbps": ""}})
    login(world.owner).post(url(world), data)
    assert not world.branch.circuits.exists()


def test_saving_without_changes_says_so_and_changes_nothing(world, login):
    response = login(world.owner).post(url(world), grid_data(world), follow=True)
    assert "Sites saved (no changes)." in messages_of(response)
    world.hq.refresh_from_db()
    assert world.hq.version == 1
    assert not Change.objects.exists()


def test_deleting_a_row_removes_the_site_and_its_circuits(world, login):
    data = grid_data(world, rows={1: {"DELETE": True}})
    response = login(world.owner).post(url(world), data, follow=True)
    assert "Sites saved (1 removed)." in messages_of(response)
    assert site_names(world) == ["Stuttgart HQ"]
    assert not Site.objects.filter(pk=world.branch.pk).exists()
    assert Change.objects.filter(action="delete", object_label="Lyon Office").exists()


def test_one_bad_row_saves_nothing_at_all(world, login):
    data = grid_data(
        world,
        rows={0: {"users": 999}, 1: {"DELETE": True}},
        new=[{"name": "Pune", "country": "IN"}, {"name": "Oz", "country": "Narnia"}],
    )
    response = login(world.owner).post(url(world), data)
    assert response.status_code == 200
    assert "Nothing was saved: correct the marked cells first." in messages_of(response)
    assertContains(response, "“Narnia” is not a country")
    assertContains(response, 'aria-invalid="true"')
    assert site_names(world) == ["Stuttgart HQ", "Lyon Office"]
    world.hq.refresh_from_db()
    assert world.hq.users == 850
    assert not Change.objects.exists()


def test_a_duplicate_name_between_rows_is_marked_and_nothing_saved(world, login):
    data = grid_data(
        world, new=[{"name": "Pune", "country": "IN"}, {"name": "PUNE", "country": "IN"}]
    )
    response = login(world.owner).post(url(world), data)
    assertContains(response, "Row 3 has this name too.")
    assert site_names(world) == ["Stuttgart HQ", "Lyon Office"]


def test_a_new_row_may_not_take_an_existing_sites_name(world, login):
    data = grid_data(world, new=[{"name": "Stuttgart HQ", "country": "DE"}])
    response = login(world.owner).post(url(world), data)
    assert response.status_code == 200
    assertContains(response, "Row 1 has this name too.")
    assert Site.objects.filter(assessment=world.assessment).count() == 2


def test_renaming_two_sites_to_swap_names_is_refused_cleanly(world, login):
    data = grid_data(world, rows={0: {"name": "Lyon Office"}, 1: {"name": "Stuttgart HQ"}})
    response = login(world.owner).post(url(world), data)
    assert response.status_code == 200
    assert "Nothing was saved: correct the marked cells first." in messages_of(response)
    assertContains(response, "already exists")
    assert not Change.objects.exists()
    assert site_names(world) == ["Stuttgart HQ", "Lyon Office"]


def test_a_primary_down_without_up_is_marked(world, login):
    data = grid_data(world, new=[{"name": "Pune", "country": "IN", "primary_down_mbps": 100}])
    response = login(world.owner).post(url(world), data)
    assertContains(response, "Enter both down and up, or neither.")
    assert not Site.objects.filter(name="Pune").exists()


def test_a_blank_new_row_is_ignored(world, login):
    data = grid_data(world, new=[{}])
    response = login(world.owner).post(url(world), data, follow=True)
    assert "Sites saved (no changes)." in messages_of(response)
    assert Site.objects.filter(assessment=world.assessment).count() == 2


def test_a_forged_row_id_of_another_assessment_cannot_touch_that_site(world, login):
    data = grid_data(world)
    data["form-0-id"] = str(world.other_site.pk)
    data["form-0-name"] = "Hijacked"
    response = login(world.owner).post(url(world), data)
    assert response.status_code in (200, 302, 404)
    world.other_site.refresh_from_db()
    assert world.other_site.name == "Vienna HQ"
    assert world.other_site.assessment == world.other_assessment
