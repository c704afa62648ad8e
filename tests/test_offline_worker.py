"""The service worker is served at the site's root, and logging out clears what it kept."""

from django.urls import reverse

from tests.factories import PASSWORD


def test_the_service_worker_is_served_at_the_root_to_anyone_and_checked_on_every_visit(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    # Checked for a new version on each visit, so a fix reaches every browser at once.
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    # Network first, and only GETs: a save is never answered from a cache.
    assert 'request.method !== "GET"' in source
    assert client.post("/sw.js").status_code == 405


def test_logging_out_tells_the_browser_to_drop_the_pages_and_edits_kept_offline(client, world):
    assert client.login(username=world.owner.username, password=PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code in (200, 302)
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
