"""Direct Routing regions: which of Microsoft's SIP proxy regions serves a country."""

from __future__ import annotations


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Microsoft runs Direct Routing's SIP proxies in three regions (Americas, EMEA, Asia
# Pacific) and an SBC pairs with the nearest (docs/costs.md, S14 "Plan Direct Routing").
# One high-availability pair per region the sites are in; countries not listed are EMEA.
AMERICAS = _codes(
    "US CA MX BR AR CL CO PE VE EC BO PY UY GT HN SV NI CR PA CU DO HT JM "
    "TT BS BB BZ GY SR PR AG DM GD KN LC VC AW CW SX BM KY TC VG VI GP MQ GF"
)
APAC = _codes(
    "AU NZ JP KR CN HK MO TW SG MY TH VN PH ID IN PK BD LK NP BT MV MM "
    "KH LA MN BN TL FJ PG SB VU NC PF WS TO KI FM MH PW NR TV GU MP AS CK"
)
REGION_LABELS = {"americas": "Americas", "emea": "Europe, Middle East and Africa",
                 "apac": "Asia Pacific"}  # fmt: skip


def region_of(country: str) -> str:
    """The Direct Routing region of a country (ISO 3166-1 alpha-2).

    Args:
        country: The site's country code.

    Returns:
        ``"americas"``, ``"apac"`` or ``"emea"``.
    """
    if country in AMERICAS:
        return "americas"
    if country in APAC:
        return "apac"
    return "emea"
