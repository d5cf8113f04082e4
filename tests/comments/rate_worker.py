"""A process of its own that counts against the comment rate limiter
(tests/comments/test_concurrency.py). Imports nothing from Django at module
level: a 'spawn' child sets up its own settings first."""

import os


def count_allowed(redis_url, key_prefix, ready, start, results, attempts=50):
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["REDIS_URL"] = redis_url
    os.environ["CACHE_KEY_PREFIX"] = key_prefix
    import django

    django.setup()
    from comments import services

    ready.put(os.getpid())
    start.wait(60)
    results.put(sum(services.allow("client:one-reader", 5, 60) for _ in range(attempts)))
