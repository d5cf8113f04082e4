"""Failed logins lock an account, or a client address, for a while (README
"Login throttling"); an administrator lifts the lock."""

import multiprocessing
import os
import time
import uuid
from io import StringIO
from unittest import mock

from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase, override_settings

from newsroom import login_throttle
from tests.newsroom import login_worker

PASSWORD = "mat-khau-dung-2026"
LOGIN = "/admin/login/?next=/admin/"
LOCKED = "Đăng nhập tạm bị khóa"
REDIS_URL = os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def newsroom_with(**values):
    from django.conf import settings

    return override_settings(NEWSROOM={**settings.NEWSROOM, **values})


class LoginThrottleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        User = get_user_model()
        cls.editor = User.objects.create_user("bientap", password=PASSWORD, is_staff=True)
        cls.admin = User.objects.create_superuser("quantri", password=PASSWORD)

    def setUp(self):
        cache.clear()
        self.addCleanup(cache.clear)

    def log_in(self, username, password, address="203.0.113.7", headers=None):
        return self.client.post(
            LOGIN,
            {"username": username, "password": password, "next": "/admin/"},
            REMOTE_ADDR=address,
            headers=headers,
        )

    def assert_logged_in(self, response):
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def assert_refused(self, response, locked=True):
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        (self.assertContains if locked else self.assertNotContains)(response, LOCKED)

    def test_a_hundred_wrong_passwords_then_the_right_one_is_refused(self):
        User = get_user_model()
        with mock.patch.object(
            User, "check_password", autospec=True, side_effect=User.check_password
        ) as check_password:
            for attempt in range(100):
                response = self.log_in("bientap", f"sai-{attempt}")
                # The fifth wrong password locks the account, and the form says so.
                self.assert_refused(response, locked=attempt >= 4)
            response = self.log_in("bientap", PASSWORD)
        self.assert_refused(response)
        self.assertContains(response, "Hãy thử lại sau 15 phút")
        # Only the first five passwords were ever checked; the lock refused the rest.
        self.assertEqual(check_password.call_count, 5)

    def test_the_lock_is_per_account_from_any_address(self):
        for attempt in range(5):
            self.log_in("bientap", "sai", address=f"198.51.100.{attempt}")
        self.assert_refused(self.log_in("bientap", PASSWORD, address="192.0.2.9"))
        # Another account from those addresses still logs in.
        self.assert_logged_in(self.log_in("quantri", PASSWORD, address="198.51.100.1"))

    def test_the_lock_is_per_address_across_accounts(self):
        for attempt in range(20):
            self.log_in(f"nguoi-{attempt}", "sai", address="203.0.113.50")
        self.assert_refused(self.log_in("bientap", PASSWORD, address="203.0.113.50"))
        self.assert_logged_in(self.log_in("bientap", PASSWORD, address="203.0.113.51"))

    def test_every_spelling_of_a_name_counts_against_one_account(self):
        for username in ("bientap", "BIENTAP", "BienTap", "ｂｉｅｎｔａｐ", " bientap"):
            self.log_in(username, "sai", address="198.51.100.7")
        self.assert_refused(self.log_in("bientap", PASSWORD))

    def test_x_forwarded_for_does_not_make_a_new_client(self):
        for attempt in range(20):
            spoofed = {"X-Forwarded-For": f"192.0.2.{attempt}"}
            self.log_in(f"nguoi-{attempt}", "sai", headers=spoofed)
        self.assert_refused(
            self.log_in("bientap", PASSWORD, headers={"X-Forwarded-For": "192.0.2.200"})
        )

    def test_the_proxy_header_names_the_client_when_configured(self):
        with newsroom_with(CLIENT_IP_HEADER="HTTP_X_REAL_IP"):
            for attempt in range(20):
                self.log_in(
                    f"nguoi-{attempt}", "sai", address="10.0.0.2",
                    headers={"X-Real-IP": "192.0.2.1"},
                )
            self.assert_refused(
                self.log_in("bientap", PASSWORD, headers={"X-Real-IP": "192.0.2.1"})
            )
            # The proxy's own address is not what was locked.
            self.assert_logged_in(
                self.log_in("bientap", PASSWORD, headers={"X-Real-IP": "192.0.2.2"})
            )

    def test_a_success_gives_the_account_a_fresh_start(self):
        for _attempt in range(4):
            self.log_in("bientap", "sai")
        self.assert_logged_in(self.log_in("bientap", PASSWORD))
        self.client.logout()
        for _attempt in range(4):
            self.log_in("bientap", "sai")
        self.assert_logged_in(self.log_in("bientap", PASSWORD))

    def test_successful_logins_do_not_use_up_an_office_address(self):
        # A whole newsroom behind one address logs in all day.
        for _login in range(30):
            self.assert_logged_in(self.log_in("bientap", PASSWORD, address="203.0.113.99"))
            self.client.logout()

    def test_the_lock_ends_after_its_window(self):
        with newsroom_with(LOGIN_FAILURES_PER_ACCOUNT="2/1"):
            self.log_in("bientap", "sai")
            self.log_in("bientap", "sai")
            self.assert_refused(self.log_in("bientap", PASSWORD))
            self.assertEqual(login_throttle.locked_for(None, "bientap"), 1)
            time.sleep(1.1)
            self.assertEqual(login_throttle.locked_for(None, "bientap"), 0)
            self.assert_logged_in(self.log_in("bientap", PASSWORD))

    def test_message_is_translated(self):
        for _attempt in range(5):
            self.log_in("bientap", "sai")
        self.client.cookies["newsroom_language"] = "en"
        response = self.log_in("bientap", PASSWORD)
        self.assertContains(response, "Too many wrong passwords")
        self.assertContains(response, "15 minutes")

    def test_authenticate_without_a_request_is_throttled_too(self):
        for _attempt in range(5):
            self.assertIsNone(authenticate(username="bientap", password="sai"))
        self.assertIsNone(authenticate(username="bientap", password=PASSWORD))

    def test_command_lifts_the_lock_on_an_account_and_an_address(self):
        for attempt in range(20):
            self.log_in("bientap" if attempt < 5 else f"nguoi-{attempt}", "sai")
        self.assert_refused(self.log_in("bientap", PASSWORD, address="198.51.100.1"))
        self.assert_refused(self.log_in("quantri", PASSWORD))
        out = StringIO()
        call_command("unlock_login", "bientap", "--client", "203.0.113.7", stdout=out)
        self.assertEqual(out.getvalue().splitlines(), [
            "Đã mở khóa: bientap", "Đã mở khóa: 203.0.113.7",
        ])
        self.assert_logged_in(self.log_in("bientap", PASSWORD))

    def test_command_says_what_was_not_locked_and_needs_a_name(self):
        out = StringIO()
        call_command("unlock_login", "bientap", stdout=out)
        self.assertIn("Không bị khóa: bientap", out.getvalue())
        with self.assertRaises(CommandError):
            call_command("unlock_login")

    def test_admin_action_lifts_the_lock(self):
        for _attempt in range(5):
            self.log_in("bientap", "sai", address="198.51.100.3")
        self.assert_logged_in(self.log_in("quantri", PASSWORD))
        response = self.client.post(
            "/admin/auth/user/",
            {"action": "unlock_login", "_selected_action": [self.editor.pk, self.admin.pk]},
            follow=True,
        )
        self.assertContains(response, "Đã mở khóa đăng nhập cho 1 tài khoản.")
        self.client.logout()
        self.assert_logged_in(self.log_in("bientap", PASSWORD, address="198.51.100.3"))

    def test_admin_action_needs_the_change_user_permission(self):
        from django.contrib.auth.models import Permission

        self.editor.user_permissions.add(Permission.objects.get(codename="view_user"))
        for _attempt in range(5):
            self.log_in("quantri", "sai", address="198.51.100.3")
        self.client.force_login(self.editor)
        response = self.client.get("/admin/auth/user/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'value="unlock_login"')
        self.client.post(
            "/admin/auth/user/", {"action": "unlock_login", "_selected_action": [self.admin.pk]}
        )
        self.assertTrue(login_throttle.locked_for(None, "quantri"))


class RedisLoginThrottleTests(SimpleTestCase):
    """The counters in real Redis, shared by several processes as by gunicorn's workers."""

    def test_processes_together_let_at_most_five_wrong_passwords_through(self):
        prefix = f"newsroom-test-prod-login-{uuid.uuid4().hex[:8]}"
        context = multiprocessing.get_context("spawn")
        ready, results, start = context.Queue(), context.Queue(), context.Event()
        workers = [
            context.Process(
                target=login_worker.attempt_logins,
                args=(REDIS_URL, prefix, "bientap", ready, start, results),
            )
            for _worker in range(4)
        ]
        for worker in workers:
            worker.start()
        try:
            for _worker in workers:
                ready.get(timeout=60)
            start.set()
            refused = [results.get(timeout=120) for _worker in workers]
        finally:
            for worker in workers:
                worker.join(30)
        # 4 processes x 25 wrong passwords at once: 5 were checked, 95 refused unchecked.
        self.assertEqual(sum(refused), 95)
        with override_settings(CACHES={"default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }}):
            self.assertGreater(login_throttle.locked_for(None, "bientap"), 0)
            self.assertEqual(login_throttle.unlock(username="bientap"), 1)
            self.assertEqual(login_throttle.locked_for(None, "bientap"), 0)
