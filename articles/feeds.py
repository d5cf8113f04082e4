"""RSS 2.0 feeds: the latest articles, a section's, a tag's.

Every item's fields come from ArticleMeta, like the page's JSON-LD.
"""

import html
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from newsroom.text import strip_controls

from .meta import absolute, meta_for, with_article_rows
from .models import Article, Section, Tag

FEED_SIZE = 50

# What RSS readers render as HTML: the channel's and the items' text elements.
TEXT_FIELDS = {"title", "description", "author_name", "feed_copyright", "item_copyright"}
# Characters XML 1.0 has no place for, besides the control characters.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_chars(value):
    """``value`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", strip_controls(value, multiline=True))


def feed_text(value):
    """Text for an RSS element a reader renders as HTML: escaped for HTML here,
    then for XML by the generator, so the reader shows the text, not markup."""
    return html.escape(xml_chars(value), quote=False)


class TextRss(Rss201rev2Feed):
    """RSS 2.0 whose title, description, category and dc:creator elements
    carry text, never markup (escaped twice, as RSS practice has it), and
    that no stored text can fail: characters XML cannot carry (control
    characters in rows written by ``update()`` or an old import) are left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = self.as_text(self.feed)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = self.as_text(self.items[-1])

    @staticmethod
    def as_text(fields):
        fields = dict(fields)
        for key, value in fields.items():
            if key == "categories":
                fields[key] = [feed_text(category) for category in value]
            elif isinstance(value, str):
                fields[key] = feed_text(value) if key in TEXT_FIELDS else xml_chars(value)
        return fields


class LatestFeed(Feed):
    feed_type = TextRss

    def title(self):
        return settings.NEWSROOM["NAME"]

    def link(self):
        return absolute("/")

    def description(self):
        return _("Tin mới nhất của %(name)s") % {"name": settings.NEWSROOM["NAME"]}

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return with_article_rows(self.articles(obj).latest_first())[:FEED_SIZE]

    def item_title(self, item):
        return meta_for(item).rss_item["title"]

    def item_link(self, item):
        return meta_for(item).rss_item["link"]

    def item_guid(self, item):
        return meta_for(item).rss_item["link"]

    def item_description(self, item):
        return meta_for(item).rss_item["description"]

    def item_pubdate(self, item):
        return meta_for(item).rss_item["pubdate"]

    def item_updateddate(self, item):
        return meta_for(item).rss_item["updateddate"]

    def item_author_name(self, item):
        return meta_for(item).rss_item["author_name"] or None

    def item_categories(self, item):
        return meta_for(item).rss_item["categories"]

    def item_enclosures(self, item):
        enclosure = meta_for(item).rss_item["enclosure"]
        return [Enclosure(**enclosure)] if enclosure else []


class ObjectFeed(LatestFeed):
    """The latest articles of one object (a section, a tag) named by its slug
    in the URL; a subclass says which ``model``, and its description and articles."""

    model = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj):
        return f"{obj.name} - {settings.NEWSROOM['NAME']}"

    def link(self, obj):
        return absolute(obj.get_absolute_url())


class SectionFeed(ObjectFeed):
    model = Section

    def description(self, obj):
        return _("Tin mới nhất của chuyên mục %(section)s") % {"section": obj.name}

    def articles(self, obj):
        return Article.objects.published().in_section(obj)


class TagFeed(ObjectFeed):
    model = Tag

    def description(self, obj):
        return _("Tin mới nhất về %(tag)s") % {"tag": obj.name}

    def articles(self, obj):
        return Article.objects.published().tagged(obj)
