"""``{{ moment|display_time }}``: a moment as every page shows it ("10/01/2020 - 13:04")."""

from django import template
from django.template.defaultfilters import date

from newsroom.formats import DISPLAY_FORMAT

register = template.Library()


@register.filter(expects_localtime=True)
def display_time(moment):
    """``newsroom.formats.display_time`` for templates; "" for no moment, as ``date``."""
    return date(moment, DISPLAY_FORMAT)
