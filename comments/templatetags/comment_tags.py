import re

from django import template
from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import get_language

from articles import caching
from articles.models import CommentsMode
from comments import posting, reading
from comments.forms import CommentForm

register = template.Library()

# Matched on the *escaped* text, so a link can never contain a raw quote or
# angle bracket; the escaped ones end it too. Linear: no nested quantifiers.
_LINK = re.compile(r"https?://(?:(?!&(?:quot|#x27|#39|lt|gt);)[^\s<>\"'])+")
# Punctuation after a link belongs to the sentence, not to the link.
_TRAILING = re.compile(r"(?:&amp;|[.,;:!?)\]}])+$")


def _link(match):
    url = match[0]
    stripped = _TRAILING.sub("", url)
    tail = url[len(stripped) :]
    if stripped.endswith("://"):
        return url
    return f'<a href="{stripped}" rel="nofollow ugc noopener">{stripped}</a>{tail}'


@register.filter(is_safe=True)
def comment_text(value):
    """A reader's plain text as HTML: escaped first, then line breaks, and
    http(s) links made clickable only when COMMENTS_ALLOW_LINKS is on. Never
    Django's urlize, which has a history of slow regexes on hostile input."""
    escaped = str(conditional_escape(normalize_newlines(str(value))))
    if posting.setting("ALLOW_LINKS"):
        escaped = _LINK.sub(_link, escaped)
    return mark_safe(escaped.replace("\n", "<br>"))  # noqa: S308 (escaped above)


@register.inclusion_tag("comments/block.html", takes_context=True)
def comments_block(context, article):
    """The "Bình luận" block under an article: the first page of comments (no
    query when the article has none), the reader's own pending comments, and
    the form, or why comments are closed."""
    request = context.get("request")
    mode = posting.effective_mode(article)
    closed = mode == CommentsMode.CLOSED
    # The form and the published comments are the same for every reader: kept
    # as a fragment, made again by the purge of any change to them (moderation).
    shared = caching.fragment(
        f"comments:{article.pk}:{get_language()}:{closed}:{article.comment_count}",
        {f"article-{article.pk}", "nav"},
        lambda: _shared_parts(article, closed),
    )
    return {
        "article": article,
        "listing": {**shared, "html": mark_safe(shared["html"])},  # noqa: S308 - our templates
        "form_html": mark_safe(shared["form"]),  # noqa: S308
        "own_pending": reading.pending_for(request, article),
        "closed": closed,
        "auto_closed": posting.is_auto_closed(article),
        "close_after_days": posting.setting("CLOSE_AFTER_DAYS"),
    }


def _shared_parts(article, closed):
    """The comment form and the first page of published comments, as HTML."""
    page = reading.comments_page(article) if article.comment_count else reading.Page([])
    context = {"article": article, "page": page, "closed": closed}
    form = ""
    if not closed:
        context["form"] = CommentForm(article=article)
        form = get_template("comments/form.html").render(context)
    html = get_template("comments/page.html").render(context) if page.comments else ""
    return {
        "html": html, "any": bool(page.comments), "long": bool(page.next_cursor), "form": form,
    }
