"""The section menu every public page prints (templates/base.html): one query
when a section changes, then read from the shared cache, not once a request."""

from django.core.cache import cache
from django.db import transaction

MENU_KEY = "newsroom:nav-sections:1"


def nav_sections():
    """The top-level sections, in menu order (cached until a section changes)."""
    from .models import Section

    sections = cache.get(MENU_KEY)
    if sections is None:
        sections = list(Section.objects.filter(parent=None))
        cache.set(MENU_KEY, sections, None)
    return sections


def forget_menu(**kwargs):
    """A section was saved or deleted: drop the menu now and again after commit
    (so a request that read the old rows meanwhile does not keep them)."""
    cache.delete(MENU_KEY)
    transaction.on_commit(lambda: cache.delete(MENU_KEY))


def forget_menu_after_outage():
    """Receiver of ``newsroom.cache.on_recovery``: a section changed while the
    shared cache was down could not drop the menu."""
    cache.delete(MENU_KEY)


def connect():
    from django.db.models.signals import post_delete, post_save

    from .models import Section

    for signal in (post_save, post_delete):
        signal.connect(forget_menu, sender=Section, dispatch_uid=f"menu-{signal is post_save}")
