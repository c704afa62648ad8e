"""The JSON API: score a document; import, export and score stored assessments."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from api.models import ApiToken, hash_token
from assessments import engine_io
from assessments.models import Assessment
from assessments.schema.document import DocumentError, load_document, parse_json
from assessments.services.costs import costs_for, price_book_of
from assessments.services.documents import (
    assessment_export,
    assessment_import,
    document_rows,
    result_payload,
)
from assessments.services.versioning import Actor
from scoring import score_assessment
from scoring.costs import cost_of_ownership
from tenancy.models import Membership
from tenancy.permissions import EDITOR_ROLES

MAX_BODY = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _error(status: int, message: str, errors: list[str] | None = None) -> JsonResponse:
    body = {"error": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def token_required(view: Callable) -> Callable:
    """Authenticate ``Authorization: Bearer <token>``; the token acts as its user."""

    @csrf_exempt  # no cookies are used: a bearer token cannot be forged cross-site
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            response = _error(401, "Send an API token: Authorization: Bearer <token>.")
            response["WWW-Authenticate"] = "Bearer"
            return response
        token = (
            ApiToken.objects.select_related("user__membership__organisation")
            .filter(key_hash=hash_token(raw.strip()), revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            response = _error(401, "This API token is unknown, revoked or its user is disabled.")
            response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        try:
            membership = token.user.membership
        except Membership.DoesNotExist:
            return _error(403, "The token's user does not belong to a partner organisation.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request.user = token.user
        request.membership = membership
        request.organisation = membership.organisation
        return view(request, *args, **kwargs)

    return wrapped


def _json_body(request: HttpRequest):
    """The parsed body, or an error response explaining what is wrong with it.

    The parse is bounded (nesting depth, number length) and refuses text no database
    column can store (NUL, lone surrogates), so nothing later fails on it.
    """
    if len(request.body) > MAX_BODY:
        return None, _error(413, f"The document is larger than {MAX_BODY // (1024 * 1024)} MB.")
    try:
        return parse_json(request.body.decode("utf-8")), None
    except UnicodeDecodeError:
        return None, _error(400, "The body is not UTF-8 text.")
    except DocumentError as exc:
        return None, _error(400, f"The body was refused: {exc.errors[0]}.")


@token_required
@require_http_methods(["POST"])
def score_document(request: HttpRequest) -> HttpResponse:
    """Score a whole-assessment document without storing anything."""
    data, problem = _json_body(request)
    if problem:
        return problem
    try:
        assessment = load_document(data)
        document_rows(assessment)  # the models' rules too: scored means storable
    except DocumentError as exc:
        return _error(400, "The document is not a valid assessment.", exc.errors)
    options = engine_io.fit_options(request.organisation.pk)  # the partner's country facts
    result = score_assessment(assessment, options)
    # What it costs, from the token's partner's price book.
    costs = cost_of_ownership(result, assessment, price_book_of(request.organisation.pk))
    return JsonResponse(result_payload(result, costs))


@token_required
@require_http_methods(["POST"])
def assessment_create(request: HttpRequest) -> HttpResponse:
    """Store a document as a new assessment of the token's organisation."""
    if request.membership.role not in EDITOR_ROLES:
        return _error(403, "Your role does not allow creating assessments.")
    data, problem = _json_body(request)
    if problem:
        return problem
    try:
        assessment = assessment_import(
            organisation=request.organisation,
            owner=request.user,
            document=data,
            actor=Actor.for_user(request.user),
        )
    except DocumentError as exc:
        return _error(400, "The document is not a valid assessment.", exc.errors)
    except IntegrityError:  # the same new customer created by a parallel request
        return _error(409, "Another request stored the same customer just now: send it again.")
    body = {
        "id": assessment.pk,
        "url": request.build_absolute_uri(
            reverse("assessments:assessment-detail", args=[assessment.pk])
        ),
        "results": reverse("api:assessment-results", args=[assessment.pk]),
    }
    return JsonResponse(body, status=201)


def _assessment(request: HttpRequest, pk: int) -> Assessment | None:
    return (
        Assessment.objects.visible_to(request.user).select_related("customer").filter(pk=pk).first()
    )


@token_required
@require_http_methods(["GET"])
def assessment_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Export a stored assessment as a document."""
    assessment = _assessment(request, pk)
    if assessment is None:
        return _error(404, "No such assessment.")
    return JsonResponse(assessment_export(assessment))


@token_required
@require_http_methods(["GET"])
def assessment_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Score a stored assessment as it is now."""
    assessment = _assessment(request, pk)
    if assessment is None:
        return _error(404, "No such assessment.")
    result = engine_io.score(assessment)
    return JsonResponse(result_payload(result, costs_for(assessment, result=result)))
