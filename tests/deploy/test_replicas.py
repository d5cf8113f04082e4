"""Read replicas against a real streaming replica (tests/deploy/pg_replica.py).

The app runs as its own gunicorn process, configured by environment variables
exactly as in production (DATABASE_URL for the primary, DATABASE_REPLICA_URLS
for the replicas): the settings build DATABASES at start-up, so an in-process
test client cannot be given a second real database without bypassing the code
under test, and the tests' own database stays untouched. Which database served
a request is read from each cluster's statement log (the app's connections
name themselves ``newsroom-app``). The page cache is off in the app, so that
every page is really read from a database.
"""

import json
import os
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from newsroom.replicas import LAG_SQL, PIN_COOKIE
from tests.e2e.test_production_stack import fetch

from .pg_replica import free_port

ROOT = Path(settings.BASE_DIR)
PASSWORD = "mat-khau-thu-nghiem-2026"
TOKEN = "ma-kiem-tra-suc-khoe"
APP = "newsroom-app"

SEED = f"""
import json, os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()
from django.contrib.auth import get_user_model
from tests.factories import make_article, make_section
get_user_model().objects.create_superuser("bientap", password={PASSWORD!r})
section = make_section(name="Thời sự", slug="thoi-su")
article = make_article(headline="Phối hợp đảm bảo an ninh trật tự", section=section)
print(json.dumps({{"article": article.get_absolute_url(), "id": article.pk,
                  "section": section.get_absolute_url(), "section_id": section.pk}}))
"""


def environment(**env):
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE", "REDIS", "EMAIL", "NEWSROOM_", "GUNICORN_"))
    }
    return {**keep, **env}


def manage(pair, *args, script=None):
    command = [sys.executable, "-c", script] if script else [sys.executable, "manage.py", *args]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env=environment(DATABASE_URL=pair.primary.url("newsroom-seed")),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class App:
    """The app under gunicorn (one worker: what it learns of a replica is its own)."""

    def __init__(self, pair, port):
        self.pair, self.port = pair, port

    def fetch(self, path, method="GET", form=None, cookies=None, headers=None):
        headers, body = dict(headers or {}), None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return fetch(self.port, path, method, headers=headers, body=body, cookies=cookies)

    @contextmanager
    def served_by(self):
        """``{"primary": [...], "replica": [...]}``: the app's statements on each
        cluster while the block ran."""
        since = {"primary": self.pair.primary.log_size(), "replica": self.pair.replica.log_size()}
        served = {"primary": [], "replica": []}
        yield served
        served["primary"] += self.pair.primary.statements(since["primary"])
        served["replica"] += self.pair.replica.statements(since["replica"])

    def log(self):
        return (self.pair.folder / f"app-{self.port}.log").read_text()[-9000:]

    def log_in(self):
        page = self.fetch("/admin/login/")
        cookies = page.cookies()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        form = {"username": "bientap", "password": PASSWORD, "csrfmiddlewaretoken": token}
        answer = self.fetch("/admin/login/?next=/admin/", "POST", form, cookies=cookies)
        assert answer.status == 302, answer.text
        return {**cookies, **answer.cookies()}


@contextmanager
def running_app(pair, **env):
    port = free_port()
    dead = free_port()  # nothing listens there: a replica that is down from the start
    urls = f"{pair.replica.url(APP)},postgres://postgres@127.0.0.1:{dead}/x?application_name={APP}"
    log = (pair.folder / f"app-{port}.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env=environment(
            **{
                "DATABASE_URL": pair.primary.url(APP),
                "DATABASE_REPLICA_URLS": urls,
                "NEWSROOM_PAGE_CACHE_SECONDS": "0",
                "NEWSROOM_COMMENTS_MIN_SECONDS": "0",
                "NEWSROOM_REPLICA_MAX_LAG": "1",
                # Measured on every request: the tests wait for nothing.
                "NEWSROOM_REPLICA_CHECK_SECONDS": "0",
                "NEWSROOM_REPLICA_RETRY_SECONDS": "3600",
                "NEWSROOM_HEALTH_TOKEN": TOKEN,
                **env,
            }
        ),
    )
    app = App(pair, port)
    try:
        for _attempt in range(240):
            assert process.poll() is None, (pair.folder / f"app-{port}.log").read_text()
            try:
                if app.fetch("/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.25)
        else:
            raise AssertionError(f"the app did not answer on port {port}")
        yield app
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="module")
def seeded(pg_replica_pair):
    manage(pg_replica_pair, "migrate", "--noinput")
    data = json.loads(manage(pg_replica_pair, script=SEED).strip().splitlines()[-1])
    pg_replica_pair.wait_for_replay()
    return data


@pytest.fixture(scope="module")
def app(pg_replica_pair, seeded):
    with running_app(pg_replica_pair) as app:
        yield app


def reads_of(statements, table):
    return [line for line in statements if "SELECT" in line and f'"{table}"' in line]


@contextmanager
def replay_paused(pair):
    """The replica receives the primary's changes but applies none of them."""
    with pair.replica.connect() as connection:
        connection.execute("SELECT pg_wal_replay_pause()")
        for _attempt in range(200):
            state = connection.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0]
            if state == "paused":
                break
            time.sleep(0.05)
    try:
        yield
    finally:
        with pair.replica.connect() as connection:
            connection.execute("SELECT pg_wal_replay_resume()")
        pair.wait_for_replay()


def test_the_replica_is_a_streaming_standby(pg_replica_pair):
    with pg_replica_pair.replica.connect() as connection:
        assert connection.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
    with pg_replica_pair.primary.connect() as connection:
        assert connection.execute("SELECT pg_is_in_recovery()").fetchone()[0] is False


ROUTING = """
import os, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django.setup()
from django.db import connections, router, transaction
from articles.models import Article, Section
from newsroom import replicas

def served(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return "replica" if cursor.fetchone()[0] else "primary"

seen = {"outside": served(router.db_for_read(Article))}
with replicas.public_reads():
    seen["public"] = served(router.db_for_read(Article))
    with transaction.atomic():
        seen["in a transaction"] = served(router.db_for_read(Article))
    seen["after the transaction"] = served(router.db_for_read(Article))
    Section.objects.create(name="Chuyên mục mới", slug="chuyen-muc-moi")
    seen["after a write"] = served(router.db_for_read(Article))
print(seen)
"""


def test_transactions_writes_and_commands_read_from_the_primary(pg_replica_pair, seeded):
    """The router itself, in a management shell against the pair: a command, a
    task or anything outside a reader's page reads from the primary, and so does
    a read inside a transaction or after a write."""
    done = subprocess.run(
        [sys.executable, "-c", ROUTING], cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=False,
        env=environment(
            DATABASE_URL=pg_replica_pair.primary.url(APP),
            DATABASE_REPLICA_URLS=pg_replica_pair.replica.url(APP),
        ),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(
        {
            "outside": "primary",
            "public": "replica",
            "in a transaction": "primary",
            "after the transaction": "replica",
            "after a write": "primary",
        }
    )


def test_public_pages_read_from_the_replica_only(app, seeded):
    for path in ("/", seeded["article"], seeded["section"], f"/binh-luan/{seeded['id']}/"):
        with app.served_by() as served:
            response = app.fetch(path)
        assert response.status == 200, path
        assert reads_of(served["replica"], "articles_article"), path
        assert served["primary"] == [], (path, served["primary"])


def test_the_admin_and_logged_in_users_read_from_the_primary_only(app, seeded):
    cookies = app.log_in()
    del cookies[PIN_COOKIE]  # the login was a POST: the session alone must pin
    paths = (
        "/admin/",
        "/admin/articles/article/",
        f"/admin/articles/section/{seeded['section_id']}/change/",
        seeded["article"],  # a public page, but for a logged-in user
        "/",
    )
    for path in paths:
        with app.served_by() as served:
            response = app.fetch(path, cookies=cookies)
        assert response.status == 200, path
        assert served["replica"] == [], (path, served["replica"])
        assert served["primary"], path


def post_comment(app, article_id, body):
    token = app.fetch("/binh-luan/token/")
    tokens = json.loads(token.text)
    form = {
        "name": "Bạn đọc Minh",
        "body": body,
        "csrfmiddlewaretoken": tokens["token"],
        "rendered": tokens["rendered"],
    }
    return app.fetch(f"/binh-luan/{article_id}/gui/", "POST", form, cookies=token.cookies())


def test_a_reader_who_posted_reads_their_own_comment_from_the_primary(app, seeded):
    body = "Bình luận của tôi về an ninh trật tự khu phố."
    with app.served_by() as served:
        posted = post_comment(app, seeded["id"], body)
    assert posted.status == 302, posted.text
    assert served["replica"] == []
    cookies = posted.cookies()
    assert PIN_COOKIE in cookies
    pin = next(c for c in posted.headers.get_all("Set-Cookie") if c.startswith(PIN_COOKIE))
    assert "Max-Age=5" in pin
    # The held comment is echoed to its author, read from the primary.
    with app.served_by() as served:
        page = app.fetch(seeded["article"], cookies=cookies)
    assert body in page.text
    assert served["replica"] == [], served["replica"]
    assert "private" in page.headers["Cache-Control"]
    # The just-posted cookie alone (the held-comment cookie gone) still pins.
    with app.served_by() as served:
        app.fetch(seeded["article"], cookies={PIN_COOKIE: cookies[PIN_COOKIE]})
    assert served["replica"] == []
    # Anyone else reads the page from the replica, without the held comment.
    with app.served_by() as served:
        page = app.fetch(seeded["article"])
    assert body not in page.text
    assert reads_of(served["replica"], "articles_article")


def test_replication_lag_never_shows_an_editor_stale_data(app, seeded, pg_replica_pair):
    cookies = app.log_in()
    change = f"/admin/articles/section/{seeded['section_id']}/change/"
    with replay_paused(pg_replica_pair):
        form_page = app.fetch(change, cookies=cookies)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text).group(1)
        form = {
            "name": "Thời sự trong tỉnh",
            "slug": "thoi-su",
            "parent": "",
            "order": "0",
            "description": "",
            "csrfmiddlewaretoken": token,
        }
        with app.served_by() as served:
            saved = app.fetch(change, "POST", form, cookies=cookies)
            assert saved.status == 302, saved.text
            read_back = app.fetch(change, cookies=cookies)
            listing = app.fetch("/admin/articles/section/", cookies=cookies)
        assert served["replica"] == []
        assert 'value="Thời sự trong tỉnh"' in read_back.text
        assert "Thời sự trong tỉnh" in listing.text
        # The replica really is behind: the admin would have shown the old name.
        with pg_replica_pair.replica.connect() as connection:
            old = connection.execute(
                "SELECT name FROM articles_section WHERE id = %s", [seeded["section_id"]]
            ).fetchone()[0]
            assert old == "Thời sự"
            # Once it is further behind than NEWSROOM_REPLICA_MAX_LAG (1 s), the
            # public pages leave it too.
            for _attempt in range(600):
                if connection.execute(LAG_SQL).fetchone()[0] > 1:
                    break
                time.sleep(0.05)
        with app.served_by() as served:
            public = app.fetch(seeded["section"])
        assert "Thời sự trong tỉnh" in public.text
        assert reads_of(served["primary"], "articles_section")
        assert not reads_of(served["replica"], "articles_section")  # only the lag was asked
    with app.served_by() as served:
        public = app.fetch(seeded["section"])
    assert "Thời sự trong tỉnh" in public.text
    assert reads_of(served["replica"], "articles_section")


def test_a_purged_page_is_never_rebuilt_from_a_replica_without_the_change(
    pg_replica_pair, seeded
):
    """The page cache is on and the replica may lag an hour: only the purge's WAL
    position keeps the replica from serving the renamed section's page."""
    env = {"NEWSROOM_REPLICA_MAX_LAG": "3600", "NEWSROOM_PAGE_CACHE_SECONDS": "600"}
    with running_app(pg_replica_pair, **env) as app:
        cookies = app.log_in()
        del cookies[PIN_COOKIE]
        change = f"/admin/articles/section/{seeded['section_id']}/change/"
        with app.served_by() as served:
            before = app.fetch(seeded["section"])  # cached, from the replica
        assert before.headers["X-Page-Cache"] == "miss"
        assert reads_of(served["replica"], "articles_section")
        page = app.fetch(change, cookies=cookies).text
        name = re.search(r'name="name"[^>]*value="([^"]+)"', page)
        renamed = name.group(1) + " mới"
        with replay_paused(pg_replica_pair):
            form_page = app.fetch(change, cookies=cookies)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.text)
            form = {
                "name": renamed,
                "slug": "thoi-su",
                "parent": "",
                "order": "0",
                "description": "",
                "csrfmiddlewaretoken": token.group(1),
            }
            assert app.fetch(change, "POST", form, cookies=cookies).status == 302
            with app.served_by() as served:
                after = app.fetch(seeded["section"])
            assert after.headers["X-Page-Cache"] == "miss"  # purged
            assert renamed in after.text
            assert reads_of(served["primary"], "articles_section")
            assert not reads_of(served["replica"], "articles_section")
        # Replayed: the replica serves again (the page itself is in the cache now).
        with app.served_by() as served:
            assert app.fetch(seeded["article"] + "?lai=1").status == 200
        assert reads_of(served["replica"], "articles_article")


def test_a_dead_replica_is_left_alone_and_readiness_tells_the_token_holder(app, seeded):
    for _request in range(6):  # each picks a replica at random: the dead one fails over
        with app.served_by() as served:
            page = app.fetch(seeded["article"])
            assert page.status == 200, app.log()
        assert served["primary"] == []
    public = app.fetch("/readyz")
    assert (public.status, public.text) == (200, "ok")
    assert public.headers["Cache-Control"] == "private, no-store"
    details = json.loads(app.fetch("/readyz", headers={"X-Health-Token": TOKEN}).text)
    assert details["ready"] is True
    assert details["checks"]["database"] == "ok"
    assert details["checks"]["replica_0"].startswith("ok")
    assert not details["checks"]["replica_1"].startswith("ok")


def test_replica_down_reads_fall_back_to_the_primary(pg_replica_pair, seeded):
    with running_app(pg_replica_pair) as app:
        pg_replica_pair.replica.stop()
        try:
            with app.served_by() as served:
                response = app.fetch(seeded["article"])
            assert response.status == 200
            assert reads_of(served["primary"], "articles_article")
            assert app.fetch("/readyz").status == 200  # the site still serves
        finally:
            pg_replica_pair.replica.start()
            pg_replica_pair.wait_for_streaming()


def test_primary_down_makes_the_server_not_ready(pg_replica_pair, seeded):
    with running_app(pg_replica_pair) as app:
        pg_replica_pair.primary.stop()
        try:
            assert (app.fetch("/healthz").status, app.fetch("/healthz").text) == (200, "ok")
            answer = app.fetch("/readyz")
            assert (answer.status, answer.text) == (503, "not ready")
            details = json.loads(app.fetch("/readyz", headers={"X-Health-Token": TOKEN}).text)
            assert details["ready"] is False
            assert details["checks"]["database"] != "ok"
            # A reader's page needs only the replica.
            page = app.fetch(seeded["article"])
            assert page.status == 200, app.log()
        finally:
            pg_replica_pair.primary.start()
            pg_replica_pair.wait_for_streaming()
