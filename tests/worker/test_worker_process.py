"""A real worker process (``manage.py run_worker``) against the test database.

The worker is a subprocess with its own connections, so the test data must be
committed (``TransactionTestCase``) in a database both can open: PostgreSQL (CI
runs the suite on it). The in-memory SQLite test database is invisible to another
process, so these tests skip there.

* a saved photo: the request only queues the task; pages show the original while
  no worker runs; a worker builds every rendition, then pages use them;
* a worker SIGKILLed in the middle of a build (``tests/worker/pausing.py`` holds
  it after its first file): the next worker sees the dead one's heartbeat stop,
  runs the task again, and builds only the files the first one had not written;
* a proxy purge that fails is retried later for that proxy alone.
"""

import http.server
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from unittest import skipUnless

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from articles import renditions
from articles.purges import purge_proxies
from newsroom.worker.models import QueuedTask
from tests.factories import add_photo, image_upload, make_article, make_photo

DB_BACKEND = "django_tasks_db.DatabaseBackend"
DEADLINE = 90  # seconds: generous, the machine is shared


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def wait_for(predicate, what):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def stored(photo_id):
    try:
        _dirs, files = default_storage.listdir(f"renditions/{photo_id}")
    except FileNotFoundError:
        return set()
    return {f"renditions/{photo_id}/{name}" for name in files}


@skipUnless(connection.vendor == "postgresql",
            "the worker process needs a database it can open: PostgreSQL (the in-memory "
            "SQLite test database is invisible to other processes)")
@override_settings(TASKS={"default": {"BACKEND": DB_BACKEND}})
class WorkerProcessTests(TransactionTestCase):
    def setUp(self):
        self.scratch = Path(tempfile.mkdtemp(prefix="newsroom-worker-"))

    def start_worker(self, worker_id, *options, **environ):
        env = {
            key: value for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_REPLICA_URLS"}
        }
        env.update({
            "DJANGO_SETTINGS_MODULE": "tests.worker.worker_settings",
            "DATABASE_URL": database_url(),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "NEWSROOM_TASKS_BACKEND": DB_BACKEND,
            "NEWSROOM_WORKER_HEARTBEAT_SECONDS": "0.5",
            **environ,
        })
        log = open(self.scratch / f"{worker_id}.log", "wb")  # noqa: SIM115 (closed at cleanup)
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay",
             "--interval", "0.1", "--worker-id", worker_id, *options],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )

        def stop():
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
            log.close()

        self.addCleanup(stop)
        return process

    def worker_log(self, worker_id):
        return (self.scratch / f"{worker_id}.log").read_text(errors="replace")

    def renditions_task(self, photo):
        return QueuedTask.objects.get(
            task_path="articles.tasks.build_renditions", args_kwargs__args=[photo.pk]
        )

    def test_a_saved_photo_waits_for_the_worker_which_builds_its_renditions(self):
        photo = make_photo(upload=image_upload(size=(900, 600)))
        article = make_article()
        add_photo(article, photo, is_lead=True)
        task = self.renditions_task(photo)
        self.assertEqual(task.status, TaskResultStatus.READY)  # queued by the save, not run
        self.assertEqual(stored(photo.pk), set())

        # No worker: the page still shows the photo, as its original file.
        page = self.client.get(article.get_absolute_url()).content.decode()
        self.assertIn(photo.image.url, page)
        self.assertNotIn("/renditions/", page)

        self.start_worker("worker-one")
        wait_for(lambda: self.renditions_task(photo).status == TaskResultStatus.SUCCESSFUL,
                 "the worker to build the renditions")
        names = renditions.standard_names(photo)
        self.assertEqual(stored(photo.pk), names)
        task = self.renditions_task(photo)
        self.assertEqual(task.return_value, len(names))
        self.assertEqual(task.worker_ids, ["worker-one"])

        page = self.client.get(article.get_absolute_url()).content.decode()
        self.assertIn(f"/renditions/{photo.pk}/", page)

    def test_a_worker_killed_mid_task_is_replaced_and_nothing_is_built_twice(self):
        paused = self.scratch / "paused"
        photo = make_photo(upload=image_upload(size=(900, 600)))
        first = self.start_worker("worker-killed", NEWSROOM_TEST_PAUSE_FILE=str(paused))
        wait_for(paused.exists, "the first worker to stop half-way")
        [(done, stat)] = [(name, os.stat(default_storage.path(name))) for name in stored(photo.pk)]
        task = self.renditions_task(photo)
        self.assertEqual(task.status, TaskResultStatus.RUNNING)
        self.assertEqual(task.worker_ids, ["worker-killed"])

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        self.assertEqual(self.renditions_task(photo).status, TaskResultStatus.RUNNING)

        self.start_worker("worker-next", NEWSROOM_TEST_PAUSE_FILE=str(paused))
        wait_for(lambda: self.renditions_task(photo).status == TaskResultStatus.SUCCESSFUL,
                 "the next worker to run the task again")
        task = self.renditions_task(photo)
        self.assertEqual(task.worker_ids, ["worker-killed", "worker-next"])
        names = renditions.standard_names(photo)
        self.assertEqual(stored(photo.pk), names)  # all of them, and no half-written leftovers
        self.assertEqual(task.return_value, len(names) - 1)  # only the missing ones
        again = os.stat(default_storage.path(done))
        self.assertEqual((again.st_ino, again.st_mtime_ns), (stat.st_ino, stat.st_mtime_ns))
        self.assertIn("Put back 1 task(s) of a worker that died", self.worker_log("worker-next"))

    def test_a_failed_proxy_purge_is_retried_later_for_that_proxy_alone(self):
        purged = []

        class Proxy(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
                purged.append(self.headers["xkey-purge"])
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        with socket.socket() as closed:  # a port nobody listens on
            closed.bind(("127.0.0.1", 0))
            down = f"http://127.0.0.1:{closed.getsockname()[1]}/"
        up = f"http://127.0.0.1:{server.server_address[1]}/"

        purge_proxies.enqueue(["article-7", "home"], [up, down])
        worker = self.start_worker("worker-batch", "--batch")
        self.assertEqual(worker.wait(timeout=DEADLINE), 0)

        self.assertEqual(purged, ["article-7 home"])
        failed = QueuedTask.objects.get(status=TaskResultStatus.FAILED)
        self.assertEqual(failed.exception_class_path, "articles.purges.PurgeFailed")
        self.assertIn(down, failed.traceback)
        retry = QueuedTask.objects.get(status=TaskResultStatus.READY)
        self.assertEqual(retry.args_kwargs, {"args": [["article-7", "home"], [down]],
                                             "kwargs": {"attempt": 2}})
        self.assertGreater(retry.run_after, timezone.now())  # later, not at once
