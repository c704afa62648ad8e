"""URL routes of a member's API tokens (under the account pages)."""

from django.urls import path

from api import tokens

app_name = "tokens"

urlpatterns = [
    path("account/tokens/", tokens.api_tokens, name="list"),
    path("account/tokens/<int:token_pk>/revoke/", tokens.api_token_revoke, name="revoke"),
]
