"""A partner corrects the published country facts, and its recommendations follow them."""

from django.urls import reverse

import pytest

from assessments import engine_io
from assessments.models import AssessmentScore, Change
from tenancy.models import CountryOverride
from tests.factories import messages_of

pytestmark = pytest.mark.django_db

URL = reverse("tenancy:country-facts")


def _malta(world):
    world.branch.country = "MT"
    world.branch.save()
    return world.assessment


def _oc_at(assessment, site_name):
    result = engine_io.score(assessment)
    site = next(s for s in result.sites if s.site == site_name)
    return site.fit("operator_connect").availability


def test_a_partner_who_sells_operator_connect_in_malta_gets_it_considered_there(world, login):
    assessment = _malta(world)
    assert _oc_at(assessment, world.branch.name) == "unknown"  # published: not known
    response = login(world.admin).post(
        URL,
        {"country": "MT", "operator_connect": "yes", "note": "Via our Maltese operator"},
        follow=True,
    )
    assert any("Saved the facts for Malta" in m for m in messages_of(response))
    assert _oc_at(assessment, world.branch.name) == "available"
    # Another partner's assessments keep the published facts.
    other = world.other_assessment
    other_site = other.sites.first()
    other_site.country = "MT"
    other_site.save()
    assert _oc_at(other, other_site.name) == "unknown"
    entry = Change.objects.get(object_type="countryoverride")
    assert entry.organisation_id == world.org.pk and entry.action == "create"


def test_the_stored_summaries_are_scored_again_with_the_new_facts(
    world, login, django_capture_on_commit_callbacks
):
    assessment = _malta(world)
    AssessmentScore.objects.filter(assessment=assessment).delete()
    with django_capture_on_commit_callbacks(execute=True):
        login(world.admin).post(URL, {"country": "MT", "calling_plans": "no"})
    assert AssessmentScore.objects.filter(assessment=assessment).exists()


def test_all_as_published_removes_the_correction(world, login):
    admin = login(world.admin)
    admin.post(URL, {"country": "MT", "operator_connect": "yes"})
    admin.post(URL, {"country": "MT", "operator_connect": "", "calling_plans": ""})
    assert not CountryOverride.objects.exists()
    assert list(
        Change.objects.filter(object_type="countryoverride").values_list("action", flat=True)
    ) == ["delete", "create"]


def test_saving_the_edit_form_unchanged_changes_nothing(world, login):
    admin = login(world.admin)
    admin.post(URL, {"country": "MT", "operator_connect": "yes", "note": "Our operator"})
    row = CountryOverride.objects.get()
    page = admin.get(URL, {"country": "MT"})
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    admin.post(URL, data)
    again = CountryOverride.objects.get()
    assert (again.version, again.updated_at) == (row.version, row.updated_at)
    assert Change.objects.filter(object_type="countryoverride").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"country": "XX", "operator_connect": "yes"},
        {"country": "MT", "operator_connect": "maybe"},
        {"country": "MT", "note": "x" * 301, "operator_connect": "yes"},
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(world, login, data):
    response = login(world.admin).post(URL, data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not CountryOverride.objects.exists()


def test_only_admins_set_country_facts_and_each_sees_only_its_own(world, login):
    assert login(world.owner).get(URL).status_code == 403
    login(world.admin).post(URL, {"country": "MT", "operator_connect": "yes"})
    CountryOverride.objects.create(
        organisation=world.other_org, country="DE", operator_connect="no", note="Fabrikam's"
    )
    page = login(world.admin).get(URL).content.decode()
    assert "Malta" in page and "Fabrikam's" not in page
