from django.conf import settings


def newsroom(request):
    """The paper's identity (name, masthead lines) and the section menu."""
    from articles.navigation import nav_sections

    return {
        "paper": settings.NEWSROOM,
        # Called by the template, only on pages that show the menu; cached
        # until a section changes (articles/navigation.py).
        "nav_sections": nav_sections,
    }
