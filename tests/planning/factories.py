"""Plan entries for tests: ``make_entry(**overrides)``."""

import itertools
from datetime import timedelta

from django.utils import timezone

from articles.planning.models import PlanEntry, PlanSlot
from tests.factories import make_section

_counter = itertools.count(1)


def slot(name):
    """One of the slots the migration seeds: "Trang chủ buổi sáng", "Báo in"…"""
    return PlanSlot.objects.get(name=name)


def make_entry(**overrides):
    """A proposal for today, due in three hours, unless ``overrides`` say otherwise.
    The state is stored as given (the way a fixture is), not through the transitions."""
    defaults = {
        "title": f"Đề tài số {next(_counter)}",
        "planned_for": timezone.localdate(),
        "deadline": timezone.now() + timedelta(hours=3),
    }
    defaults.update(overrides)
    if "section" not in defaults:
        defaults["section"] = make_section()
    return PlanEntry.objects.create(**defaults)
