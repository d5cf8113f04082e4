"""Dates: Django's per-language format modules (vi/) and the one way a moment is shown."""

from django.utils import dateformat, timezone

# How every page, e-mail, notice and command shows a moment, in every
# language: "10/01/2020 - 13:04", in the paper's time zone (Asia/Ho_Chi_Minh).
DISPLAY_FORMAT = "d/m/Y - H:i"


def display_time(moment):
    """``moment`` as pages show it: "10/01/2020 - 13:04", in the current time zone
    (the ``display_time`` template filter of ``articles/templatetags/dates.py``)."""
    return dateformat.format(timezone.localtime(moment), DISPLAY_FORMAT)
