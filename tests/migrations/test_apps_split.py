"""A database at the schema before the apps were split migrates to today's without loss.

``files/before_apps_split.json.gz`` is ``dumpdata assessments auth.user django_tasks_database``
of a database built by the release before the split (commit ffedbe8): ``seed_demo``, one
issued and rendered proposal, and one record of every other kind (invite, submission notice,
scenario, API token, measurement file, pending site import, queued preview). The rows are
written through the historical models of that schema, then the migrations run forward.
"""

import gzip
import json
from collections import Counter
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import DateField, DateTimeField, ForeignKey

import pytest

from portal.settings import PORTAL_APPS

FIXTURE = Path(__file__).with_name("files") / "before_apps_split.json.gz"
BEFORE = [
    ("assessments", "0011_invite_sections_label_as_on_the_form"),
    ("tenancy", None),
    ("api", None),
    ("imports", None),
    ("invites", None),
    ("proposals", None),
]
MOVED = {
    "organisation": "tenancy",
    "membership": "tenancy",
    "apitoken": "api",
    "invite": "invites",
    "submissionnotice": "invites",
    "pendingsiteimport": "imports",
    "measurementimport": "imports",
    "proposal": "proposals",
    "proposalpreview": "proposals",
}


# A customer's waiting upload moved from its invite to the pending uploads (nothing was
# waiting in this database: tests/migrations/test_pending_uploads.py moves one that is).
MOVED_LATER = {("invites.invite", "pending_import"), ("invites.invite", "pending_import_name")}


def _label_now(label: str) -> str:
    app, model = label.split(".")
    return f"{MOVED[model]}.{model}" if app == "assessments" and model in MOVED else label


def _write(old_apps, records: list[dict]) -> None:
    """Insert the records through the historical models, timestamps as they were."""
    with transaction.atomic():
        for record in records:
            model = old_apps.get_model(record["model"])
            values, stamps = {}, {}
            for name, value in record["fields"].items():
                field = model._meta.get_field(name)
                if field.many_to_many:
                    continue
                if isinstance(field, ForeignKey):
                    values[field.attname] = value
                elif isinstance(field, DateField | DateTimeField) and (
                    field.auto_now or field.auto_now_add
                ):
                    stamps[name] = value
                else:
                    values[name] = value
            model(pk=record["pk"], **values).save(force_insert=True)
            if stamps:  # save() sets auto_now fields to now; update() writes them as given
                model.objects.filter(pk=record["pk"]).update(**stamps)


def _dump() -> list[dict]:
    out = StringIO()
    labels = ["tenancy", "assessments", "imports", "invites", "proposals", "api", "auth.user"]
    call_command("dumpdata", *labels, "django_tasks_database", stdout=out)
    return json.loads(out.getvalue())


def _key(record: dict) -> tuple[str, str]:
    return record["model"], str(record["pk"])


@pytest.mark.django_db(transaction=True)
def test_the_demo_data_and_an_issued_proposal_survive_the_split():
    records = json.loads(gzip.decompress(FIXTURE.read_bytes()))
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    graph = MigrationExecutor(connection).loader
    # The other apps as they are (Django's own, the task queue); the portal's apps that
    # came after the split did not exist then, and their migrations need today's schema.
    later = set(PORTAL_APPS) - {app for app, _ in BEFORE}
    before_nodes = [BEFORE[0]] + [
        node
        for node in graph.graph.leaf_nodes()
        if node[0] not in {app for app, _ in BEFORE} | later
    ]
    old_apps = graph.project_state(before_nodes).apps
    _write(old_apps, records)
    # Content types as the old release left them, with a permission hanging on one.
    content_type = old_apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label__in=set(MOVED.values())).delete()
    old_proposal_type = content_type.objects.create(app_label="assessments", model="proposal")
    permission = old_apps.get_model("auth", "Permission").objects.create(
        name="Can view proposal", codename="view_proposal", content_type=old_proposal_type
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    after = {_key(r): r for r in _dump()}
    expected = {}
    for record in records:
        record = {**record, "model": _label_now(record["model"])}
        if record["model"] == "django_tasks_database.dbtaskresult":
            # Queued renders name the render function where it lives now.
            path = record["fields"]["task_path"]
            assert path.startswith("assessments.services.proposals.")
            record["fields"] = {
                **record["fields"],
                "task_path": path.replace("assessments.services.proposals.", "proposals.services."),
            }
        expected[_key(record)] = record
    assert Counter(m for m, _ in after) == Counter(m for m, _ in expected)
    for key, record in expected.items():
        # Later migrations may add fields; every field the old release stored reads the same.
        kept = {k: v for k, v in record["fields"].items() if (key[0], k) not in MOVED_LATER}
        assert {k: after[key]["fields"][k] for k in kept} == kept, key
    assert after[("proposals.proposal", "1")]["fields"]["sha256"]  # the issued PDF's digest

    from django.contrib.auth.models import Permission

    moved = Permission.objects.get(pk=permission.pk).content_type
    assert (moved.app_label, moved.model) == ("proposals", "proposal")
