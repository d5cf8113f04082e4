"""Settings of the worker processes that tests/worker/test_worker_process.py starts:
the project's, with a storage that can hold a rendition build half-way."""

from newsroom.settings import *  # noqa: F403
from newsroom.settings import STORAGES

STORAGES = {**STORAGES, "default": {"BACKEND": "tests.worker.pausing.PausingStorage"}}
