"""``seed_demo`` plans today and tomorrow (articles.planning.demo)."""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.planning.models import PlanEntry, Stage


def seed():
    call_command("seed_demo", "--photo-size", "60x40", stdout=io.StringIO())


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                   DEBUG=True)
class SeedDemoPlanTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed()

    def test_today_and_tomorrow_with_proposals_and_approved_entries(self):
        today = timezone.localdate()
        days = set(PlanEntry.objects.values_list("planned_for", flat=True))
        self.assertEqual(days, {today, today + timedelta(days=1)})
        states = sorted(PlanEntry.objects.values_list("state", flat=True))
        self.assertEqual(states, sorted([Stage.APPROVED] * 3 + [Stage.PROPOSED] * 2))
        approved = PlanEntry.objects.filter(state=Stage.APPROVED)
        self.assertEqual({entry.approved_by.username for entry in approved}, {"bientap"})
        self.assertEqual({entry.reporter.username for entry in approved}, {"phongvien"})
        self.assertFalse(PlanEntry.objects.filter(slot=None).exists())

    def test_a_second_run_adds_nothing(self):
        count = PlanEntry.objects.count()
        seed()
        self.assertEqual(PlanEntry.objects.count(), count)

    def test_the_demo_reporter_has_work_on_the_admin_home(self):
        self.client.force_login(get_user_model().objects.get(username="phongvien"))
        page = self.client.get(reverse("admin:index"))
        self.assertContains(page, "Việc của tôi")
        self.assertEqual(len(page.context["desk_panels"][0]["rows"]), 3)
