"""``{% content_lang %}``: ` lang="vi"` on an element holding the paper's content
(headlines, leads, bodies, section names) when the page's language is another
(README "The public site": screen readers read the content with its own voice)."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def content_lang():
    language = settings.NEWSROOM_CONTENT_LANGUAGE
    if not language or (get_language() or "").split("-")[0] == language.split("-")[0]:
        return ""
    return format_html(' lang="{}"', language)


SUGGESTED = 8  # the latest articles a "not found" or "gone" page suggests


@register.simple_tag
def latest_articles():
    """The newest public articles for the 404 and 410 pages: one indexed
    ``LIMIT`` query, kept as a fragment until the next publication (``home``)."""
    from articles import caching
    from articles.models import Article

    def build():
        return list(
            Article.objects.published()
            .latest_first()
            .only("pk", "slug", "headline", "published_at")[:SUGGESTED]
        )

    return caching.fragment("suggestions", {"home", "nav"}, build)
