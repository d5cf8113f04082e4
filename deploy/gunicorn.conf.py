"""gunicorn settings for Newsroom: `gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi`.

Every value comes from an environment variable with a default that suits one
machine behind nginx (README "Running in production"). nginx buffers slow
clients, so plain sync workers are enough; add threads for long-polling or
slow upstream calls only.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


# Loopback by default: only the proxy on this machine talks to gunicorn.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (plus jitter), so a slow leak
# never grows for long; 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# Request line and header limits (gunicorn's defaults, stated).
limit_request_line = 4094
limit_request_fields = 100

# Whether a request came over HTTPS is Django's decision alone
# (DJANGO_PROXY_SSL_HEADER): gunicorn must not turn X-Forwarded-Proto from a
# local client into wsgi.url_scheme=https by itself.
secure_scheme_headers = {}

# Logs to stderr, for systemd/journald or the container's log.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn's control socket (gunicornc) only when a path is given: by default
# it would sit in $HOME and collide between two instances on one machine.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

wsgi_app = "newsroom.wsgi:application"
