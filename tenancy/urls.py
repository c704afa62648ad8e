"""URL routes of the organisation's own screens: members, branding, activity, account."""

from django.urls import path

from tenancy.views import account, branding, countries, organisation

app_name = "tenancy"

urlpatterns = [
    path("brand/<slug:slug>.css", organisation.brand_css, name="brand-css"),
    path("account/", account.profile, name="profile"),
    path("account/password/", account.password_change, name="password-change"),
    path(
        "account/sessions/<int:sign_in_pk>/sign-out/",
        account.session_sign_out,
        name="session-sign-out",
    ),
    path(
        "account/sessions/sign-out-others/",
        account.sessions_sign_out_others,
        name="sessions-sign-out-others",
    ),
    path("organisation/", organisation.organisation_settings, name="organisation-settings"),
    path("organisation/preview/", branding.branding_preview, name="branding-preview"),
    path("organisation/logo/", branding.brand_logo, name="brand-logo"),
    path("brand/<slug:slug>/logo", branding.brand_logo_public, name="brand-logo-public"),
    path(
        "organisation/activity/", organisation.organisation_activity, name="organisation-activity"
    ),
    path("organisation/countries/", countries.country_facts_page, name="country-facts"),
    path("organisation/members/", organisation.member_list, name="member-list"),
    path("organisation/members/<int:member_pk>/", organisation.member_update, name="member-update"),
]
