import os

from django.core.cache import caches
from django.test import SimpleTestCase, override_settings

REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom-test",
        },
    }
)
class RedisCacheTests(SimpleTestCase):
    """The backend REDIS_URL selects, against the real Redis server."""

    def test_round_trip_with_vietnamese_values(self):
        cache = caches["shared"]
        cache.set("tit", "Phối hợp đảm bảo an ninh trật tự", 30)
        self.assertEqual(cache.get("tit"), "Phối hợp đảm bảo an ninh trật tự")
        cache.delete("dem")
        self.assertTrue(cache.add("dem", 0, 30))
        self.assertEqual(cache.incr("dem"), 1)
        cache.delete_many(["tit", "dem"])
        self.assertIsNone(cache.get("tit"))
