"""Stored files outlive no row: a deleted row's files are deleted once its transaction commits."""

import logging

from django.apps import AppConfig
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete

logger = logging.getLogger(__name__)


class StorageUnavailable(OSError):
    """The file store refused or did not answer (down, wrong keys, missing bucket).

    An ``OSError``, like a failing disk under the file system storage, so every caller
    that already copes with an unreadable file copes with an unreachable store.
    """


def delete_file_on_commit(file: FieldFile) -> None:
    """Delete a stored file once the current transaction commits, and never before.

    A file deleted before its row's deletion commits would be missing for good if the
    transaction rolled back. A failure to delete is logged, not raised: the row is gone
    either way, and a user's request must not fail over a leftover file.

    Args:
        file: The field's file (nothing happens when it is empty).
    """
    name, storage = file.name, file.storage
    if not name:
        return

    def delete() -> None:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Stored file %s could not be deleted; it is left behind", name)

    transaction.on_commit(delete)


def _delete_files_of(sender, instance, **kwargs) -> None:
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            delete_file_on_commit(getattr(instance, field.attname))


def delete_files_with_rows(app_config: AppConfig) -> None:
    """Make every model of the app with a file field delete its files with its rows.

    Connected per model (not for every model at once): a ``post_delete`` receiver makes
    Django load each row a cascade deletes, which only these few models need.

    Args:
        app_config: The app whose models are connected (call it from ``ready()``).
    """
    for model in app_config.get_models():
        if any(isinstance(f, models.FileField) for f in model._meta.concrete_fields):
            post_delete.connect(
                _delete_files_of, sender=model, dispatch_uid=f"files-of-{model._meta.label}"
            )
