"""Support screens for issued proposals (read only)."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from proposals.models import Proposal


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "customer_name",
        "number",
        "status",
        "issued_by_name",
        "issued_at",
        "page_count",
    ]
    list_filter = ["status", "organisation"]
    search_fields = ["customer_name"]
    exclude = ["document", "results", "branding", "thresholds"]
