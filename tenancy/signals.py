"""A change of a partner's country facts, however written, counts in its organisation's row."""

from django.db.models import F

from tenancy.models import CountryOverride, Organisation


def count_country_facts_change(sender, instance: CountryOverride, **kwargs) -> None:
    """Bump the organisation's ``country_facts_version`` (saved or deleted, in its transaction).

    Pages keep the facts they score with per process under this version
    (``assessments.engine_io.fit_options``): every process sees the change on its next page.
    """
    Organisation.objects.filter(pk=instance.organisation_id).update(
        country_facts_version=F("country_facts_version") + 1
    )
