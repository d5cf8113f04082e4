import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings


@pytest.fixture(autouse=True, scope="session")
def _media_root():
    """Uploaded photos go to a temporary folder, never to the project's media/."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-test-media-"))
    original = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = folder
    yield folder
    settings.MEDIA_ROOT = original
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """PBKDF2's production cost (~0.3 s a user) is not what the tests test."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty default cache: rate-limit counters, spent
    render tokens and login failures of one test never reach the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _no_page_cache(request, settings):
    """The app's page cache is off unless a test turns it on (tests/articles/
    test_page_cache.py): the other tests change rows directly, without purges."""
    if "page_cache" not in request.keywords:
        settings.NEWSROOM = {
            **settings.NEWSROOM, "PAGE_CACHE_SECONDS": 0, "FRAGMENT_CACHE_SECONDS": 0
        }


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto, its own process) for the whole run,
    started only when a test asks for it, stopped at the end (tests/s3.py)."""
    from tests.s3 import S3Server

    server = S3Server().start()
    yield server
    server.stop()
