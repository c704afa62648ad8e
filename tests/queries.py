"""Test helper: a page as a user gets it, with the SQL it ran."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_and_sql(client, url: str) -> tuple[str, str]:
    """The page's HTML (asserted a 200) and every query it ran, one text."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), "\n".join(q["sql"] for q in queries.captured_queries)
