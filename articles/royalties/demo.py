"""The demo's base amount (``seed_demo``): an example, the paper sets its own."""

import datetime

from django.utils import timezone

from .models import BaseAmount

DEMO_AMOUNT_PER_POINT = 100_000  # đồng per coefficient point


def ensure_base_amount():
    """A base amount from a year back (before every demo article), once."""
    if not BaseAmount.objects.exists():
        today = timezone.localdate()
        BaseAmount.objects.create(
            amount_per_point=DEMO_AMOUNT_PER_POINT,
            valid_from=datetime.date(today.year - 1, today.month, 1),
            note="Mức mẫu của dữ liệu thử",
        )
