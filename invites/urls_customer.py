"""URL routes of invite links: /i/<token>/… (the customer's questionnaire, no account)."""

from django.urls import path

from invites.views import customer as invite

app_name = "invite"

urlpatterns = [
    path("<str:token>/", invite.start, name="start"),
    path("<str:token>/organisation/", invite.organisation, name="organisation"),
    path(
        "<str:token>/organisation/autosave/",
        invite.organisation_autosave,
        name="organisation-autosave",
    ),
    path("<str:token>/voice/", invite.voice, name="voice"),
    path("<str:token>/voice/autosave/", invite.voice_autosave, name="voice-autosave"),
    path("<str:token>/sites/", invite.sites, name="sites"),
    path("<str:token>/sites/new/", invite.site_create, name="site-create"),
    path("<str:token>/sites/upload/", invite.sites_upload, name="sites-upload"),
    path(
        "<str:token>/sites/upload/template.csv",
        invite.sites_upload_template,
        name="sites-upload-template",
    ),
    path(
        "<str:token>/sites/upload/preview/",
        invite.sites_upload_preview,
        name="sites-upload-preview",
    ),
    path(
        "<str:token>/sites/upload/rejected-rows.csv",
        invite.sites_upload_rejected,
        name="sites-upload-rejected",
    ),
    path(
        "<str:token>/sites/upload/confirm/",
        invite.sites_upload_confirm,
        name="sites-upload-confirm",
    ),
    path(
        "<str:token>/sites/upload/discard/",
        invite.sites_upload_discard,
        name="sites-upload-discard",
    ),
    path("<str:token>/sites/<int:site_pk>/", invite.site_update, name="site-update"),
    path("<str:token>/sites/<int:site_pk>/autosave/", invite.site_autosave, name="site-autosave"),
    path("<str:token>/sites/<int:site_pk>/remove/", invite.site_delete, name="site-delete"),
    path("<str:token>/measurements/", invite.measurements, name="measurements"),
    path(
        "<str:token>/measurements/<int:site_pk>/",
        invite.measurements_site,
        name="measurements-site",
    ),
    path(
        "<str:token>/measurements/<int:site_pk>/upload/",
        invite.measurement_upload,
        name="measurement-upload",
    ),
    path(
        "<str:token>/measurements/<int:site_pk>/figures/",
        invite.measurement_figures,
        name="measurement-figures",
    ),
    path("<str:token>/review/", invite.review, name="review"),
    path("<str:token>/submit/", invite.submit, name="submit"),
    path("<str:token>/results/", invite.results, name="results"),
]
