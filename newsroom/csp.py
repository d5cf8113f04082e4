"""Content-Security-Policy: Django's middleware, with the admin's own policy.

Public pages get ``SECURE_CSP``: scripts and styles from our static files only,
no nonce, so a page a shared cache keeps is the same for every reader. Pages of
the admin (never cached) get ``NEWSROOM_ADMIN_CSP``, which adds a per-request
nonce for the inline blocks of Django's admin and of the rich-text editor. A
view that sets its own policy (``csp_override``) keeps it.
"""

from django.conf import settings
from django.middleware import csp

ADMIN_NAMESPACE = "admin"


def is_admin(request):
    match = getattr(request, "resolver_match", None)
    return match is not None and ADMIN_NAMESPACE in match.namespaces


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    def process_response(self, request, response):
        if is_admin(request) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.NEWSROOM_ADMIN_CSP
        return super().process_response(request, response)
