"""The demo partners' price books: realistic figures of their own, marked as illustrative."""

from decimal import Decimal

from assessments.services.versioning import Actor
from costs.services import price_book_save
from tenancy.models import Organisation

ILLUSTRATIVE = "Illustrative demo figure: {partner}'s own price, not a quote and not Microsoft's."

# (currency, {line: price or None}, {line: note beyond the illustrative one})
DEMO_BOOKS: dict[str, tuple[str, dict[str, str | None], dict[str, str]]] = {
    # A UK partner, in pounds.
    "northwind": (
        "GBP",
        {
            "oc_user_month": "7.50",
            "calling_plan_user_month": "9.40",
            "dr_hosted_user_month": "5.50",
            "dr_hosted_channel_month": None,
            "sip_trunk_channel_month": "9.00",
            "tpm_user_month": "6.00",
            "teams_phone_user_month": "7.50",
            "common_area_phone_device_month": "6.00",
            "teams_rooms_pro_room_month": "30.00",
            "resource_account_month": "0",
            "sbc_small": "3900",
            "sbc_medium": "9800",
            "sbc_large": "26500",
            "sbc_session_licence": "28",
            "sbc_support_year": "1200",
            "sbc_certificate_year": "150",
            "gateway_port": "85",
            "porting_number": "5",
            "ps_day": "950",
            "it_hour": "55",
            "network_remediation_site": "2500",
        },
        {
            "dr_hosted_channel_month": "Hosted Direct Routing is sold per user only.",
            "resource_account_month": (
                "Only accounts past Microsoft's free allotment; set-up is in the services days."
            ),
        },
    ),
    # A German partner, in euros.
    "fabrikam": (
        "EUR",
        {
            "oc_user_month": "8.90",
            "calling_plan_user_month": "11.20",
            "dr_hosted_user_month": None,
            "dr_hosted_channel_month": "19.00",
            "sip_trunk_channel_month": "11.00",
            "tpm_user_month": "7.20",
            "teams_phone_user_month": "8.40",
            "common_area_phone_device_month": "7.20",
            "teams_rooms_pro_room_month": "37.50",
            "resource_account_month": "0",
            "sbc_small": "4500",
            "sbc_medium": "11200",
            "sbc_large": "29800",
            "sbc_session_licence": "32",
            "sbc_support_year": "1400",
            "sbc_certificate_year": "180",
            "gateway_port": "95",
            "porting_number": "7.50",
            "ps_day": "1150",
            "it_hour": "68",
            "network_remediation_site": None,
        },
        {
            "dr_hosted_user_month": "Hosted Direct Routing is sold per channel only.",
            "network_remediation_site": "Quoted per site after a survey, so left out.",
        },
    ),
}


def demo_price_book_seed(*, organisation: Organisation, admin) -> None:
    """Give a demo organisation its price book, saved by its admin as version 1.

    Args:
        organisation: A demo organisation (by its slug in :data:`DEMO_BOOKS`); others
            are left without a book.
        admin: The admin who saves it.
    """
    if organisation.slug not in DEMO_BOOKS:
        return
    currency, prices, notes = DEMO_BOOKS[organisation.slug]
    illustrative = ILLUSTRATIVE.format(partner=organisation.display_name)
    price_book_save(
        organisation=organisation,
        base_version=0,
        currency=currency,
        prices={key: None if p is None else Decimal(p) for key, p in prices.items()},
        notes={
            key: f"{notes[key]} {illustrative}" if key in notes else illustrative for key in prices
        },
        actor=Actor.for_user(admin),
    )
