"""Partner organisations, their members, roles and branding."""

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save

from portal.files import delete_files_with_rows


def _note_sign_in(sender, request, user, **kwargs) -> None:
    # Imported here: the app registry is not ready when this module is first imported.
    from tenancy.services.account import sign_in_record

    if request is not None:
        sign_in_record(request=request, user=user)


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = "Organisations"

    def ready(self):
        # An organisation deleted from the support admin takes its logo with it.
        delete_files_with_rows(self)
        # Every login is noted beside its session, so the profile page can list where a
        # member is signed in and sign other browsers out.
        user_logged_in.connect(_note_sign_in, dispatch_uid="tenancy-sign-in")
        # Country facts are kept per process by their organisation's version of them.
        from tenancy.models import CountryOverride
        from tenancy.signals import count_country_facts_change

        for signal in (post_save, post_delete):
            signal.connect(
                count_country_facts_change, sender=CountryOverride, dispatch_uid="country-facts"
            )
