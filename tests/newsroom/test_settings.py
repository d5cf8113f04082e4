import datetime
import os
import subprocess
import sys

from django import forms
from django.conf import settings
from django.test import SimpleTestCase
from django.utils import formats, timezone, translation

SUMMARY = (
    "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
    "s.NEWSROOM['NAME'], s.NEWSROOM['SOURCE_TAG'], s.ALLOWED_HOSTS)"
)


def load_settings(show=SUMMARY, **env):
    """Import the settings module in a fresh interpreter with ``env`` set."""
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE", "NEWSROOM_TASKS"))
    }
    code = f"import newsroom.settings as s; {show}"
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


class SettingsFromEnvironmentTests(SimpleTestCase):
    def test_secret_key_required_when_debug_is_off(self):
        result = load_settings(DJANGO_DEBUG="0")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY must be set", result.stderr)

    def test_production_like_environment(self):
        result = load_settings(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="x" * 50,
            DJANGO_ALLOWED_HOSTS="bao.example",
            DATABASE_URL="postgres://u@db:5432/bao",
            REDIS_URL="redis://127.0.0.1:6379/1",
            NEWSROOM_NAME="Báo Thử",
            NEWSROOM_SOURCE_TAG="THU.VN",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.split(),
            [
                "False",
                "django.db.backends.postgresql",
                "newsroom.cache.ResilientRedisCache",
                "Báo",
                "Thử",
                "THU.VN",
                "['bao.example']",
            ],
        )

    def test_development_defaults(self):
        result = load_settings()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("True django.db.backends.sqlite3", result.stdout)
        self.assertIn("LocMemCache", result.stdout)

    def test_tasks_run_in_the_request_unless_a_backend_is_named(self):
        show = "print(s.TASKS['default']['BACKEND'])"
        result = load_settings(show)
        self.assertEqual(
            result.stdout.strip(), "django.tasks.backends.immediate.ImmediateBackend", result.stderr
        )
        result = load_settings(show, NEWSROOM_TASKS_BACKEND="worker.tasks.QueueBackend")
        self.assertEqual(result.stdout.strip(), "worker.tasks.QueueBackend", result.stderr)


class VietnameseFormatTests(SimpleTestCase):
    def test_language_and_time_zone(self):
        self.assertEqual(settings.LANGUAGE_CODE, "vi")
        self.assertIn("en", dict(settings.LANGUAGES))
        self.assertEqual(settings.TIME_ZONE, "Asia/Ho_Chi_Minh")
        self.assertTrue(settings.USE_TZ)

    def test_forms_parse_day_first(self):
        with translation.override("vi"):
            self.assertEqual(forms.DateField().clean("10/01/2020"), datetime.date(2020, 1, 10))
            self.assertEqual(forms.DateField().clean("25/01/2020"), datetime.date(2020, 1, 25))
            value = forms.DateTimeField().clean("10/01/2020 - 13:04")
            self.assertEqual(
                timezone.localtime(value).strftime("%Y-%m-%d %H:%M"), "2020-01-10 13:04"
            )
            self.assertEqual(formats.get_format("FIRST_DAY_OF_WEEK"), 1)

    def test_pages_show_d_m_y_h_i(self):
        moment = datetime.datetime(2020, 1, 10, 6, 4, tzinfo=datetime.UTC)
        with translation.override("vi"):
            shown = formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        self.assertEqual(shown, "10/01/2020 - 13:04")

    def test_english_shows_and_reads_moments_the_same_way(self):
        """The English admin: one format in a box (no "Jan. 10, 2020, 1:04 p.m."
        beside "10/01/2020 - 13:04"), and what it shows reads back the same day."""
        moment = datetime.datetime(2020, 1, 10, 6, 4, tzinfo=datetime.UTC)
        with translation.override("en"):
            for name in ("DATETIME_FORMAT", "SHORT_DATETIME_FORMAT"):
                shown = formats.date_format(timezone.localtime(moment), name)
                self.assertEqual(shown, "10/01/2020 - 13:04")
            self.assertEqual(formats.localize(timezone.localtime(moment)), "10/01/2020 - 13:04")
            self.assertEqual(forms.DateField().clean("10/01/2020"), datetime.date(2020, 1, 10))
            value = forms.DateTimeField().clean("10/01/2020 - 13:04")
            self.assertEqual(timezone.localtime(value), timezone.localtime(moment))


class SiteAddressTests(SimpleTestCase):
    """`make run PORT=8050` passes HOST and PORT: the admin link seed_demo prints
    and the links in console e-mails name the address the server listens on."""

    show = "print(s.NEWSROOM['SITE_URL'])"

    def site_url(self, **env):
        env = {"HOST": "", "PORT": "", "NEWSROOM_SITE_URL": "", **env}
        result = load_settings(self.show, **env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip()

    def test_development_follows_host_and_port(self):
        self.assertEqual(self.site_url(HOST="127.0.0.1", PORT="8050"), "http://127.0.0.1:8050")
        self.assertEqual(self.site_url(HOST="localhost", PORT="8123"), "http://localhost:8123")
        self.assertEqual(self.site_url(), "http://127.0.0.1:8000")

    def test_an_explicit_site_url_wins(self):
        self.assertEqual(
            self.site_url(PORT="8050", NEWSROOM_SITE_URL="https://bao.example.vn"),
            "https://bao.example.vn",
        )

    def test_production_ignores_host_and_port(self):
        url = self.site_url(PORT="8050", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
        self.assertEqual(url, "http://127.0.0.1:8000")
