"""Pure engine tests: importable without pytest-django (run with ``-p no:django``)."""

import os
import sys
from pathlib import Path

from hypothesis import settings
from hypothesis.errors import InvalidArgument

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# Run alone (with scoring/tests/pytest.ini) the root conftest.py, which registers the shared
# Hypothesis profile, is out of reach: register the same one here, so the engine's property
# tests draw the same examples either way.
try:
    settings.get_profile("portal")
except InvalidArgument:
    settings.register_profile("portal", derandomize=os.environ.get("FUZZ_RANDOM") != "1")
