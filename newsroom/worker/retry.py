"""Retries for tasks that fail, by enqueueing the next attempt later.

django_tasks_db runs a task once: an exception marks its row FAILED with the
traceback, and nothing runs it again. Our tasks take an ``attempt`` argument;
``retrying`` enqueues attempt + 1 after a growing delay (``run_after``), then lets
the exception through, so the admin shows this attempt as failed with its error
and the next one as pending. The immediate backend (development) cannot defer a
task: there the failure is only logged, as before.
"""

import contextlib
from datetime import timedelta

from django.utils import timezone

MAX_ATTEMPTS = 5
FIRST_DELAY = 10  # seconds; then ×3: 10 s, 30 s, 1.5 min, 4.5 min


def delay(attempt):
    return timedelta(seconds=FIRST_DELAY * 3 ** (attempt - 1))


def retry_later(task, *args, attempt, **kwargs):
    """Enqueue attempt ``attempt + 1`` of ``task``; False when the attempts are
    used up or the backend cannot run a task later."""
    if attempt >= MAX_ATTEMPTS or not task.get_backend().supports_defer:
        return False
    later = task.using(run_after=timezone.now() + delay(attempt))
    later.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True


@contextlib.contextmanager
def retrying(task, *args, attempt, **kwargs):
    """Run the block; if it raises, queue the next attempt and re-raise."""
    try:
        yield
    except Exception:
        retry_later(task, *args, attempt=attempt, **kwargs)
        raise
