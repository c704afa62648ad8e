"""Proposals: the issued snapshot, its PDF render and previews."""

from django.apps import AppConfig

from portal.files import delete_files_with_rows


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = "Proposals"

    def ready(self):
        # A preview deleted with its assessment (a cascade) takes its PDF with it.
        delete_files_with_rows(self)
