"""URL routes of the staff screens."""

from django.urls import path

from assessments.views import (
    account,
    branding,
    imports,
    invites,
    organisation,
    pipeline,
    proposals,
    results,
    scenarios,
    staff,
    workshop,
)

app_name = "assessments"

urlpatterns = [
    path("", staff.dashboard, name="dashboard"),
    path("customers/", staff.customer_list, name="customer-list"),
    path("customers/new/", staff.customer_create, name="customer-create"),
    path("customers/<int:pk>/edit/", staff.customer_update, name="customer-update"),
    path("assessments/new/", staff.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", staff.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/edit/", staff.assessment_update, name="assessment-update"),
    path("assessments/<int:pk>/clone/", staff.assessment_clone, name="assessment-clone"),
    path("assessments/<int:pk>/delete/", staff.assessment_delete, name="assessment-delete"),
    path("assessments/<int:pk>/results/", results.assessment_results, name="results"),
    path("assessments/<int:pk>/what-if/", scenarios.scenario_list, name="scenarios"),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/",
        scenarios.scenario_detail,
        name="scenario",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/change/",
        scenarios.scenario_change_add,
        name="scenario-change-add",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/change/remove/",
        scenarios.scenario_change_remove,
        name="scenario-change-remove",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/promote/",
        scenarios.scenario_promote,
        name="scenario-promote",
    ),
    path(
        "assessments/<int:pk>/what-if/<int:scenario_pk>/delete/",
        scenarios.scenario_delete,
        name="scenario-delete",
    ),
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
        "assessments/<int:pk>/proposal/compare/",
        proposals.proposal_compare,
        name="proposal-compare",
    ),
    path("pipeline/", pipeline.pipeline, name="pipeline"),
    path("pipeline/export.csv", pipeline.pipeline_csv, name="pipeline-csv"),
    path("assessments/<int:pk>/questions/", staff.questionnaire, name="questionnaire"),
    path(
        "assessments/<int:pk>/questions/autosave/",
        workshop.questionnaire_autosave,
        name="questionnaire-autosave",
    ),
    path("assessments/<int:pk>/sites/", workshop.site_grid, name="site-grid"),
    path("assessments/<int:pk>/sites/add/", workshop.site_row_create, name="site-row-create"),
    path("assessments/<int:pk>/sites/bulk/", workshop.site_bulk_set, name="site-bulk-set"),
    path("assessments/<int:pk>/sites/<int:site_pk>/row/", workshop.site_row, name="site-row"),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/row/save/",
        workshop.site_row_save,
        name="site-row-save",
    ),
    path("assessments/<int:pk>/sites/new/", staff.site_create, name="site-create"),
    path("assessments/<int:pk>/sites/<int:site_pk>/", staff.site_update, name="site-update"),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/clone/",
        workshop.site_row_clone,
        name="site-clone",
    ),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/delete/",
        workshop.site_row_delete,
        name="site-delete",
    ),
    path("assessments/<int:pk>/sites/import/", imports.site_import, name="site-import"),
    path(
        "assessments/<int:pk>/sites/import/template.csv",
        imports.site_import_template,
        {"fmt": "csv"},
        name="site-import-template-csv",
    ),
    path(
        "assessments/<int:pk>/sites/import/template.xlsx",
        imports.site_import_template,
        {"fmt": "xlsx"},
        name="site-import-template-xlsx",
    ),
    path(
        "assessments/<int:pk>/sites/import/preview/",
        imports.site_import_preview,
        name="site-import-preview",
    ),
    path(
        "assessments/<int:pk>/sites/import/commit/",
        imports.site_import_commit,
        name="site-import-commit",
    ),
    path(
        "assessments/<int:pk>/sites/import/rejected.csv",
        imports.site_import_rejected,
        name="site-import-rejected",
    ),
    path(
        "assessments/<int:pk>/sites/import/discard/",
        imports.site_import_discard,
        name="site-import-discard",
    ),
    path(
        "assessments/<int:pk>/sites/export.csv",
        imports.site_export,
        {"fmt": "csv"},
        name="site-export-csv",
    ),
    path(
        "assessments/<int:pk>/sites/export.xlsx",
        imports.site_export,
        {"fmt": "xlsx"},
        name="site-export-xlsx",
    ),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/measurements/",
        imports.site_measurements,
        name="site-measurements",
    ),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/measurements/import/",
        imports.measurement_upload,
        name="measurement-upload",
    ),
    path(
        "assessments/<int:pk>/sites/<int:site_pk>/measurements/paste/",
        imports.measurement_paste,
        name="measurement-paste",
    ),
    path("brand/<slug:slug>.css", organisation.brand_css, name="brand-css"),
    path("account/tokens/", account.api_tokens, name="api-tokens"),
    path(
        "account/tokens/<int:token_pk>/revoke/", account.api_token_revoke, name="api-token-revoke"
    ),
    path("organisation/", organisation.organisation_settings, name="organisation-settings"),
    path("organisation/preview/", branding.branding_preview, name="branding-preview"),
    path("organisation/logo/", branding.brand_logo, name="brand-logo"),
    path("brand/<slug:slug>/logo", branding.brand_logo_public, name="brand-logo-public"),
    path(
        "organisation/activity/", organisation.organisation_activity, name="organisation-activity"
    ),
    path("organisation/members/", organisation.member_list, name="member-list"),
    path("organisation/members/<int:member_pk>/", organisation.member_update, name="member-update"),
    path("assessments/<int:pk>/invites/", invites.invite_list, name="invites"),
    path("assessments/<int:pk>/invites/revoke/", invites.invite_revoke, name="invite-revoke"),
    path("assessments/<int:pk>/invites/resend/", invites.invite_resend, name="invite-resend"),
    path("assessments/<int:pk>/reopen/", invites.assessment_reopen, name="assessment-reopen"),
    path("assessments/<int:pk>/activity/", invites.assessment_activity, name="activity"),
]
