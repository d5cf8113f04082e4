"""What we tell search engines, feed readers and social networks about an article.

``ArticleMeta`` computes everything once, from rows the caller has already
loaded (the article page passes its prefetched credits, tags, lead photo and
corrections), so the JSON-LD, the Open Graph and X tags, the RSS item and the
news sitemap entry never disagree. Its text is plain text, without control
characters even in rows stored before saves removed them (the news sitemap is
XML, which cannot carry them); the feeds escape it for readers (feeds.py).
"""

import json
import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import F, OuterRef, Prefetch, StringAgg, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, Greatest, JSONObject
from django.templatetags.static import static
from django.utils import timezone
from django.utils.functional import cached_property

from newsroom.media import STORAGE_ERRORS
from newsroom.text import strip_controls

from .models import ArticlePhoto, Correction, Credit, Tag, TaggedArticle
from .renditions import crop_size, rendition

logger = logging.getLogger(__name__)

LOGO_PATH = "img/logo-600x60.png"
LOGO_SIZE = (600, 60)
IMAGE_RATIOS = ("16x9", "4x3", "1x1")
IMAGE_WIDTH = 1200
SHARE_RATIO = IMAGE_RATIOS[0]  # og:image and the first structured-data image


def narrow_crop(photo):
    """("16x9", width) when the photo's 16:9 crop is narrower than IMAGE_WIDTH,
    else ``None``. That crop is the widest image the site needs: the share image
    (og:image, the first image of the structured data) and Google Discover's large
    image want 1200 px, and renditions are never upscaled. The 4:3 and 1:1 crops
    Google also takes need only 50,000 pixels, which a 16:9 crop of 1200 px
    guarantees (1:1 is then at least 675 × 675): a 1600 × 1067 photo is not narrow."""
    if not (photo.width and photo.height):
        return None
    width = crop_size(photo, SHARE_RATIO)[0]
    return (SHARE_RATIO, width) if width < IMAGE_WIDTH else None


def absolute(url):
    """``url`` on the public site (NEWSROOM SITE_URL), unless already absolute."""
    if "://" in url:
        return url
    return settings.NEWSROOM["SITE_URL"].rstrip("/") + "/" + url.lstrip("/")


def w3c(moment):
    """ISO 8601 in the paper's time zone, to the second: 2020-01-10T13:04:00+07:00."""
    return local(moment).isoformat()


def local(moment):
    return timezone.localtime(moment).replace(microsecond=0)


def with_article_rows(queryset):
    """``queryset`` with every row an article page and its ArticleMeta read
    (section, credits with their contributor and role, tags, photo uses with
    their photo, corrections), in a fixed number of queries: the article page
    and the feeds."""
    return queryset.select_related("section").prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("contributor", "role")),
        "tags",
        Prefetch("photo_uses", queryset=ArticlePhoto.objects.select_related("photo")),
        "corrections",
    )


def image_variants(photo):
    """The 16:9, 4:3 and 1:1 crops of ``photo`` at 1200 px wide, as JPEG:
    [{url, width, height, name, mime_type}…], ``name`` in default storage.
    """
    variants = []
    for ratio in IMAGE_RATIOS:
        made = rendition(photo, ratio, IMAGE_WIDTH, fmt="jpeg")
        variant = {
            "url": made.url,
            "width": made.width,
            "height": made.height,
            "name": made.name,
            "mime_type": made.mime_type,
        }
        if variant not in variants:  # an unreadable photo falls back to one original
            variants.append(variant)
    return variants


def modified_expression():
    """``ArticleMeta.modified`` in SQL, for an Article queryset that loads no
    corrections (sitemaps): the latest of first publication, publication,
    editorial update and correction, before ``local()`` rounds it to the second."""
    published = F("published_at")
    corrected = (
        Correction.objects.filter(article=OuterRef("pk"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    # Never a NULL argument: SQLite's MAX(a, b…) would then be NULL.
    return Greatest(
        Coalesce("first_published_at", published),
        published,
        Coalesce("updated_at", published),
        Coalesce(Subquery(corrected), published),
    )


def tag_rows_expression():
    """An article's tags (id, name, slug, in the order they were added) as one
    JSON text column, for an Article queryset: the article page reads its tags
    in the article's own query (``tags_from_rows`` turns it back into Tags)."""
    row = JSONObject(added="id", id="tag_id", name="tag__name", slug="tag__slug")
    rows = (
        TaggedArticle.objects.filter(content_object=OuterRef("pk"))
        .values("content_object")
        .annotate(rows=StringAgg(Cast(row, TextField()), Value(",")))
        .values("rows")
    )
    return Subquery(rows)


def tags_from_rows(rows):
    """The Tags ``tag_rows_expression`` wrote, as if loaded from the database."""
    fields = ["id", "name", "slug"]
    return [
        Tag.from_db(None, fields, [row[name] for name in fields])
        for row in sorted(json.loads(f"[{rows or ''}]"), key=lambda row: row["added"])
    ]


class ArticleMeta:
    def __init__(self, article, *, credits=None, tags=None, lead_use=None, corrections=None):
        self.article = article
        # Rows the caller already loaded; the related managers otherwise (they read
        # the prefetch cache when the queryset prefetched them), each only if needed.
        self._given = {
            "credits": credits,
            "tags": tags,
            "lead_use": lead_use,
            "corrections": corrections,
        }

    @cached_property
    def credits(self):
        given = self._given["credits"]
        return list(self.article.credits.all() if given is None else given)

    @cached_property
    def tags(self):
        given = self._given["tags"]
        return list(self.article.tags.all() if given is None else given)

    @cached_property
    def lead_use(self):
        given = self._given["lead_use"]
        return self.article.lead_photo_use() if given is None else given

    @cached_property
    def corrections(self):
        given = self._given["corrections"]
        return list(self.article.corrections.all() if given is None else given)

    # The facts.

    @cached_property
    def url(self):
        return absolute(self.article.get_absolute_url())

    @property
    def headline(self):
        return strip_controls(self.article.headline)

    @cached_property
    def description(self):
        """The lead, never with the source tag ("SONGXANH.VN - ") printed before it."""
        lead = " ".join(strip_controls(self.article.lead).split())
        tag = self.article.dateline
        for dash in ("-", "–", "—"):
            prefix = f"{tag} {dash}"
            if tag and lead.upper().startswith(prefix.upper()):
                return lead[len(prefix) :].strip()
        return lead

    @cached_property
    def published(self):
        """The original publication time, kept when the article is republished."""
        article = self.article
        return local(article.first_published_at or article.published_at)

    @cached_property
    def modified(self):
        """The latest of publication, editorial update and public correction
        (``modified_expression`` computes the same in SQL)."""
        article = self.article
        moments = [article.published_at, article.updated_at]
        moments += [correction.published_at for correction in self.corrections]
        return max([self.published] + [local(moment) for moment in moments if moment])

    @property
    def section(self):
        return strip_controls(self.article.section.name) if self.article.section_id else ""

    @cached_property
    def tag_names(self):
        return [strip_controls(tag.name) for tag in self.tags]

    @cached_property
    def authors(self):
        """One entry per person or source, in byline order: names only, no roles."""
        people = {}
        for credit in self.credits:
            name = strip_controls(credit.display_name)
            if not name:
                continue
            entry = people.setdefault(credit.person_key, {"name": name, "roles": []})
            entry["roles"].append(credit.role)
            if credit.contributor_id:
                entry["url"] = absolute(credit.contributor.get_absolute_url())
        authors = []
        for entry in people.values():
            if any(role.is_source for role in entry["roles"]):
                authors.append({"@type": "Organization", "name": entry["name"]})
            else:
                person = {"@type": "Person", "name": entry["name"]}
                if "url" in entry:
                    person["url"] = entry["url"]
                authors.append(person)
        return authors

    @cached_property
    def author_names(self):
        return [author["name"] for author in self.authors]

    @cached_property
    def photo_creators(self):
        names = []
        for credit in self.credits:
            name = strip_controls(credit.display_name)
            if credit.role.is_photo and name not in names:
                names.append(name)
        if not names and self.lead_use and self.lead_use.photo.creator:
            names.append(strip_controls(self.lead_use.photo.creator))
        return names

    @cached_property
    def images(self):
        """The lead photo's variants (absolute URLs), with its caption and credits."""
        use = self.lead_use
        if use is None:
            return []
        photo = use.photo
        try:
            variants = image_variants(photo)
        except ValueError:  # a photo without a stored file
            return []
        return [
            {
                "url": absolute(variant["url"]),
                "name": variant["name"],
                "mime_type": variant["mime_type"],
                "width": variant["width"],
                "height": variant["height"],
                "caption": strip_controls(use.display_caption),
                "alt": strip_controls(use.display_alt),
                "creators": self.photo_creators,
                "credit_text": strip_controls(photo.credit_line),
                "copyright_notice": strip_controls(photo.copyright_notice),
            }
            for variant in variants
        ]

    @cached_property
    def public_corrections(self):
        """Corrections proper; plain updates only move ``modified``."""
        return [
            correction
            for correction in self.corrections
            if correction.kind != Correction.Kind.UPDATE
        ]

    # What each consumer reads.

    def publisher(self):
        paper = settings.NEWSROOM
        return {
            "@type": "NewsMediaOrganization",
            "name": paper["NAME"],
            "url": absolute("/"),
            "logo": {
                "@type": "ImageObject",
                "url": absolute(static(LOGO_PATH)),
                "width": LOGO_SIZE[0],
                "height": LOGO_SIZE[1],
            },
        }

    def json_ld(self):
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "mainEntityOfPage": self.url,
            "url": self.url,
            "headline": self.headline,
            "description": self.description,
            "datePublished": self.published.isoformat(),
            "dateModified": self.modified.isoformat(),
            "inLanguage": "vi",
            "author": self.authors,
            "publisher": self.publisher(),
        }
        if self.section:
            data["articleSection"] = self.section
        if self.tag_names:
            data["keywords"] = self.tag_names
        if self.images:
            data["image"] = [self._image_object(image) for image in self.images]
        if self.public_corrections:
            data["correction"] = [
                {
                    "@type": "CreativeWork",
                    "name": correction.get_kind_display(),
                    "text": strip_controls(correction.text, multiline=True),
                    "datePublished": w3c(correction.published_at),
                }
                for correction in self.public_corrections
            ]
        return data

    def _image_object(self, image):
        data = {
            "@type": "ImageObject",
            "url": image["url"],
            "contentUrl": image["url"],
            "width": image["width"],
            "height": image["height"],
        }
        if image["caption"]:
            data["caption"] = image["caption"]
        creators = [{"@type": "Person", "name": name} for name in image["creators"]]
        if creators:
            data["creator"] = creators[0] if len(creators) == 1 else creators
        if image["credit_text"]:
            data["creditText"] = image["credit_text"]
        if image["copyright_notice"]:
            data["copyrightNotice"] = image["copyright_notice"]
        return data

    def social_tags(self):
        """Open Graph and X card tags as (attribute, key, content) triples."""
        tags = [
            ("property", "og:type", "article"),
            ("property", "og:site_name", settings.NEWSROOM["NAME"]),
            ("property", "og:locale", "vi_VN"),
            ("property", "og:title", self.headline),
            ("property", "og:description", self.description),
            ("property", "og:url", self.url),
        ]
        image = self.images[0] if self.images else None
        if image:
            tags += [
                ("property", "og:image", image["url"]),
                ("property", "og:image:width", str(image["width"])),
                ("property", "og:image:height", str(image["height"])),
                ("property", "og:image:alt", image["alt"]),
            ]
        tags += [
            ("property", "article:published_time", self.published.isoformat()),
            ("property", "article:modified_time", self.modified.isoformat()),
        ]
        if self.section:
            tags.append(("property", "article:section", self.section))
        tags += [("property", "article:tag", name) for name in self.tag_names]
        tags += [
            ("name", "twitter:card", "summary_large_image"),
            ("name", "twitter:title", self.headline),
            ("name", "twitter:description", self.description),
        ]
        if image:
            tags += [
                ("name", "twitter:image", image["url"]),
                ("name", "twitter:image:alt", image["alt"]),
            ]
        return tags

    @cached_property
    def rss_item(self):
        """The fields of the article's RSS item (see feeds.py)."""
        categories = ([self.section] if self.section else []) + self.tag_names
        enclosure = None
        if self.images:
            image = self.images[0]
            try:
                length = default_storage.size(image["name"])
            except STORAGE_ERRORS as error:  # missing, or the storage down: sent without it
                logger.warning("No RSS enclosure for article %s: %s", self.article.pk, error)
            else:
                enclosure = {
                    "url": image["url"],
                    "length": str(length),
                    "mime_type": image["mime_type"],
                }
        return {
            "title": self.headline,
            "link": self.url,
            "description": self.description,
            "pubdate": self.published,
            "updateddate": self.modified,
            "author_name": ", ".join(self.author_names),
            "categories": categories,
            "enclosure": enclosure,
        }

    def news_entry(self):
        """The fields of the article's Google News sitemap entry."""
        return {
            "name": settings.NEWSROOM["NAME"],
            "language": "vi",
            "publication_date": self.published.isoformat(),
            "title": self.headline,
        }


def meta_for(article):
    """``article``'s ArticleMeta, built once per article object (feeds, sitemaps)."""
    meta = article.__dict__.get("_article_meta")
    if meta is None:
        meta = article.__dict__["_article_meta"] = ArticleMeta(article)
    return meta
