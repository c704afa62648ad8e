"""The service worker at the site's root, and a logout that clears what it kept offline."""

from django.contrib.auth import views as auth_views
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

SERVICE_WORKER = "js/service-worker.js"


def _service_worker_source() -> bytes:
    # The source folder in development and tests; the collected files in production.
    found = finders.find(SERVICE_WORKER)
    if found:
        with open(found, "rb") as source:
            return source.read()
    with staticfiles_storage.open(SERVICE_WORKER) as source:
        return source.read()


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, served from ``/sw.js`` so that it may serve every page.

    A worker's scope is the folder it is served from: under ``/static/`` it could keep
    nothing but static files. Browsers check it for updates on every visit (no-cache).
    """
    response = HttpResponse(_service_worker_source(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


class LogoutView(auth_views.LogoutView):
    """Log out, and have the browser drop the pages and queued edits kept for offline use.

    The pages the service worker kept show this user's customers: the next person at the
    same browser must not open them offline. The page's script clears them too (and asks
    first when edits are still waiting); the header covers a browser without it.
    """

    def post(self, request, *args, **kwargs):
        """Log out; the answer tells the browser to clear its caches and site storage."""
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
