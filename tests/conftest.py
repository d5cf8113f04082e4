import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _media_root():
    """Uploaded photos go to a temporary folder, never to the project's media/."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-test-media-"))
    original = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = folder
    yield folder
    settings.MEDIA_ROOT = original
    shutil.rmtree(folder, ignore_errors=True)
