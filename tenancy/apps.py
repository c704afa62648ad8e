"""Partner organisations, their members, roles and branding."""

from django.apps import AppConfig

from portal.files import delete_files_with_rows


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = "Organisations"

    def ready(self):
        # An organisation deleted from the support admin takes its logo with it.
        delete_files_with_rows(self)
