"""The time trap: a comment form is sent no sooner than MIN_SECONDS after it
was shown, with a signed render token that is taken once.

Article pages are cached and shared, so the token cannot live in their HTML:
comments.js asks the uncached token endpoint for one when the reader starts
writing, and a form given back in answer to a POST (never cached) carries one.
A token is a random nonce signed with the time it was issued. Sending it spends
the nonce: ``cache.add`` records it in the shared cache until the token
expires, which is atomic on Redis, so two processes never both accept it.
"""

import enum
import re
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache

# Long enough for a reader who leaves the form open for the day; a later post
# is asked to send again, with a fresh token and the text kept.
MAX_AGE = timedelta(days=1)
SALT = "comments.render-token"
_NONCE = re.compile(r"[A-Za-z0-9_-]{22}")


class Verdict(enum.Enum):
    PASSED = "passed"  # old enough and not used before: now spent
    TOO_FAST = "too_fast"  # not spent: the same token works a few seconds later
    RENEW = "renew"  # missing, forged, expired or already used


class _Signer(signing.TimestampSigner):
    def __init__(self, at=None):
        super().__init__(salt=SALT)
        self.at = at

    def timestamp(self):
        return signing.b62_encode(int(time.time() if self.at is None else self.at))


def issue(at=None):
    """A new render token: a random nonce, signed with the time the form was
    shown (``at``, a Unix time; now by default)."""
    return _Signer(at).sign(secrets.token_urlsafe(16))


def _read(token):
    """(nonce, seconds since issue) of a valid, unexpired token, else None."""
    try:
        nonce = _Signer().unsign(token or "", max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not _NONCE.fullmatch(nonce):
        return None
    return nonce, time.time() - signing.b62_decode(token.rsplit(":", 2)[1])


def _spent_key(nonce):
    return f"comments:render-token:{nonce}"


def spend(token):
    """Judge the token of a form being sent; spends it when it passes."""
    read = _read(token)
    if read is None:
        return Verdict.RENEW
    nonce, age = read
    if age < settings.NEWSROOM["COMMENTS_MIN_SECONDS"]:
        return Verdict.TOO_FAST
    # Kept until the token would have expired anyway: nothing to remember after.
    timeout = int(MAX_AGE.total_seconds() - age) + 1
    if not cache.add(_spent_key(nonce), 1, timeout):
        return Verdict.RENEW
    return Verdict.PASSED


def usable(token):
    """``token`` when it can still be spent, else a new one: for a form given
    back to a reader (what they typed is kept, and the token with it when it
    still counts, so the time they spent writing still counts too)."""
    read = _read(token)
    if read is None or cache.get(_spent_key(read[0])) is not None:
        return issue()
    return token
