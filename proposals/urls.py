"""URL routes of an assessment's proposal: preview, issue, download, compare, customer links."""

from django.urls import path

from proposals import views as proposals

app_name = "proposals"

urlpatterns = [
    path("assessments/<int:pk>/proposal/", proposals.proposal_page, name="proposal"),
    path(
        "assessments/<int:pk>/proposal/status/", proposals.proposal_status, name="proposal-status"
    ),
    path(
        "assessments/<int:pk>/proposal/preview.pdf",
        proposals.proposal_preview,
        name="proposal-preview",
    ),
    path(
        "assessments/<int:pk>/proposal/preview/prepare/",
        proposals.proposal_preview_prepare,
        name="proposal-preview-prepare",
    ),
    path(
        "assessments/<int:pk>/proposal/preview/status/",
        proposals.proposal_preview_status,
        name="proposal-preview-status",
    ),
    path("assessments/<int:pk>/proposal/issue/", proposals.proposal_issue, name="proposal-issue"),
    path("assessments/<int:pk>/proposal/retry/", proposals.proposal_retry, name="proposal-retry"),
    path(
        "assessments/<int:pk>/proposal/download/",
        proposals.proposal_download,
        name="proposal-download",
    ),
    path(
        "assessments/<int:pk>/proposal/annex/",
        proposals.proposal_annex_download,
        name="proposal-annex",
    ),
    path(
        "assessments/<int:pk>/proposal/annex/retry/",
        proposals.proposal_annex_retry,
        name="proposal-annex-retry",
    ),
    path(
        "assessments/<int:pk>/proposal/compare/",
        proposals.proposal_compare,
        name="proposal-compare",
    ),
    path("assessments/<int:pk>/proposal/story/", proposals.proposal_story, name="proposal-story"),
    path(
        "assessments/<int:pk>/proposal/links/",
        proposals.proposal_link_create,
        name="proposal-link-create",
    ),
    path(
        "assessments/<int:pk>/proposal/links/revoke/",
        proposals.proposal_link_revoke,
        name="proposal-link-revoke",
    ),
]
