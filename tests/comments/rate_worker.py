"""A process of its own that counts against the comment rate limiter, or
spends render tokens (tests/comments/test_concurrency.py). Imports nothing from Django at module
level: a 'spawn' child sets up its own settings first."""

import os


def setup(redis_url, key_prefix):
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["REDIS_URL"] = redis_url
    os.environ["CACHE_KEY_PREFIX"] = key_prefix
    import django

    django.setup()


def count_allowed(redis_url, key_prefix, ready, start, results, attempts=50):
    setup(redis_url, key_prefix)
    from comments import posting

    ready.put(os.getpid())
    start.wait(60)
    results.put(sum(posting.allow("client:one-reader", 5, 60) for _ in range(attempts)))


def count_spent(redis_url, key_prefix, ready, start, results, tokens):
    setup(redis_url, key_prefix)
    from comments import timetrap

    ready.put(os.getpid())
    start.wait(60)
    results.put(sum(timetrap.spend(token) is timetrap.Verdict.PASSED for token in tokens))
