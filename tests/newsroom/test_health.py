"""/healthz and /readyz in the test process (the replica cases, a stopped
primary and a real streaming replica are in tests/deploy/test_replicas.py)."""

import json
import socket

from django.test import TestCase, override_settings

from articles import caching
from newsroom import health
from tests.newsroom.test_settings import load_settings


def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


TOKEN = "ma-kiem-tra"


class HealthTests(TestCase):
    def test_healthz_answers_without_touching_anything(self):
        with self.assertNumQueries(0):
            response = self.client.get("/healthz")
        self.assertEqual((response.status_code, response.content), (200, b"ok"))
        self.assertEqual(response["Cache-Control"], "private, no-store")

    def test_readyz_says_ok_and_nothing_more_to_the_public(self):
        with self.assertNumQueries(1):  # SELECT 1
            response = self.client.get("/readyz")
        self.assertEqual((response.status_code, response.content), (200, b"ok"))
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertNotIn(caching.KEY_HEADER, response)

    def test_probes_answer_any_host_and_plain_http(self):
        """A balancer probes by address and over HTTP: neither ALLOWED_HOSTS nor
        the HTTPS redirect may turn the answer into a 400 or a 301."""
        with override_settings(ALLOWED_HOSTS=["bao.example"], SECURE_SSL_REDIRECT=True):
            for path in ("/healthz", "/readyz"):
                response = self.client.get(path, headers={"host": "10.0.0.7:8000"})
                self.assertEqual(response.status_code, 200, path)

    @override_settings(NEWSROOM={**health.settings.NEWSROOM, "HEALTH_TOKEN": TOKEN})
    def test_the_token_holder_gets_each_check(self):
        response = self.client.get("/readyz", headers={"x-health-token": TOKEN})
        self.assertEqual(
            json.loads(response.content),
            {"ready": True, "checks": {"database": "ok", "cache": "ok", "storage": "ok"}},
        )
        wrong = self.client.get("/readyz", headers={"x-health-token": "sai"})
        self.assertEqual(wrong.content, b"ok")

    def test_no_token_set_means_no_details_for_anyone(self):
        response = self.client.get("/readyz", headers={"x-health-token": ""})
        self.assertEqual(response.content, b"ok")

    def test_a_stopped_cache_makes_the_server_not_ready_and_is_logged(self):
        stopped = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            }
        }
        with (
            override_settings(CACHES=stopped),
            self.assertLogs("newsroom.health", "WARNING") as logged,
        ):
            response = self.client.get("/readyz")
            healthz = self.client.get("/healthz")
        self.assertEqual((response.status_code, response.content), (503, b"not ready"))
        self.assertEqual(response["Cache-Control"], "private, no-store")
        self.assertIn("cache: ConnectionError", logged.output[0])
        self.assertEqual(healthz.status_code, 200)

    def test_only_get_and_head_are_probes(self):
        self.assertEqual(self.client.head("/readyz").status_code, 200)
        self.assertNotEqual(self.client.post("/healthz").status_code, 200)  # left to the URLs


class ReplicaSettingsTests(TestCase):
    def test_each_url_is_a_replica_alias_with_a_short_connect_timeout(self):
        show = (
            "print(sorted(s.DATABASES), s.DATABASES['replica_1']['PORT'], "
            "s.DATABASES['replica_0']['OPTIONS'], s.DATABASES['replica_1']['TEST'], "
            "s.DATABASE_ROUTERS)"
        )
        result = load_settings(
            show,
            DATABASE_URL="postgres://u@db:5432/bao",
            DATABASE_REPLICA_URLS="postgres://u@r0:5432/bao, postgres://u@r1:5433/bao",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(),
            "['default', 'replica_0', 'replica_1'] 5433 {'connect_timeout': 2} "
            "{'MIRROR': 'default'} ['newsroom.replicas.ReplicaRouter']",
        )

    def test_no_replicas_by_default(self):
        result = load_settings("print(sorted(s.DATABASES))")
        self.assertEqual(result.stdout.strip(), "['default']", result.stderr)
