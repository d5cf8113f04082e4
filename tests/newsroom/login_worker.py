"""A process of its own that tries wrong passwords against the login throttle
(tests/newsroom/test_login_throttle.py), as one gunicorn worker would. Imports
nothing from Django at module level: a 'spawn' child sets up its own settings."""

import os


def attempt_logins(redis_url, key_prefix, username, ready, start, results, attempts=25):
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["REDIS_URL"] = redis_url
    os.environ["CACHE_KEY_PREFIX"] = key_prefix
    import django

    django.setup()
    from django.test import RequestFactory

    from newsroom import login_throttle

    ready.put(os.getpid())
    start.wait(60)
    refused = 0
    for attempt in range(attempts):
        # Each attempt from another address: only the account's counter can stop them.
        address = f"10.{os.getpid() % 250}.0.{attempt}"
        request = RequestFactory().post("/admin/login/", REMOTE_ADDR=address)
        if login_throttle.begin(request, username):
            login_throttle.end(request, username, succeeded=False)  # a wrong password
        else:
            refused += 1
    results.put(refused)
