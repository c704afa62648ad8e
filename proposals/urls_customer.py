"""URL routes of customer proposal links: /p/<token>/… (read, download, decide; no account)."""

from django.urls import path

from proposals import customer

app_name = "proposal-link"

urlpatterns = [
    path("<str:token>/", customer.view, name="view"),
    path("<str:token>/proposal.pdf", customer.download, name="download"),
    path("<str:token>/decide/", customer.decide, name="decide"),
    path("<str:token>/brand.css", customer.brand_css, name="brand-css"),
]
