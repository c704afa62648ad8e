"""A customer's upload waiting on its invite link moves into the one store of pending uploads."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

import pytest

from imports.models import PendingSiteImport
from tests.factories import AssessmentFactory, member

BEFORE = [("imports", "0001_initial"), ("invites", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_a_waiting_customer_upload_survives_the_move():
    assessment = AssessmentFactory()
    owner = member(assessment.organisation)
    payload = {"format": "csv", "rows": [{"line": 2, "values": {"name": "Lyon"}}], "errors": []}
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    invite = old.get_model("invites", "Invite").objects.create(
        assessment_id=assessment.pk,
        contact_name="Priya Patel",
        email="priya@contoso.example",
        token_hash="0" * 64,
        sections=["sites"],
        expires_at=timezone.now(),
        created_by_id=owner.pk,
        pending_import={**payload, "upload": "a1b2c3"},
        pending_import_name="Standorte.csv",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    pending = PendingSiteImport.objects.get()
    assert (pending.invite_id, pending.user_id) == (invite.pk, None)
    assert (pending.assessment_id, pending.file_name) == (assessment.pk, "Standorte.csv")
    assert (pending.file_format, pending.payload) == ("csv", payload)
