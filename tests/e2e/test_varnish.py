"""A real Varnish (deploy/varnish/newsroom.vcl) in front of the app's live server,
the app purging it by surrogate key (NEWSROOM_PURGE_URLS).

varnishd comes from Debian (apt-get install varnish varnish-modules); without it
these tests are skipped on a developer machine, and CI (CI=true) installs it, so
there a missing varnishd is a failure, never a skip.
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import LiveServerTestCase, RequestFactory, override_settings

from articles.models import Article, Role
from comments import reading
from tests.articles.test_page_cache import publishable
from tests.e2e.test_production_stack import fetch, free_port
from tests.factories import make_article, make_comment

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
HAVE_VARNISH = Path(VARNISHD).exists()
VCL = Path(settings.BASE_DIR) / "deploy" / "varnish" / "newsroom.vcl"

pytestmark = [
    pytest.mark.page_cache,
    pytest.mark.skipif(
        not HAVE_VARNISH and not os.environ.get("CI"),
        reason=f"no varnishd at {VARNISHD} (apt-get install varnish varnish-modules)",
    ),
]


@override_settings(ALLOWED_HOSTS=["*"])
class VarnishTests(LiveServerTestCase):
    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        cls.folder.chmod(0o755)  # varnishd's own user reads the VCL and workdir
        vcl = VCL.read_text().replace('.port = "8000";', f'.port = "{cls.server_thread.port}";')
        (cls.folder / "newsroom.vcl").write_text(vcl)
        (cls.folder / "newsroom.vcl").chmod(0o644)
        cls.port = free_port()
        cls.varnish = subprocess.Popen(
            [
                VARNISHD, "-F", "-n", str(cls.folder / "work"),
                "-a", f"127.0.0.1:{cls.port}", "-f", str(cls.folder / "newsroom.vcl"),
                "-s", "malloc,32m", "-T", "127.0.0.1:0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(cls.folder / "varnishd.log", "w"),  # noqa: SIM115
        )
        for _attempt in range(120):
            if cls.varnish.poll() is not None:
                raise AssertionError(
                    "varnishd exited: " + (cls.folder / "varnishd.log").read_text()
                )
            try:
                fetch(cls.port, "/robots.txt")
                break
            except OSError:
                time.sleep(0.25)
        cls.purging = override_settings(NEWSROOM_PURGE_URLS=[f"http://127.0.0.1:{cls.port}/"])
        cls.purging.enable()

    @classmethod
    def tearDownClass(cls):
        cls.purging.disable()
        cls.varnish.terminate()
        cls.varnish.wait(10)
        shutil.rmtree(cls.folder, ignore_errors=True)
        super().tearDownClass()

    def setUp(self):
        # What an earlier test left in Varnish: every HTML page names "nav".
        fetch(self.port, "/", method="PURGE", headers={"xkey-purge": "nav feeds"})
        # This test case empties the database: the default role the factories use.
        Role.objects.get_or_create(label="Tin")
        self.article = make_article(headline="Phối hợp đảm bảo an ninh", tags=["An ninh"])

    def editor(self):
        """A superuser, made here: the groups made by migrations are flushed."""
        return get_user_model().objects.create_superuser(f"bientap{Article.objects.count()}")

    def get(self, path, cookies=None):
        return fetch(self.port, path, cookies=cookies)

    def test_an_anonymous_article_comes_from_the_proxy_the_second_time(self):
        url = self.article.get_absolute_url()
        first, second = self.get(url), self.get(url)
        self.assertEqual((first.status, second.status), (200, 200))
        self.assertEqual(first.headers["X-Cache"], "MISS")
        self.assertEqual(second.headers["X-Cache"], "HIT")
        self.assertEqual(len(second.headers["X-Varnish"].split()), 2)  # this request, the stored
        self.assertIn("Age", second.headers)
        self.assertNotIn("xkey", second.headers)  # the keys stay between app and proxy

    def test_publishing_shows_the_article_on_home_within_a_second(self):
        self.get("/")
        self.assertEqual(self.get("/").headers["X-Cache"], "HIT")
        new = publishable(section=self.article.section, tags=["Tin nóng"])
        new.publish_by_command("thu", "đăng")
        deadline = time.monotonic() + 1
        while new.headline not in self.get("/").text:
            self.assertLess(time.monotonic(), deadline, "home still without the new article")
            time.sleep(0.05)

    def test_withdrawing_makes_the_proxy_answer_410_at_once(self):
        url = self.article.get_absolute_url()
        self.get(url)
        self.assertEqual(self.get(url).headers["X-Cache"], "HIT")
        self.article.withdraw(self.editor(), "sai", "legal")
        self.assertEqual(self.article.status, Article.Status.WITHDRAWN)
        self.assertEqual(self.get(url).status, 410)

    def test_a_logged_in_editors_page_is_never_cached(self):
        url = self.article.get_absolute_url()
        self.get(url)  # the anonymous copy is stored…
        self.client.force_login(self.editor())
        name = settings.SESSION_COOKIE_NAME
        session = {name: self.client.cookies[name].value}
        for _ in range(2):  # …and never given to the editor, whose page is never stored
            response = self.get(url, cookies=session)
            self.assertEqual(response.status, 200)
            self.assertEqual(response.headers["X-Cache"], "MISS")
            self.assertIn("private", response.headers["Cache-Control"])

    def test_a_held_comment_is_seen_by_its_writer_and_nobody_else(self):
        held = make_comment(self.article, body="Ý kiến riêng đang chờ duyệt.")
        response = HttpResponse()
        reading.remember_pending(RequestFactory().get("/"), response, held)
        cookie = {reading.PENDING_COOKIE: response.cookies[reading.PENDING_COOKIE].value}
        url = self.article.get_absolute_url()
        self.get(url)  # an anonymous copy in the proxy
        writer = self.get(url, cookies=cookie)
        self.assertEqual(writer.headers["X-Cache"], "MISS")
        self.assertIn("Ý kiến riêng đang chờ duyệt.", writer.text)
        for _ in range(2):
            self.assertNotIn("Ý kiến riêng đang chờ duyệt.", self.get(url).text)
        self.assertNotIn("Ý kiến riêng", self.get(url, cookies={"csrftoken": "x"}).text)
