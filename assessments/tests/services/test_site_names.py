"""Site names: one rule everywhere (case does not count), held by the database under races."""

import threading

from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

import pytest

from assessments.models import SITE_NAME_TAKEN, Site
from assessments.services.assessments import site_clone, site_create, site_update
from assessments.services.versioning import Actor
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_name_differing_only_in_case():
    site = SiteFactory(name="Leeds")
    twin = SiteFactory.build(assessment=site.assessment, name="LEEDS")
    with pytest.raises(Exception) as info:
        twin.full_clean()
    assert SITE_NAME_TAKEN in str(info.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Site.objects.create(assessment=site.assessment, name="leeds", country="GB")


def test_adding_a_site_named_like_a_sibling_in_another_case_is_refused(world):
    with pytest.raises(Exception) as info:
        site_create(
            assessment=world.assessment,
            fields={"name": "STUTTGART hq", "country": "DE"},
            actor=Actor.for_user(world.owner),
        )
    assert SITE_NAME_TAKEN in str(info.value)
    assert world.assessment.sites.count() == 2


def test_renaming_to_a_siblings_name_in_another_case_is_refused(world):
    with pytest.raises(Exception) as info:
        site_update(
            site=world.branch,
            base_version=world.branch.version,
            changes={"name": "stuttgart HQ"},
            actor=Actor.for_user(world.owner),
        )
    assert SITE_NAME_TAKEN in str(info.value)
    assert Site.objects.get(pk=world.branch.pk).name == "Lyon Office"


def test_a_clone_skips_a_copy_name_taken_in_another_case(world):
    SiteFactory(assessment=world.assessment, name="STUTTGART HQ (COPY)", country="DE")
    copy = site_clone(site=world.hq, actor=Actor.for_user(world.owner))
    assert copy.name == "Stuttgart HQ (copy 2)"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writer at a time: no race"
)
@pytest.mark.django_db(transaction=True)
def test_parallel_duplicates_of_one_site_all_succeed_with_distinct_names(world):
    """Four people press "duplicate row" on the same site at the same moment."""
    url = reverse("assessments:site-clone", args=[world.assessment.pk, world.hq.pk])
    start = threading.Barrier(4)
    statuses: list[int] = []

    def press() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(world.owner)
        start.wait()
        try:
            statuses.append(client.post(url).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 4
    names = sorted(world.assessment.sites.values_list("name", flat=True))
    assert names == [
        "Lyon Office",
        "Stuttgart HQ",
        "Stuttgart HQ (copy 2)",
        "Stuttgart HQ (copy 3)",
        "Stuttgart HQ (copy 4)",
        "Stuttgart HQ (copy)",
    ]


@pytest.mark.django_db(transaction=True)
def test_upgrading_renames_sites_whose_names_differ_only_in_case(world):
    before = [("assessments", "0007_measurement_file_format_latency_basis_and_clock")]
    after = [("assessments", "0008_text_limits_and_site_names_unique_in_any_case")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("assessments", "Site")
    for name in ("LYON OFFICE", "lyon office", "Lyon Office (2)"):
        old.objects.create(
            assessment_id=world.assessment.pk, name=name, country="FR", position=10**6
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    names = sorted(Site.objects.filter(assessment=world.assessment).values_list("name", flat=True))
    # Every later migration back, so the tests that follow find the tables they expect.
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    assert names == [
        "LYON OFFICE (3)",
        "Lyon Office",
        "Lyon Office (2)",
        "Stuttgart HQ",
        "lyon office (4)",
    ]
