from django.conf import settings


def newsroom(request):
    """The paper's identity (name, masthead lines) and the section menu."""
    from articles.models import Section

    return {
        "paper": settings.NEWSROOM,
        # A lazy queryset: one query, only on pages that show the menu.
        "nav_sections": Section.objects.filter(parent=None),
    }
