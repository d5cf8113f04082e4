"""Previews of any revision with the public template, and share links.

A revision is a JSON snapshot (see revisions.py). To show it with the public
article template we build unsaved Article, Credit and ArticlePhoto objects
from it; nothing here writes to the article. The public share-link view shows
the one revision its link names, to people without an account.
"""


from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from newsroom.text import slugify

from .models import Article, ArticlePhoto, Contributor, Credit, Photo, Role, Section, ShareLink, Tag
from .richtext import sanitize_body
from .views import render_article

# The template has a slot for a note ("revision #3, saved at…"); render_article
# passes it on once it takes the argument.
TEXT_FIELDS = ["headline", "kicker", "source_tag", "lead", "kind"]


def _section(data):
    if not data:
        return None
    section = Section.objects.filter(pk=data["id"]).first()
    # A section deleted since: its name as it was, with a slug that resolves.
    return section or Section(name=data["name"], slug=slugify(data["name"]) or "x")


def build(article, data):
    """The content of snapshot ``data`` as unsaved objects for ``render_article``.

    Returns ``(copy, rows)``: an unsaved copy of ``article`` holding the
    snapshot's text (no primary key, so no share URL and no comments), and
    the credits, tags and photo uses as keyword arguments.
    """
    copy = Article(
        **{name: data.get(name) or "" for name in TEXT_FIELDS},
        body=sanitize_body(data.get("body") or ""),
        section=_section(data.get("section")),
        status=article.status,
        published_at=article.published_at,
        first_published_at=article.first_published_at,
        updated_at=article.updated_at,
    )
    credits_data = data.get("credits") or []
    roles = Role.objects.in_bulk({credit["role"] for credit in credits_data})
    credits = []
    for credit in credits_data:
        role = roles.get(credit["role"]) or Role(pk=credit["role"], label=credit["role_label"])
        contributor = None
        if credit["contributor"]:
            # The name as printed at the time, keeping the person's identity.
            contributor = Contributor(pk=credit["contributor"], name=credit["display_name"])
        credits.append(
            Credit(role=role, contributor=contributor, name=credit["name"], order=credit["order"])
        )
    photos_data = data.get("photos") or []
    photos = Photo.objects.in_bulk({use["photo"] for use in photos_data})
    photo_uses = [
        ArticlePhoto(
            photo=photos[use["photo"]],
            is_lead=use["is_lead"],
            after_paragraph=use["after_paragraph"],
            caption=use["caption"],
            alt_text=use["alt_text"],
            order=use["order"],
        )
        for use in photos_data
        if use["photo"] in photos  # a photo deleted from the library since
    ]
    tags = [Tag(name=name, slug=slugify(name)) for name in data.get("tags") or []]
    return copy, {"credits": credits, "tags": tags, "photo_uses": photo_uses}


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
        "time": timezone.localtime(link.expires_at).strftime("%d/%m/%Y - %H:%M")
    }
    return render_snapshot(request, article, link.revision.data, note=note)
