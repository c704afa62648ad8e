"""Support screens for issued proposals, their customer links and decisions (read only)."""

from django.contrib import admin

from portal.admin import ReadOnlyAdmin
from proposals.models import Proposal, ProposalDecision, ProposalLink


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


@admin.register(ProposalLink)
class ProposalLinkAdmin(ReadOnlyAdmin):
    list_display = ["contact_name", "email", "proposal", "expires_at", "revoked_at", "open_count"]
    list_filter = ["organisation"]
    list_select_related = ["proposal"]
    search_fields = ["contact_name", "email"]
    # The token's hash is of no use to support, and better not shown anywhere.
    exclude = ["token_hash"]


@admin.register(ProposalDecision)
class ProposalDecisionAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "kind", "full_name", "title", "decided_at"]
    list_filter = ["kind", "organisation"]
    list_select_related = ["proposal"]
    search_fields = ["full_name"]
