"""An import and a grid edit of the same site at the same moment: one waits, neither fails."""

import threading

from django.db import connection
from django.test import Client

import pytest

from assessments.models import Site
from assessments.services import versioning
from assessments.services.assessments import site_update
from assessments.services.versioning import Actor
from imports.services import commit as import_commit
from imports.tests.conftest import commit, csv_bytes, plan_of

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite runs one writer at a time: no race"
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT = 10  # seconds; far longer than PostgreSQL's deadlock check (1 s)


def test_an_import_and_a_grid_edit_of_the_same_site_take_turns(world, upload, monkeypatch):
    """The edit holds the site and logs its change; the import holds the assessment.

    Logging the edit references the assessment; before the import locked the assessment
    only against other writers of sites, the two waited on each other and PostgreSQL
    killed one with a deadlock (a server error for the user).
    """
    preview = upload(csv_bytes([["Site name", "Country", "Users"], ["Lyon Office", "FR", "175"]]))
    assert plan_of(preview).count("update") == 1
    edit_holds_the_site = threading.Event()
    import_holds_the_assessment = threading.Event()
    real_edits_over, real_plan_import = versioning.edits_over, import_commit.plan_import

    def edits_over(**kwargs):
        # Inside the edit's transaction, with the site locked: let the import lock next.
        if threading.current_thread().name == "grid":
            edit_holds_the_site.set()
            assert import_holds_the_assessment.wait(WAIT)
        return real_edits_over(**kwargs)

    def plan_import(**kwargs):
        import_holds_the_assessment.set()
        return real_plan_import(**kwargs)

    monkeypatch.setattr(versioning, "edits_over", edits_over)
    monkeypatch.setattr(import_commit, "plan_import", plan_import)
    branch = Site.objects.get(pk=world.branch.pk)
    outcome: dict[str, object] = {}

    def grid() -> None:
        try:
            site_update(
                site=branch,
                base_version=branch.version,
                changes={"city": "Lyon Part-Dieu"},
                actor=Actor.for_user(world.teammate),
            )
            outcome["grid"] = "saved"
        except Exception as exc:  # the deadlock, before the fix
            outcome["grid"] = repr(exc)
        finally:
            connection.close()

    def importer() -> None:
        assert edit_holds_the_site.wait(WAIT)
        client = Client(raise_request_exception=False)
        client.force_login(world.owner)
        try:
            outcome["import"] = commit(client, preview).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=grid, name="grid"), threading.Thread(target=importer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(3 * WAIT)
    assert outcome == {"grid": "saved", "import": 200}
    branch.refresh_from_db()
    # The edit landed; the import, which waited, merged its own field over it.
    assert (branch.city, branch.users) == ("Lyon Part-Dieu", 175)
