"""An API token of the world's owner and the exported document of Contoso's assessment."""

import pytest

from api.models import ApiToken
from assessments.services.documents import assessment_export


@pytest.fixture
def token(world):
    _token, raw = ApiToken.issue(user=world.owner, name="script")
    return raw


@pytest.fixture
def document(world):
    return assessment_export(world.assessment)
