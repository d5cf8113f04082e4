"""Who is asking: the client's address, by one rule for comments and logins."""

from django.conf import settings


def client_address(request):
    """The client's address: REMOTE_ADDR, or the header our own proxy sets when
    NEWSROOM["CLIENT_IP_HEADER"] names one (e.g. "HTTP_X_REAL_IP", which nginx
    overwrites with the address it sees). X-Forwarded-For is never trusted by
    default: any client can send it."""
    header = settings.NEWSROOM.get("CLIENT_IP_HEADER")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
