"""A realistic price book for tests: every line priced, in the partner's own figures."""

from decimal import Decimal

from assessments.services.versioning import Actor
from costs.models import PriceBook
from costs.services import price_book_save

PRICES = {
    "oc_user_month": "9.50",
    "calling_plan_user_month": "12.00",
    "dr_hosted_user_month": "6.50",
    "dr_hosted_channel_month": None,
    "sip_trunk_channel_month": "14.00",
    "tpm_user_month": "8.00",
    "teams_phone_user_month": "8.40",
    "common_area_phone_device_month": "7.20",
    "teams_rooms_pro_room_month": "37.50",
    "resource_account_month": "0",
    "sbc_small": "4800",
    "sbc_medium": "11500",
    "sbc_large": "29000",
    "sbc_session_licence": "32",
    "sbc_support_year": "1450",
    "sbc_certificate_year": "180",
    "gateway_port": "95",
    "porting_number": "6",
    "ps_day": "1150",
    "it_hour": "68",
    "network_remediation_site": None,
}


def fill_price_book(organisation, user, *, currency="EUR", notes=None, **changes):
    """Save a whole price book for ``organisation`` as ``user``; returns what was saved."""
    prices = {**PRICES, **changes}
    return price_book_save(
        organisation=organisation,
        base_version=_version(organisation),
        currency=currency,
        prices={k: None if v is None else Decimal(v) for k, v in prices.items()},
        notes=notes or {},
        actor=Actor.for_user(user),
    )


def _version(organisation) -> int:
    book = PriceBook.objects.filter(organisation=organisation).first()
    return book.version if book else 0
