"""Failed logins, counted in the shared cache (Redis in production).

The Nth wrong password for one account, or from one client address, within S
seconds (``NEWSROOM["LOGIN_FAILURES_PER_ACCOUNT"]`` / ``…_PER_CLIENT``, "N/S")
locks that account or address for S seconds. Every password check goes through
``authenticate()``, so the lock lives in the authentication backend: while it
holds, no password is checked, not even the right one. The admin's login form
turns the refusal into a message. An administrator lifts a lock with
``manage.py unlock_login`` or the "unlock" action of the users' admin.

An attempt is counted before its password is checked and given back when it
succeeds, so however many processes check passwords at once, at most N wrong
passwords are ever tried within a window.

While the shared cache is down, the counters live in each process's memory
(``newsroom.cache.counters``): neither open (a password guesser unthrottled for
as long as Redis is away) nor closed (every editor locked out of the admin by a
cache outage). The limit then holds per process, so a guesser gets at most N
tries per window from each app process; when Redis is back the shared counters
take over again (the ones kept in memory are forgotten).
"""

import logging
import math
import time
import unicodedata

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from .cache import counters
from .clients import client_address

logger = logging.getLogger(__name__)

ACCOUNT, CLIENT = "account", "client"


def rate(kind):
    """("N", "S") of the setting for ``kind`` as (N, S) integers."""
    count, seconds = settings.NEWSROOM[f"LOGIN_FAILURES_PER_{kind.upper()}"].split("/")
    return int(count), int(seconds)


def account_name(username):
    """One counter for every spelling of a name: NFKC, case folded."""
    return unicodedata.normalize("NFKC", username).casefold().strip()


def subjects(request, username):
    """What a login attempt is counted against: the account it names and the
    client address it comes from (none without a request, e.g. a shell)."""
    found = []
    if username:
        found.append((ACCOUNT, account_name(username)))
    address = client_address(request) if request is not None else ""
    if address:
        found.append((CLIENT, address))
    return found


def _key(part, kind, value):
    # Neither the name nor the address is stored in the cache, only a keyed hash.
    digest = salted_hmac(__name__, f"{kind}:{value}", algorithm="sha256").hexdigest()
    return f"login:{part}:{kind}:{digest}"


def locked_for(request, username):
    """Seconds until the lock on this account or address ends; 0 when none holds."""
    keys = [_key("lock", kind, value) for kind, value in subjects(request, username)]
    ends = counters().get_many(keys).values()
    return max(0, math.ceil(max(ends, default=0) - time.time()))


def _count(kind, value):
    _limit, window = rate(kind)
    key = _key("attempts", kind, value)
    counters().add(key, 0, window)
    try:
        return counters().incr(key)
    except ValueError:  # expired between add and incr: a new window
        counters().add(key, 1, window)
        return 1


def _lock(kind, value):
    # The attempts counter is left to expire (it began before the lock, so it ends
    # first): deleting it now would let a concurrent attempt start from zero.
    limit, window = rate(kind)
    if counters().add(_key("lock", kind, value), time.time() + window, window):
        logger.warning("Login locked: %s %r, %s failures, for %s s", kind, value, limit, window)


def begin(request, username):
    """Count one attempt; False when the account or address is locked (or this
    attempt is one too many), and then no password may be checked."""
    if locked_for(request, username):
        return False
    allowed = True
    for kind, value in subjects(request, username):
        if _count(kind, value) > rate(kind)[0]:
            _lock(kind, value)
            allowed = False
    return allowed


def end(request, username, *, succeeded):
    """After the password check: a success gives the attempts back (the account
    starts afresh); a failure stays counted and locks at the limit."""
    for kind, value in subjects(request, username):
        key = _key("attempts", kind, value)
        if succeeded:
            if kind == ACCOUNT:
                counters().delete(key)
            else:
                try:
                    counters().decr(key)
                except ValueError:  # the window ended meanwhile
                    pass
        elif (counters().get(key) or 0) >= rate(kind)[0]:
            _lock(kind, value)


def unlock(*, username=None, address=None):
    """Lift the lock on an account and/or an address (and forget its failures).
    Returns how many of them were locked."""
    lifted = 0
    for kind, value in ((ACCOUNT, username and account_name(username)), (CLIENT, address)):
        if value:
            lifted += bool(counters().get(_key("lock", kind, value)))
            counters().delete_many([_key("lock", kind, value), _key("attempts", kind, value)])
    return lifted


class ThrottledModelBackend(ModelBackend):
    """Django's ModelBackend behind the counters above."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if not begin(request, username):
            # authenticate() stops here: no other backend checks the password.
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        end(request, username, succeeded=user is not None)
        return user


class LoginForm(AdminAuthenticationForm):
    """The admin's login form, saying when a lock refused the attempt."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            seconds = locked_for(self.request, self.cleaned_data.get("username"))
            if not seconds:
                raise
            minutes = math.ceil(seconds / 60)
            raise ValidationError(
                ngettext(
                    "Đăng nhập tạm bị khóa vì mật khẩu bị nhập sai quá nhiều lần. Hãy thử "
                    "lại sau %(minutes)d phút, hoặc nhờ quản trị viên mở khóa.",
                    "Đăng nhập tạm bị khóa vì mật khẩu bị nhập sai quá nhiều lần. Hãy thử "
                    "lại sau %(minutes)d phút, hoặc nhờ quản trị viên mở khóa.",
                    minutes,
                ),
                code="locked",
                params={"minutes": minutes},
            ) from None
