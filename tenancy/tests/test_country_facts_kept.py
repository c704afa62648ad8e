"""A partner's country facts are read once per change of them, and every page follows a change."""

from django.urls import reverse

import pytest

from assessments import engine_io
from assessments.services.versioning import Actor
from tenancy.models import CountryOverride, Organisation
from tenancy.services.countries import country_override_save
from tests.queries import page_and_sql

pytestmark = pytest.mark.django_db

FACTS_READ = '"tenancy_countryoverride"'
FACTS_URL = reverse("tenancy:country-facts")
MALTA_BY_OPERATOR = "Lyon Office → Operator Connect"


@pytest.fixture
def malta(world):
    """The branch moved to Malta, where the published facts know no Operator Connect."""
    world.branch.country = "MT"
    world.branch.save()
    return reverse("assessments:results", args=[world.assessment.pk])


@pytest.mark.parametrize(
    "page", ["assessments:results", "assessments:site-grid", "assessments:assessment-detail"]
)
def test_a_second_page_reads_no_country_facts(world, client, page):
    CountryOverride.objects.create(organisation=world.org, country="MT", operator_connect="yes")
    client.force_login(world.owner)
    url = reverse(page, args=[world.assessment.pk])
    _html, first = page_and_sql(client, url)
    _html, again = page_and_sql(client, url)
    assert FACTS_READ in first and FACTS_READ not in again


def test_a_fact_set_on_the_facts_page_shows_on_the_next_page(world, login, malta):
    client = login(world.admin)
    before, _sql = page_and_sql(client, malta)
    assert MALTA_BY_OPERATOR not in before
    client.post(FACTS_URL, {"country": "MT", "operator_connect": "yes", "note": "Our operator"})
    after, sql = page_and_sql(client, malta)
    assert FACTS_READ in sql  # the version moved: read again, not the kept facts
    assert MALTA_BY_OPERATOR in after and "partner overrides: MT" in after


def test_a_fact_removed_shows_as_published_again(world, login, malta):
    client = login(world.admin)
    client.post(FACTS_URL, {"country": "MT", "operator_connect": "yes"})
    assert MALTA_BY_OPERATOR in page_and_sql(client, malta)[0]
    client.post(FACTS_URL, {"country": "MT"})  # every fact "as published": the row goes
    assert not CountryOverride.objects.filter(organisation=world.org).exists()
    assert MALTA_BY_OPERATOR not in page_and_sql(client, malta)[0]


def test_every_write_of_a_fact_counts_in_its_organisation_only(world):
    version = Organisation.objects.get(pk=world.org.pk).country_facts_version
    actor = Actor.for_user(world.admin)
    facts = {"operator_connect": "yes"}
    row = country_override_save(organisation=world.org, country="MT", facts=facts, actor=actor)
    row.note = "Written directly, as a data fix would"
    row.save()
    row.delete()
    counted = Organisation.objects.get(pk=world.org.pk).country_facts_version
    assert counted == version + 3
    assert Organisation.objects.get(pk=world.other_org.pk).country_facts_version == 0


def test_facts_of_an_assessment_read_without_its_organisation_are_read_fresh(world):
    """Outside a request (the worker, a command) nothing says whether kept facts hold."""
    world.org.refresh_from_db()
    world.assessment.organisation = world.org
    assert not engine_io.fit_options_of(world.assessment).overrides
    CountryOverride.objects.create(organisation=world.org, country="MT", operator_connect="yes")
    # The same organisation object, read before the change: its version is the old one.
    assert not engine_io.fit_options_of(world.assessment).overrides
    world.assessment.refresh_from_db()  # the organisation is no longer loaded with it
    assert "MT" in engine_io.fit_options_of(world.assessment).overrides
