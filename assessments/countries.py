"""Country names and codes from django-countries that never raise on odd text."""

from django_countries import countries


def country_name(code: str) -> str:
    """The country's English name for a code (alpha-2, alpha-3 or numeric), "" for none.

    django-countries reads any text whose ``str.isdigit()`` is true as a numeric code and
    calls ``int()`` on it, which raises for digits such as "²": such text is no country.
    """
    try:
        return countries.name(code)
    except ValueError:
        return ""


def country_alpha2(code: str) -> str:
    """The alpha-2 code for a code (alpha-2, alpha-3 or numeric), "" for none."""
    try:
        return countries.alpha2(code)
    except ValueError:
        return ""
