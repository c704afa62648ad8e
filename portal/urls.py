"""Top-level URL routes."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal.observability import healthz
from portal.offline import service_worker
from tenancy.views.account import SignOutView

urlpatterns = [
    path("", include("assessments.urls")),
    path("", include("tenancy.urls")),
    path("", include("costs.urls")),
    path("", include("imports.urls")),
    path("", include("invites.urls")),
    path("", include("proposals.urls")),
    path("", include("deals.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.urls_tokens")),
    path("i/", include("invites.urls_customer")),
    path("p/", include("proposals.urls_customer")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("sw.js", service_worker, name="service-worker"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            html_email_template_name="registration/password_reset_email.html",
            extra_email_context={"site_url": settings.SITE_URL},
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("healthz", healthz, name="healthz"),  # normally answered by HealthCheckMiddleware
    path("support/", admin.site.urls),
]
