"""Production settings: the README's environment passes Django's deploy checks,
HTTPS comes from the proxy only when it is configured, static files are hashed,
and gunicorn reads its configuration from the environment."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

ROOT = Path(settings.BASE_DIR)
MARKER = "<!-- production environment: tests/newsroom/test_deploy.py reads this block -->"


def readme_production_env():
    """The variables of the README's production block; a fresh secret key."""
    text = (ROOT / "README.md").read_text()
    block = re.search(re.escape(MARKER) + r"\n```sh\n(.*?)```", text, re.S)
    assert block, "the README's production environment block is missing"
    env = {}
    for line in block.group(1).splitlines():
        if line.strip() and not line.startswith("#"):
            name, _sep, value = line.partition("=")
            env[name] = value
    env["DJANGO_SECRET_KEY"] = env["DJANGO_SECRET_KEY"] or secrets.token_urlsafe(50)
    return env


def clean_environment(**env):
    """This process's environment without any setting of ours, plus ``env``."""
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE", "REDIS", "EMAIL", "NEWSROOM_", "GUNICORN_"))
    }
    return {**keep, **env}


def run(args, **env):
    return subprocess.run(
        args, env=clean_environment(**env), capture_output=True, text=True, cwd=ROOT,
        check=False, timeout=120,
    )


def run_python(code, **env):
    return run([sys.executable, "-c", code], **env)


IS_SECURE = (
    "import django; django.setup(); from django.test import RequestFactory; "
    "print(RequestFactory().get('/', headers={'X-Forwarded-Proto': 'https'}).is_secure())"
)
PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 10 + secrets.token_urlsafe(40),
              "DJANGO_SETTINGS_MODULE": "newsroom.settings"}


class DeployCheckTests(SimpleTestCase):
    def test_readme_production_environment_passes_check_deploy(self):
        result = run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            **readme_production_env(),
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)

    def test_check_deploy_fails_without_the_https_settings(self):
        env = readme_production_env()
        for name in ("DJANGO_HSTS_SECONDS", "DJANGO_SSL_REDIRECT"):
            env.pop(name)
        result = run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("security.W004", result.stderr)
        self.assertIn("security.W008", result.stderr)

    def test_readme_settings_are_what_django_runs_with(self):
        show = (
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
            " s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE,"
            " s.CSRF_COOKIE_SECURE, s.NEWSROOM['CLIENT_IP_HEADER'])"
        )
        result = run_python(show, DJANGO_SETTINGS_MODULE="newsroom.settings",
                            **readme_production_env())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(),
            "31536000 True True True ('HTTP_X_FORWARDED_PROTO', 'https') True True HTTP_X_REAL_IP",
        )


class ProxyHeaderTests(SimpleTestCase):
    def test_x_forwarded_proto_is_not_trusted_by_default_with_debug_off(self):
        result = run_python(IS_SECURE, **PRODUCTION)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "False")

    def test_x_forwarded_proto_is_trusted_when_the_proxy_header_is_configured(self):
        result = run_python(IS_SECURE, DJANGO_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
                            **PRODUCTION)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), "True")

    def test_cookies_are_secure_with_debug_off_unless_turned_off(self):
        show = "import newsroom.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
        self.assertEqual(run_python(show, **PRODUCTION).stdout.split(), ["True", "True"])
        self.assertEqual(
            run_python(show, DJANGO_SECURE_COOKIES="0", **PRODUCTION).stdout.split(),
            ["False", "False"],
        )
        self.assertEqual(run_python(show).stdout.split(), ["False", "False"])


class StaticFilesTests(SimpleTestCase):
    SHOW = (
        "import newsroom.settings as s; print(s.STORAGES['staticfiles']['BACKEND'], "
        "'whitenoise.middleware.WhiteNoiseMiddleware' in s.MIDDLEWARE)"
    )

    def test_debug_off_serves_hashed_compressed_files_through_whitenoise(self):
        result = run_python(self.SHOW, **PRODUCTION)
        self.assertEqual(
            result.stdout.split(),
            ["whitenoise.storage.CompressedManifestStaticFilesStorage", "True"],
        )

    def test_development_and_tests_use_the_plain_files(self):
        self.assertEqual(
            run_python(self.SHOW).stdout.split(),
            ["django.contrib.staticfiles.storage.StaticFilesStorage", "False"],
        )
        self.assertEqual(
            settings.STORAGES["staticfiles"]["BACKEND"],
            "django.contrib.staticfiles.storage.StaticFilesStorage",
        )


class GunicornConfigTests(SimpleTestCase):
    def gunicorn_config(self, **env):
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        self.assertIsNotNone(gunicorn, "gunicorn is a dependency (pyproject.toml)")
        result = run(
            [gunicorn, "-c", "deploy/gunicorn.conf.py", "--print-config"], **PRODUCTION, **env
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return dict(
            (name.strip(), value.strip())
            for name, _sep, value in (line.partition("=") for line in result.stdout.splitlines())
        )

    def test_defaults(self):
        config = self.gunicorn_config()
        self.assertEqual(config["bind"], "['127.0.0.1:8000']")
        self.assertEqual(config["workers"], str(os.cpu_count() * 2 + 1))
        self.assertEqual(config["timeout"], "30")
        self.assertEqual(config["wsgi_app"], "newsroom.wsgi:application")
        # gunicorn never decides by itself that a request came over HTTPS.
        self.assertEqual(config["secure_scheme_headers"], "{}")
        self.assertEqual(config["control_socket_disable"], "True")

    def test_values_from_the_environment(self):
        config = self.gunicorn_config(
            GUNICORN_BIND="127.0.0.1:9001,unix:/run/newsroom.sock", GUNICORN_WORKERS="3",
            GUNICORN_THREADS="4", GUNICORN_TIMEOUT="60", GUNICORN_MAX_REQUESTS="0",
        )
        self.assertEqual(config["bind"], "['127.0.0.1:9001', 'unix:/run/newsroom.sock']")
        self.assertEqual(
            [config[name] for name in ("workers", "threads", "timeout", "max_requests")],
            ["3", "4", "60", "0"],
        )
