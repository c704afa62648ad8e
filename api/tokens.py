"""A member's personal API tokens: create one (shown once), list them, revoke one."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api.models import ApiToken
from tenancy.permissions import member_required


class TokenForm(forms.Form):
    """A new token's name, so its owner knows what uses it."""

    name = forms.CharField(max_length=80, help_text="What will use it, e.g. “CRM sync”.")


@member_required()
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The member's tokens, and a form that creates one (its value shown this once)."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        token, new_token = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
        messages.success(request, f"Token “{token.name}” created. Copy it now: it is shown once.")
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
    )


@require_POST
@member_required()
def api_token_revoke(request: HttpRequest, token_pk: int) -> HttpResponse:
    """Revoke one of the member's own active tokens (another's is a 404)."""
    token = get_object_or_404(ApiToken, pk=token_pk, user=request.user, revoked_at__isnull=True)
    token.revoke()
    messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("tokens:list")
