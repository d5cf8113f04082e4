"""Several app servers at once (issue 12, point 5): nothing assumes one process.

Two gunicorn processes (deploy/gunicorn.conf.py, one worker each, DEBUG off),
the same PostgreSQL test database and a Redis of our own: a change made through
one (a section renamed, a word of the word list edited, an article published,
in the admin of server A) is seen at once by the other (server B's page cache,
menu and comment moderation); a login on one is a login on both (sessions in
the database); the posting rate limit counts across both; both ride out a Redis
outage with no stale page after it; and two machines running
``publish_scheduled`` at the same moment publish each article once.
"""

import http.client
import json
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from unittest import skipUnless
from urllib.parse import urlencode

import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from articles.models import Article, Event, Role
from comments.models import Comment, Word
from tests.engines import RedisServer, free_port, need_redis_server
from tests.factories import add_credit, add_photo, make_article, make_photo, make_section, make_user
from tests.forms import BrowserForm
from tests.newsroom.test_deploy import clean_environment

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
PASSWORD = "mat-khau-thu-nghiem-2026"
RATE_PER_CLIENT = 3


def database_url():
    """The test database this process uses, as DATABASE_URL for another process."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Browser:
    """One reader or editor talking to one server: cookies kept between requests."""

    def __init__(self, port, address="203.0.113.7"):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, path, method="GET", data=None, headers=None):
        headers = {"X-Real-IP": self.address, **(headers or {})}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = raw.status, raw.headers, raw.read().decode()
        finally:
            conn.close()
        for cookie in response[1].get_all("Set-Cookie", []):
            name, value = cookie.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response

    def get(self, path):
        return self.request(path)

    def post(self, path, data):
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self.request(path, "POST", data, headers={"Referer": f"http://127.0.0.1:{self.port}/"})

    def log_in(self, username="quantri"):
        self.get("/admin/login/")
        status, headers, body = self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": PASSWORD, "next": "/admin/"},
        )
        assert status == 302, body[:2000]

    def submit(self, path, form_id, **changes):
        """Submit the admin form ``form_id`` at ``path`` as a browser would, with
        ``changes``."""
        status, _headers, body = self.get(path)
        assert status == 200, (path, status)
        parser = BrowserForm(form_id)
        parser.feed(body)
        return self.post(path, {**parser.data(), **changes, "_save": "Lưu"})


def wait_until_up(port, process):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn on {port} exited with {process.returncode}")
        try:
            if Browser(port).get("/robots.txt")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"gunicorn did not answer on port {port}")


@skipUnless(
    connection.vendor == "postgresql",
    "two app servers share one database: SQLite's file is not a server (needs PostgreSQL)",
)
class TwoAppServersTests(TransactionTestCase):
    """Every row is made here; the superuser needs no group. (No
    serialized_rollback: after another transactional test's flush, restoring the
    migrations' content types collides with the ones made again.)"""

    @classmethod
    def setUpClass(cls):
        need_redis_server()
        super().setUpClass()
        cls.folder = Path(tempfile.mkdtemp(prefix="newsroom-test-servers-"))
        cls.redis = RedisServer().start()
        cls.env = clean_environment(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=database_url(),
            DJANGO_STATIC_ROOT=str(cls.folder / "static"),
            DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
            REDIS_URL=cls.redis.url,
            NEWSROOM_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
            NEWSROOM_COMMENTS_MIN_SECONDS="0",
            NEWSROOM_COMMENTS_MODE="post",
            NEWSROOM_COMMENTS_RATE_PER_CLIENT=f"{RATE_PER_CLIENT}/3600",
            NEWSROOM_PAGE_CACHE_SECONDS="600",
            GUNICORN_WORKERS="1",
            GUNICORN_GRACEFUL_TIMEOUT="5",
            GUNICORN_ACCESS_LOG="",
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            env=cls.env, cwd=ROOT, check=True, timeout=300,
        )
        cls.log = open(cls.folder / "servers.log", "w")  # noqa: SIM115 - closed at teardown

    @classmethod
    def tearDownClass(cls):
        cls.log.close()
        print((cls.folder / "servers.log").read_text()[-4000:])
        cls.redis.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)
        super().tearDownClass()

    def start_servers(self):
        """Two gunicorns, started for each test: a transactional test's tables
        are flushed after it, and a running server would keep ids (content
        types) of rows made again."""
        self.servers = []
        for _server in range(2):
            port = free_port(exclude=[port for port, _process in self.servers])
            self.servers.append((port, subprocess.Popen(
                [BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py", "newsroom.wsgi"],
                env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, cwd=ROOT,
                stdout=self.log, stderr=subprocess.STDOUT,
            )))
        self.addCleanup(self.stop_servers)  # before the flush: they hold no connection after
        for port, process in self.servers:
            wait_until_up(port, process)
        self.a, self.b = (port for port, _process in self.servers)

    def stop_servers(self):
        for _port, process in self.servers:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)  # quick shutdown: nothing to finish
        for _port, process in self.servers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def setUp(self):
        # Our own Redis: what the servers cached for the previous test's rows goes.
        redis.Redis.from_url(self.redis.url).flushdb()
        self.start_servers()
        editor = make_user("quantri", is_staff=True, is_superuser=True)
        # Hashed as the servers hash (the tests' own fast hasher is not theirs).
        editor.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
        editor.save(update_fields=["password"])
        self.section = make_section("Thời sự")
        self.article = make_article(headline="Phối hợp đảm bảo an ninh", section=self.section)

    def assert_cached_on(self, port, path):
        Browser(port).get(path)
        status, headers, _body = Browser(port).get(path)
        self.assertEqual((status, headers.get("X-Page-Cache")), (200, "hit"), path)

    def test_a_section_renamed_on_one_server_is_shown_by_the_other_at_once(self):
        for path in ("/", self.article.get_absolute_url(), self.section.get_absolute_url()):
            self.assert_cached_on(self.b, path)
        editor = Browser(self.a)
        editor.log_in()
        status, _headers, body = editor.submit(
            f"/admin/articles/section/{self.section.pk}/change/", "section_form",
            name="Thời sự trong nước",
        )
        self.assertEqual(status, 302, body[:2000])
        # A login on one server is a login on the other (the session is in the database).
        same_editor = Browser(self.b)
        same_editor.cookies = dict(editor.cookies)
        status, _headers, body = same_editor.get("/admin/articles/section/")
        self.assertEqual(status, 200)
        self.assertIn("Thời sự trong nước", body)
        for path in ("/", self.article.get_absolute_url(), self.section.get_absolute_url()):
            status, headers, body = Browser(self.b).get(path)
            self.assertEqual(status, 200)
            self.assertIn("Thời sự trong nước", body, path)
            self.assertNotIn(">Thời sự</a>", body, path)  # the menu and every link renamed

    def test_an_article_published_on_one_server_is_on_the_others_home_page_at_once(self):
        self.assert_cached_on(self.b, "/")
        draft = make_article(
            headline="Khánh thành cầu mới", section=self.section, status=Article.Status.DRAFT,
            published_at=None, tags=["Giao thông"],
        )
        Role.objects.get_or_create(label="Tin")  # gone if another test flushed the tables
        add_credit(draft, name="Trần Quốc")
        add_photo(draft, make_photo(), is_lead=True)
        Article.objects.filter(pk=draft.pk).update(status=Article.Status.APPROVED)
        editor = Browser(self.a)
        editor.log_in()
        status, _headers, body = editor.post(
            f"/admin/articles/article/{draft.pk}/transition/publish/", {"at": ""}
        )
        self.assertEqual(status, 302, body[:2000])
        draft.refresh_from_db()
        self.assertEqual(draft.status, Article.Status.PUBLISHED)
        status, headers, body = Browser(self.b).get("/")
        self.assertEqual(status, 200)
        self.assertIn("Khánh thành cầu mới", body)

    def post_comment(self, port, body, address):
        reader = Browser(port, address)
        status, _headers, token = reader.get("/binh-luan/token/")
        self.assertEqual(status, 200)
        rendered = json.loads(token)["rendered"]
        return reader.post(
            f"/binh-luan/{self.article.pk}/gui/",
            {"name": "Nguyễn Văn An", "email": "", "body": body, "parent": "", "website": "",
             "rendered": rendered},
        )

    def test_a_word_edited_on_one_server_moderates_on_the_other_at_once(self):
        word = Word.objects.create(text="chữ vô hại", list=Word.List.SUSPECT)
        # Server B reads the word list once and keeps it.
        status, _headers, body = self.post_comment(self.b, "Bài viết hay, cảm ơn báo.", "10.0.0.1")
        self.assertEqual(status, 302, body[:2000])
        editor = Browser(self.a)
        editor.log_in()
        status, _headers, body = editor.submit(
            f"/admin/comments/word/{word.pk}/change/", "word_form",
            text="lừa đảo trắng trợn", list=Word.List.BANNED,
        )
        self.assertEqual(status, 302, body[:2000])
        # Same number of words, same last id: only the shared generation tells B.
        status, _headers, body = self.post_comment(
            self.b, "Đây là lừa đảo trắng trợn.", "10.0.0.2"
        )
        self.assertEqual(status, 400, body[:2000])
        self.assertIn("không phù hợp với quy định", body)
        refused = Comment.objects.get(body="Đây là lừa đảo trắng trợn.")
        self.assertEqual(refused.status, Comment.Status.REJECTED)

    def test_the_posting_rate_limit_counts_across_servers(self):
        statuses = [
            self.post_comment(port, f"Ý kiến số {i} về con đường.", "10.0.0.9")[0]
            for i, port in enumerate([self.a, self.b] * RATE_PER_CLIENT)
        ]
        self.assertEqual(statuses, [302] * RATE_PER_CLIENT + [429] * RATE_PER_CLIENT)
        self.assertEqual(Comment.objects.count(), RATE_PER_CLIENT)

    def test_both_servers_ride_out_a_redis_outage(self):
        """Redis killed under running servers, a section renamed meanwhile (its
        purge lost), then Redis back with the pages it kept: never a stale page."""
        for path in ("/", self.article.get_absolute_url()):
            self.assert_cached_on(self.b, path)
        self.redis.kill()
        self.addCleanup(lambda: self.redis.process.poll() is None or self.redis.start())
        for port in (self.a, self.b):
            for path in ("/", self.article.get_absolute_url()):
                status, headers, _body = Browser(port).get(path)
                self.assertEqual(status, 200, (port, path))
                self.assertNotEqual(headers.get("X-Page-Cache"), "hit")
        editor = Browser(self.a)
        editor.log_in()
        status, _headers, body = editor.submit(
            f"/admin/articles/section/{self.section.pk}/change/", "section_form",
            name="Thời sự trong nước",
        )
        self.assertEqual(status, 302, body[:2000])
        status, _headers, body = self.post_comment(self.b, "Gửi lúc Redis mất.", "10.0.0.3")
        self.assertEqual(status, 503)
        self.assertIn("Gửi lúc Redis mất.", body)
        self.assertFalse(Comment.objects.exists())

        self.redis.start()  # with the pages it held before (append-only file)
        deadline = time.monotonic() + 60
        for path in ("/", self.article.get_absolute_url()):
            while True:
                self.assertLess(time.monotonic(), deadline, "the page cache never came back")
                status, headers, body = Browser(self.b).get(path)
                self.assertEqual(status, 200)
                # Never a stale page, nor the stale menu.
                self.assertIn("Thời sự trong nước", body, path)
                self.assertNotIn(">Thời sự</a>", body, path)
                if headers.get("X-Page-Cache") == "hit":
                    break
                time.sleep(0.5)
        status, _headers, body = self.post_comment(self.b, "Gửi khi Redis trở lại.", "10.0.0.4")
        self.assertEqual(status, 302, body[:2000])
        self.log.flush()
        warnings = (self.folder / "servers.log").read_text().count("unreachable (")
        self.assertIn(warnings, (1, 2, 3, 4))  # one a process, not one a request


@skipUnless(
    connection.vendor == "postgresql",
    "SQLite has no row locks (SELECT ... FOR UPDATE SKIP LOCKED); needs PostgreSQL",
)
class SchedulerOnSeveralMachinesTests(TransactionTestCase):
    """``publish_scheduled`` run from cron on every machine: two processes at
    once (tests/articles/test_publish_scheduled.py runs two threads)."""

    def setUp(self):
        self.env = clean_environment(
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=database_url(),
            DJANGO_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        )

    def test_two_machines_running_publish_scheduled_publish_each_article_once(self):
        author = make_user("tacgia", email="tacgia@example.com")
        due = timezone.now() - timedelta(minutes=1)
        articles = [
            make_article(status=Article.Status.SCHEDULED, published_at=due, created_by=author)
            for _ in range(20)
        ]
        runners = [
            subprocess.Popen(
                [sys.executable, "manage.py", "publish_scheduled"], env=self.env, cwd=ROOT,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            for _machine in range(2)
        ]
        for runner in runners:
            output, _ = runner.communicate(timeout=120)
            self.assertEqual(runner.returncode, 0, output)
        events = Event.objects.filter(action="publish_scheduled")
        self.assertEqual(
            sorted(events.values_list("article", flat=True)), sorted(a.pk for a in articles)
        )
        self.assertEqual(
            Article.objects.filter(pk__in=[a.pk for a in articles],
                                   status=Article.Status.PUBLISHED).count(),
            len(articles),
        )

