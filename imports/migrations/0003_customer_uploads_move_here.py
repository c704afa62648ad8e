from django.db import migrations


def customer_uploads_move_here(apps, schema_editor):
    """A customer's upload waiting on its invite becomes a pending import of that link."""
    invite_model = apps.get_model("invites", "Invite")
    pending_model = apps.get_model("imports", "PendingSiteImport")
    waiting = invite_model.objects.using(schema_editor.connection.alias).filter(
        pending_import__isnull=False
    )
    for invite in waiting.iterator():
        payload = {k: v for k, v in invite.pending_import.items() if k != "upload"}
        pending_model.objects.using(schema_editor.connection.alias).create(
            assessment_id=invite.assessment_id,
            invite=invite,
            file_name=invite.pending_import_name or "site list",
            file_format=payload.get("format", ""),
            payload=payload,
        )


class Migration(migrations.Migration):
    # Its own migration: on PostgreSQL the rows it writes leave deferred foreign-key checks
    # pending, and the schema changes of 0002 (its index) cannot run after them in one
    # transaction.

    dependencies = [
        ("imports", "0002_pending_upload_of_a_member_or_an_invite_link"),
    ]

    operations = [
        migrations.RunPython(customer_uploads_move_here, migrations.RunPython.noop),
    ]
