"""Newsroom settings: one module, driven by environment variables.

Development needs nothing set. Production sets at least DJANGO_DEBUG=0,
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (see README).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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
    "taggit",
    "django_prose_editor",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis (Django's own backend) with REDIS_URL.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "newsroom"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background tasks (django.tasks): the renditions of a saved photo. By default they
# run in the request, after commit; an operator plugs a worker backend here.
TASKS = {
    "default": {
        "BACKEND": env("NEWSROOM_TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
    }
}

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

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

TAGGIT_CASE_INSENSITIVE = True

# The newspaper's identity. The defaults describe a fictitious demo paper.
NEWSROOM = {
    "NAME": env("NEWSROOM_NAME", "Báo Sông Xanh"),
    "SOURCE_TAG": env("NEWSROOM_SOURCE_TAG", "SONGXANH.VN"),
    "SITE_URL": env("NEWSROOM_SITE_URL", "http://127.0.0.1:8000"),
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
    # Editorial workflow. What an article needs before it can be published
    # (any of: headline, lead, section, credit, photos, tag)…
    "PUBLISH_GATES": env_list("NEWSROOM_PUBLISH_GATES", "headline,lead,section,credit,photos,tag"),
    # …and the four-eyes rule: no one approves content they wrote. A small
    # desk may turn it off; each approval it lets through is logged.
    "FOUR_EYES": env_bool("NEWSROOM_FOUR_EYES", True),
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
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    # Django logs every task's start and end at INFO; failures stay ERROR.
    "loggers": {"django.tasks": {"level": env("DJANGO_LOG_LEVEL", "WARNING")}},
}
