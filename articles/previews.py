"""Previews of any revision with the public template, and share links.

A revision is a JSON snapshot (see revisions.py). To show it with the public
article template we build unsaved Article, Credit and ArticlePhoto objects
from it (``models.snapshot_content``, which a restore saves); nothing here
writes to the article. The public share-link view shows the one revision its
link names, to people without an account.
"""


from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from newsroom.formats import display_time
from newsroom.text import slugify

from .models import Article, ShareLink, Tag, snapshot_content
from .richtext import sanitize_body
from .views import render_article


def build(article, data):
    """The content of snapshot ``data`` as unsaved objects for ``render_article``.

    Returns ``(copy, rows)``: an unsaved copy of ``article`` holding the
    snapshot's text (no primary key, so no share URL and no comments), and
    the credits, tags and photo uses as keyword arguments.
    """
    content = snapshot_content(data)
    copy = Article(
        **content.fields,
        section=content.section,
        status=article.status,
        published_at=article.published_at,
        first_published_at=article.first_published_at,
        updated_at=article.updated_at,
    )
    copy.body = sanitize_body(copy.body)
    tags = [Tag(name=name, slug=slugify(name)) for name in content.tags]
    return copy, {"credits": content.credits, "tags": tags, "photo_uses": content.photo_uses}


def render_snapshot(request, article, data, *, note="", corrections=()):
    """The public article page for snapshot ``data`` of ``article``, as a preview:
    noindex and never cached."""
    copy, rows = build(article, data)
    response = render_article(
        request, copy, **rows, corrections=corrections, related=(), preview=True,
        preview_note=note,
    )
    return _private(response)


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in the URL: never send it on to another page or site.
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def shared_preview(request, token):
    """The revision a share link names, for someone without an account.

    Unknown token: 404. Revoked or expired link, or a withdrawn article (a
    takedown ends every preview link too): 410. Once the article is public the
    link leads to its public page. Uses no session and sets no cookie.
    """
    link = (
        ShareLink.objects.select_related("article", "revision")
        .filter(token_hash=ShareLink.hash_token(token))
        .first()
    )
    if link is None:
        raise Http404(_("Không có liên kết xem trước này."))
    if not link.is_active or link.article.status == Article.Status.WITHDRAWN:
        response = render(request, "articles/share_link_gone.html", status=410)
        return _private(response)
    article = link.article
    if article.is_public:
        return _private(redirect(article))
    ShareLink.objects.filter(pk=link.pk).update(
        view_count=F("view_count") + 1, last_viewed_at=timezone.now()
    )
    note = _("Liên kết xem trước này hết hạn lúc %(time)s.") % {
        "time": display_time(link.expires_at)
    }
    return render_snapshot(request, article, link.revision.data, note=note)
