"""Newsroom settings: one module, driven by environment variables.

Development needs nothing set. Production sets at least DJANGO_DEBUG=0,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from newsroom.media import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def sources(*values, urls=()):
    """CSP sources: ``values`` plus the origin of each absolute URL in ``urls``
    (a CDN for static files, a domain of its own for media); relative URLs are 'self'."""
    origins = [
        f"{parts.scheme}://{parts.netloc}"
        for parts in map(urlsplit, urls)
        if parts.scheme and parts.netloc
    ]
    return list(dict.fromkeys([*values, *origins]))


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A reader's comment that fails the CSRF check gets its form back, text kept.
CSRF_FAILURE_VIEW = "comments.views.csrf_failure"

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",  # django.contrib.admin, safer changelists
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "newsroom",
    "taggit",
    "django_prose_editor",
    "articles",
    "articles.planning",  # the day's plan: story ideas and assignments
    "articles.royalties",  # nhuận bút: lines from the credits, monthly statements
    "comments",
    "django_tasks_db",  # the task queue's table (used when TASKS is the database backend)
    "newsroom.worker",  # after django_tasks_db: its admin replaces the library's
]

MIDDLEWARE = [
    # First: it gives every response its sharing answer (README, "Caching").
    "articles.caching.SharingMiddleware",
    # /healthz and /readyz for a load balancer, before the host and HTTPS checks.
    "newsroom.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # With DEBUG off, static files from STATIC_ROOT (hashed, compressed; README
    # "Running in production"). runserver and the tests serve them themselves.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    "newsroom.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese unless the reader chose English (never the browser's Accept-Language).
    "newsroom.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user is known: a reader's public page may read from a replica.
    "newsroom.replicas.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.newsroom",
            ],
        },
    },
]

# Database: SQLite by default; DATABASE_URL=postgres://user@host:5432/name in CI
# and production (psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# Read replicas (README "Read replicas"): replica_0, replica_1… Only readers' public
# pages read from them (newsroom/replicas.py); a dead one costs a short connect_timeout.
for _index, _url in enumerate(env_list("DATABASE_REPLICA_URLS")):
    _replica = dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    _replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    _replica["TEST"] = {"MIRROR": "default"}  # the tests' database is the primary's
    DATABASES[f"replica_{_index}"] = _replica
DATABASE_ROUTERS = ["newsroom.replicas.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis with REDIS_URL: Django's own backend, made
# to serve the site uncached while Redis is down (newsroom/cache.py, README "When
# Redis is down"): each call waits at most REDIS_SOCKET_TIMEOUT seconds, and after a
# failure a process leaves Redis alone for REDIS_RETRY_AFTER seconds.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    _redis_timeout = float(env("REDIS_SOCKET_TIMEOUT", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "newsroom"),
            "RETRY_AFTER": float(env("REDIS_RETRY_AFTER", "5")),
            "OPTIONS": {
                "socket_connect_timeout": _redis_timeout,
                "socket_timeout": _redis_timeout,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database, never only in the cache: the admin works while
# Redis is down, and every app server sees every session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background tasks (django.tasks): renditions, workflow e-mail, proxy purges. By
# default they run in the request, after commit (no worker needed). In production
# NEWSROOM_TASKS_BACKEND=django_tasks_db.DatabaseBackend queues them in the database
# for `manage.py run_worker` (README, "Background worker"). A worker that has not
# written its heartbeat for 3 periods is taken for dead and its task is run again.
TASKS = {
    "default": {
        "BACKEND": env("NEWSROOM_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    }
}
NEWSROOM_WORKER_HEARTBEAT_SECONDS = float(env("NEWSROOM_WORKER_HEARTBEAT_SECONDS", "10"))

# The writing page (README "Writing and publishing"): the recommended lengths
# shown next to the headline (tít) and lead (sapo) as "n/limit"; going over is
# a warning, never a refusal. Idle seconds before the form is saved as an autosave.
NEWSROOM_HEADLINE_MAX_CHARS = int(env("NEWSROOM_HEADLINE_MAX_CHARS", "100"))
NEWSROOM_LEAD_MAX_CHARS = int(env("NEWSROOM_LEAD_MAX_CHARS", "300"))
NEWSROOM_AUTOSAVE_IDLE_SECONDS = float(env("NEWSROOM_AUTOSAVE_IDLE_SECONDS", "3"))

# Failed logins are counted in the shared cache and lock an account or a client
# address for a while (newsroom/login_throttle.py, README "Login throttling").
AUTHENTICATION_BACKENDS = ["newsroom.login_throttle.ThrottledModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("Tiếng Anh"))]
LANGUAGE_COOKIE_NAME = "newsroom_language"
# The language of the paper's content (headlines, leads, bodies, section names):
# marked with lang="…" inside pages whose interface is in another language.
NEWSROOM_CONTENT_LANGUAGE = env("NEWSROOM_CONTENT_LANGUAGE", "vi")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["newsroom.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / env("DJANGO_STATIC_ROOT", "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Photos and renditions: on the local disk (MEDIA_ROOT) unless
# NEWSROOM_MEDIA_S3_BUCKET names an S3-compatible bucket (newsroom/media.py,
# README "Object storage for media"); MEDIA_URL is then the bucket's or CDN's.
_media_storage = {"BACKEND": "newsroom.files.WholeFileSystemStorage"}
if _s3 := s3_storage(os.environ):
    _media_storage, MEDIA_URL = _s3
# With DEBUG off, `collectstatic` writes hashed, compressed copies that WhiteNoise
# serves with far-future expiry; development (and the tests) use the plain files.
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: printed to the console by default; SMTP when EMAIL_HOST is set.
_email_host = env("EMAIL_HOST")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": int(env("EMAIL_PORT", "587")),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "toasoan@example.com")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# HTTPS (README "Running in production"). Cookies are Secure whenever DEBUG is off.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# The header our own proxy sets to say the request came over HTTPS, e.g.
# HTTP_X_FORWARDED_PROTO. Trusted only when set: without a proxy that overwrites
# it, any client could send it.
if env("DJANGO_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (env("DJANGO_PROXY_SSL_HEADER"), "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (Django's own middleware, through
# newsroom/csp.py). Public pages run no inline script and carry no nonce, so a
# shared cache may keep them; the JSON-LD block is data, not script.
_assets = (STATIC_URL,)
_images = (STATIC_URL, MEDIA_URL)
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": sources(CSP.SELF, urls=_assets),
    "style-src": sources(CSP.SELF, urls=_assets),
    "img-src": sources(CSP.SELF, urls=_images),
    "font-src": sources(CSP.SELF, urls=_assets),
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The admin is never shared by a cache: its few inline blocks (Django's own, the
# editor's import map) carry a per-request nonce (README "Content-Security-Policy").
# A photo chosen in the photo form is shown before it is uploaded (a blob: URL
# of the local file, newsroom_admin/focal_point.js).
NEWSROOM_ADMIN_CSP = SECURE_CSP | {
    "script-src": sources(CSP.SELF, CSP.NONCE, urls=_assets),
    "style-src": sources(CSP.SELF, CSP.NONCE, urls=_assets),
    "img-src": [*SECURE_CSP["img-src"], "blob:"],
}

TAGGIT_CASE_INSENSITIVE = True

# The newspaper's identity. The defaults describe a fictitious demo paper.
NEWSROOM = {
    "NAME": env("NEWSROOM_NAME", "Báo Sông Xanh"),
    "SOURCE_TAG": env("NEWSROOM_SOURCE_TAG", "SONGXANH.VN"),
    # The public address, in e-mails, feeds and sitemaps. In development it follows
    # the address `make run HOST=… PORT=…` serves on (the Makefile passes both).
    "SITE_URL": env("NEWSROOM_SITE_URL")
    or (
        f"http://{env('HOST') or '127.0.0.1'}:{env('PORT') or '8000'}"
        if DEBUG
        else "http://127.0.0.1:8000"
    ),
    "PUBLISHER": env("NEWSROOM_PUBLISHER", "Cơ quan chủ quản: Hội Báo chí Sông Xanh (demo)"),
    "LICENCE": env(
        "NEWSROOM_LICENCE",
        "Giấy phép số 000/GP-DEMO do Bộ Văn hóa demo cấp ngày 01/01/2020 (không có thật)",
    ),
    "ADDRESS": env("NEWSROOM_ADDRESS", "Số 1 đường Mẫu, phường Demo, tỉnh Sông Xanh"),
    "CONTACT": env("NEWSROOM_CONTACT", "Điện thoại: 0000 000 000 - E-mail: toasoan@example.com"),
    "EDITOR_IN_CHIEF": env("NEWSROOM_EDITOR_IN_CHIEF", "Tổng biên tập: Nguyễn Văn Mẫu"),
    # Photos: uploads above these limits are refused with a form error.
    "PHOTO_MAX_BYTES": int(env("NEWSROOM_PHOTO_MAX_BYTES", str(20 * 1024 * 1024))),
    "PHOTO_MAX_PIXELS": int(env("NEWSROOM_PHOTO_MAX_PIXELS", str(50_000_000))),
    "PAGE_SIZE": int(env("NEWSROOM_PAGE_SIZE", "20")),
    # Seconds a shared cache (CDN, Varnish) may keep a public page (README, "Caching").
    "CACHE_MAX_AGE": int(env("NEWSROOM_CACHE_MAX_AGE", "60")),
    # …which may then serve it stale while it asks again, or while the app is down.
    "STALE_WHILE_REVALIDATE": int(env("NEWSROOM_STALE_WHILE_REVALIDATE", "30")),
    "STALE_IF_ERROR": int(env("NEWSROOM_STALE_IF_ERROR", "86400")),
    # Seconds the app keeps a public page in its own cache (0: off). Purges by
    # surrogate key remove it at once (README, "Page cache and proxy").
    "PAGE_CACHE_SECONDS": int(env("NEWSROOM_PAGE_CACHE_SECONDS", "600")),
    # Parts of pages that depend on content only (the article page's text, photos,
    # byline and related box), kept under the same purges as pages: 0 turns it off.
    "FRAGMENT_CACHE_SECONDS": int(env("NEWSROOM_FRAGMENT_CACHE_SECONDS", "3600")),
    # Editorial workflow. What an article needs before it can be published
    # (any of: headline, lead, section, credit, photos, tag)…
    "PUBLISH_GATES": env_list("NEWSROOM_PUBLISH_GATES", "headline,lead,section,credit,photos,tag"),
    # …and the four-eyes rule: no one approves content they wrote. A small
    # desk may turn it off; each approval it lets through is logged.
    "FOUR_EYES": env_bool("NEWSROOM_FOUR_EYES", True),
    # The group whose level a sensitive (nhạy cảm) article adds on top of its chain.
    "SENSITIVE_GROUP": env("NEWSROOM_SENSITIVE_GROUP", "Tổng biên tập"),
    # Reader comments (see README, "Comments and moderation").
    "COMMENTS_MODE": env("NEWSROOM_COMMENTS_MODE", "pre"),  # pre, post or closed
    "COMMENTS_CLOSE_AFTER_DAYS": int(env("NEWSROOM_COMMENTS_CLOSE_AFTER_DAYS", "30")),
    "COMMENTS_MAX_LENGTH": int(env("NEWSROOM_COMMENTS_MAX_LENGTH", "2000")),
    "COMMENTS_PAGE_SIZE": int(env("NEWSROOM_COMMENTS_PAGE_SIZE", "20")),
    "COMMENTS_ALLOW_LINKS": env_bool("NEWSROOM_COMMENTS_ALLOW_LINKS", False),
    "COMMENTS_MIN_SECONDS": int(env("NEWSROOM_COMMENTS_MIN_SECONDS", "5")),
    "COMMENTS_RATE_PER_CLIENT": env("NEWSROOM_COMMENTS_RATE_PER_CLIENT", "5/60"),
    "COMMENTS_RATE_PER_ARTICLE": env("NEWSROOM_COMMENTS_RATE_PER_ARTICLE", "60/60"),
    "COMMENTS_REPORTS_TO_HOLD": int(env("NEWSROOM_COMMENTS_REPORTS_TO_HOLD", "3")),
    "COMMENTS_REPORT_RATE": env("NEWSROOM_COMMENTS_REPORT_RATE", "10/3600"),
    "COMMENTS_CLIENT_SALT": env("NEWSROOM_COMMENTS_CLIENT_SALT", ""),
    # The client's address is REMOTE_ADDR unless our own proxy overwrites a header
    # with it (e.g. HTTP_X_REAL_IP); never X-Forwarded-For by default.
    "CLIENT_IP_HEADER": env("NEWSROOM_CLIENT_IP_HEADER", ""),
    # Failed logins: the Nth failure within S seconds ("N/S") locks the account,
    # or the client address, for S seconds (README "Login throttling").
    "LOGIN_FAILURES_PER_ACCOUNT": env("NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT", "5/900"),
    "LOGIN_FAILURES_PER_CLIENT": env("NEWSROOM_LOGIN_FAILURES_PER_CLIENT", "20/900"),
    # Read replicas (README "Read replicas"): one further behind than MAX_LAG
    # seconds is not used; each process measures the lag every CHECK_SECONDS and
    # leaves a replica that failed alone for RETRY_SECONDS; a reader who posted
    # reads from the primary for PIN_SECONDS.
    "REPLICA_MAX_LAG": float(env("NEWSROOM_REPLICA_MAX_LAG", "5")),
    "REPLICA_CHECK_SECONDS": float(env("NEWSROOM_REPLICA_CHECK_SECONDS", "1")),
    "REPLICA_RETRY_SECONDS": float(env("NEWSROOM_REPLICA_RETRY_SECONDS", "10")),
    "REPLICA_PIN_SECONDS": int(env("NEWSROOM_REPLICA_PIN_SECONDS", "5")),
    # /readyz tells what failed to a caller sending this token (X-Health-Token).
    "HEALTH_TOKEN": env("NEWSROOM_HEALTH_TOKEN", ""),
}

# Proxies in front (Varnish) that take a purge by surrogate key: each gets
# "PURGE" with an "xkey-purge" header after a change commits (articles/purges.py).
NEWSROOM_PURGE_URLS = env_list("NEWSROOM_PURGE_URLS", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    # Django logs every task's start and end at INFO; failures stay ERROR.
    "loggers": {"django.tasks": {"level": env("DJANGO_LOG_LEVEL", "WARNING")}},
}
