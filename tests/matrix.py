"""What the permission and sharing matrices share: every URL pattern from the
resolver, and a role's requests with their messages and savepoints."""

from django.contrib.messages import get_messages
from django.db import transaction
from django.urls import URLResolver, reverse


def leaf_patterns(patterns, prefix="", namespace=""):
    """(route, namespace, pattern) for every URL pattern below ``patterns``."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from leaf_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield prefix + str(pattern.pattern), namespace, pattern


class RoleRequests:
    """For a TestCase whose ``self.clients`` holds one logged-in client a role."""

    def request(self, role, method, url, data=None):
        client = self.clients[role]
        client.cookies.pop("messages", None)  # each request's messages on their own
        if method == "GET":
            return client.get(url)
        return client.post(url, data or {})

    @staticmethod
    def levels(response):
        return [message.level for message in get_messages(response.wsgi_request)]

    def assert_login(self, response):
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("admin:login")),
                        response["Location"])

    def in_savepoint(self, function):
        """Run ``function`` and undo whatever it wrote."""
        with transaction.atomic():
            try:
                return function()
            finally:
                transaction.set_rollback(True)
