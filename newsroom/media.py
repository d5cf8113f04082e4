"""Where photos and renditions are stored: the local disk by default, an
S3-compatible bucket (django-storages, boto3) when ``NEWSROOM_MEDIA_S3_BUCKET``
is set (README "Object storage for media").

``settings.py`` calls ``s3_storage(os.environ)``; the tests call it with the
address of their own S3 server, so both build the storage the same way. This
module reads no Django setting; it imports botocore's exceptions (cheap) and
its client configuration only when S3 is on.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

#: What boto3 raises when a bucket cannot be reached or refuses a request
#: (connection, timeout, HTTP errors): not OSError.
try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # django-storages[s3] not installed: only the local disk
    S3_ERRORS = ()
else:
    S3_ERRORS = (BotoCoreError, ClientError)
#: What a storage raises when it is down, full or refuses a request (disk
#: errors and S3_ERRORS). Code that must survive that catches these.
STORAGE_ERRORS = (OSError, *S3_ERRORS)

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_storage(environ):
    """The ``STORAGES["default"]`` entry and the ``MEDIA_URL`` for a bucket,
    from environment variables, or ``None`` when ``NEWSROOM_MEDIA_S3_BUCKET``
    is not set (media stay on the local disk).

    The option names are django-storages' own (``S3Storage.get_default_settings``).
    Choices that are not django-storages' defaults, and why:

    - ``file_overwrite=False``: two uploads named ``anh.jpg`` get two objects;
      with the backend's default the second would replace the first photo.
    - ``querystring_auth=False``: plain, unsigned URLs. Pages are cached and
      shared (page cache, proxy, CDN) for longer than a signed URL lives, so
      the bucket (or the CDN in front of it) must let anyone read the objects.
    - ``custom_domain`` from ``NEWSROOM_MEDIA_S3_PUBLIC_URL``: pages link to the
      CDN, not to the bucket's endpoint.
    - Short connect and read timeouts, two attempts: with the storage down an
      upload fails in seconds with an error on the form, not after minutes of
      boto3's default retries.
    """
    bucket = environ.get("NEWSROOM_MEDIA_S3_BUCKET", "").strip()
    if not bucket:
        return None
    from botocore.config import Config

    timeout = float(environ.get("NEWSROOM_MEDIA_S3_TIMEOUT") or 5)
    endpoint_url = environ.get("NEWSROOM_MEDIA_S3_ENDPOINT_URL", "").strip() or None
    location = environ.get("NEWSROOM_MEDIA_S3_PREFIX", "").strip().strip("/")
    # Path-style addressing (endpoint/bucket/key) works with every S3-compatible
    # server (MinIO, Ceph, moto) without a DNS name per bucket; AWS itself
    # (no endpoint URL) keeps boto3's own choice.
    addressing_style = environ.get("NEWSROOM_MEDIA_S3_ADDRESSING_STYLE") or (
        "path" if endpoint_url else None
    )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url,
        "region_name": environ.get("NEWSROOM_MEDIA_S3_REGION") or None,
        "location": location,
        "file_overwrite": False,
        "querystring_auth": False,
        "object_parameters": {
            "CacheControl": environ.get("NEWSROOM_MEDIA_S3_CACHE_CONTROL", "public, max-age=86400")
        },
        "client_config": Config(
            s3={"addressing_style": addressing_style},
            connect_timeout=timeout,
            read_timeout=timeout * 4,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }
    # Keys: ours, else django-storages reads AWS_S3_ACCESS_KEY_ID /
    # AWS_ACCESS_KEY_ID (and the secrets) itself, else boto3's own chain
    # (an instance role, ~/.aws) applies.
    access_key = environ.get("NEWSROOM_MEDIA_S3_ACCESS_KEY_ID", "")
    secret_key = environ.get("NEWSROOM_MEDIA_S3_SECRET_ACCESS_KEY", "")
    if access_key or secret_key:
        options |= {"access_key": access_key, "secret_key": secret_key}
    if environ.get("NEWSROOM_MEDIA_S3_ACL"):
        options["default_acl"] = environ["NEWSROOM_MEDIA_S3_ACL"]

    public_url = environ.get("NEWSROOM_MEDIA_S3_PUBLIC_URL", "").strip()
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured(
                "NEWSROOM_MEDIA_S3_PUBLIC_URL must be an absolute http(s) URL, "
                f"e.g. https://anh.example.vn/ (got {public_url!r})"
            )
        options["url_protocol"] = f"{parts.scheme}:"
        options["custom_domain"] = (parts.netloc + parts.path).rstrip("/")
        root = f"{parts.scheme}://{options['custom_domain']}/"
    elif endpoint_url:
        root = f"{endpoint_url.rstrip('/')}/{bucket}/"
    else:
        root = f"https://{bucket}.s3.amazonaws.com/"
    media_url = root + (f"{location}/" if location else "")
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}, media_url
