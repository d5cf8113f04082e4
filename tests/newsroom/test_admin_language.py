"""The admin in Vietnamese, Django's own strings included, and its errors in its layout.

Django's Vietnamese catalogue lacks the strings of its newer admin ("Show counts",
"Run", "Filter by …", the time-zone note) and makes odd choices ("Bản ghi nhớ",
a memorandum, for History). ``locale/vi`` holds our translations of them; these
tests walk every admin page a reporter, an editor and a comment moderator can reach
and fail on any English phrase of Django's admin catalogue in the visible text.
"""

import ast
import json
import re
import tempfile
from pathlib import Path

import django
import taggit
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from articles import roles
from articles.models import Article
from comments.models import ModerationEvent
from tests.admin_pages import ADMIN, VisibleText, crawl, registry_pages, shape
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_comment,
    make_contributor,
    make_member,
    make_reporter,
    make_user,
)

DJANGO = Path(django.__file__).parent
ADMIN_LOCALE = DJANGO / "contrib" / "admin" / "locale"
PO_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$')
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def po_entries(path):
    """(context, msgid, msgid_plural) of every message in the .po file at ``path``."""
    entries, fields, key = [], {}, None
    for line in [*Path(path).read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if match := PO_LINE.match(line):
            key = match[1]
            fields[key] = ast.literal_eval(match[2])
        elif line.startswith('"') and key:
            fields[key] += ast.literal_eval(line)
        else:
            if fields.get("msgid"):
                entries.append((fields.get("msgctxt"), fields["msgid"], fields.get("msgid_plural")))
            fields, key = {}, None
    return entries


def english_phrases():
    """The English phrases our pages must not show: the literal pieces (between
    placeholders) of every msgid of Django's admin catalogue and of taggit's, each
    also capitalised as the admin shows field names, plus the empty choice label."""
    catalogues = [
        ADMIN_LOCALE / "en" / "LC_MESSAGES" / "django.po",
        Path(taggit.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po",
    ]
    with translation.override(None):
        phrases = {str(BLANK_CHOICE_LABEL).strip(" -")}
    for path in catalogues:
        for _context, *ids in po_entries(path):
            for msgid in filter(None, ids):
                for piece in PLACEHOLDER.split(msgid):
                    piece = piece.strip(" .:,;!?“”\"'()—-…\n")
                    if re.search(r"[A-Za-z]{3,}", piece):
                        phrases |= {piece, piece[0].upper() + piece[1:]}
    return sorted(phrases, key=len, reverse=True)


ENGLISH = re.compile(
    "|".join(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])" for phrase in english_phrases())
)


@override_settings(LANGUAGE_CODE="vi")
class AdminInVietnameseTests(TestCase):
    @classmethod
    def setUpClass(cls):
        media = tempfile.TemporaryDirectory()
        cls.addClassCleanup(media.cleanup)
        cls.enterClassContext(override_settings(MEDIA_ROOT=media.name))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_reporter("phongvien", first_name="Trần Quốc")
        cls.editor = make_member(roles.EDITORS, "bientap")
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")
        writer = make_contributor("Trần Quốc", user=cls.reporter)
        cls.draft = make_article(
            headline="Lũ về miền Trung", status=Article.Status.DRAFT, published_at=None,
            tags=["lũ lụt"],
        )
        cls.draft.record_revision(cls.reporter)
        add_credit(cls.draft, writer)
        add_photo(cls.draft, is_lead=True)
        published = make_article(headline="Giá lúa tăng", tags=["nông nghiệp"])
        add_credit(published, writer)
        make_comment(published)
        make_comment(published, status="published", minutes_ago=30)
        LogEntry.objects.log_actions(
            cls.reporter.pk, [cls.draft], ADDITION, change_message='[{"added": {}}]',
            single_object=True,
        )

    def crawl(self, user, language="vi"):
        """Every admin page ``user`` may open (tests/admin_pages.py), as {url: visible text}."""
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        pages = {}

        def open_page(url, came_from):
            response = client.get(url)
            # 403: a link Django draws without asking (a read-only user field links to
            # the user's page); the refusal is an admin page too, checked as one.
            self.assertIn(response.status_code, (200, 302, 403), f"{url}, linked from {came_from}")
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                return None
            parser = VisibleText()
            parser.feed(response.text)
            pages[url] = "\n".join(parser.text)
            return parser.links

        crawl([ADMIN, *registry_pages(user)], open_page)
        return pages

    def assert_vietnamese(self, pages):
        found = {
            url: sorted({match[0] for match in ENGLISH.finditer(text)})
            for url, text in pages.items()
        }
        self.assertEqual({url: words for url, words in found.items() if words}, {})

    def test_the_phrase_list_is_django_s(self):
        for phrase in ["Show counts", "Run", "Filter by", "History", "entries", "Select an option",
                       "Skip to main content", "Name", "Slug"]:
            self.assertRegex(phrase, ENGLISH)
        self.assertNotRegex("Lũ về miền Trung, thể thao, the-thao, Tin, ảnh: Trần Quốc", ENGLISH)

    def test_every_page_of_each_role_is_vietnamese(self):
        expected = {
            self.reporter: [
                reverse("admin:index"),
                reverse("admin:articles_article_changelist"),
                reverse("admin:articles_article_add"),
                reverse("admin:articles_article_change", args=[self.draft.pk]),
                reverse("admin:articles_article_history", args=[self.draft.pk]),
                reverse("admin:articles_photo_changelist"),
                reverse("admin:articles_tag_changelist"),
            ],
            self.editor: [
                reverse("admin:articles_article_changelist"),
                reverse("admin:articles_article_change", args=[self.draft.pk]),
                reverse("admin:articles_article_history", args=[self.draft.pk]),
                reverse("admin:articles_photo_changelist"),
                reverse("admin:comments_comment_changelist"),
                reverse("admin:comments_word_changelist"),
            ],
            self.moderator: [
                reverse("admin:index"),
                reverse("admin:comments_comment_changelist"),
                reverse("admin:comments_moderationevent_changelist"),
            ],
        }
        for user, urls in expected.items():
            with self.subTest(user=user.username):
                pages = self.crawl(user)
                shapes = {shape(url) for url in pages}
                for url in urls:
                    self.assertIn(shape(url), shapes)
                self.assert_vietnamese(pages)

    def test_delete_confirmations(self):
        """No newsroom role deletes; the administrator's confirmations are Vietnamese too."""
        self.client.force_login(make_user("quantri", is_superuser=True))
        pages = {}
        for url in [
            reverse("admin:articles_article_delete", args=[self.draft.pk]),
            reverse("admin:articles_photo_delete", args=[self.draft.photo_uses.get().photo_id]),
            reverse("admin:articles_tag_delete", args=[self.draft.tags.get().pk]),
        ]:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            parser = VisibleText()
            parser.feed(response.text)
            pages[url] = "\n".join(parser.text)
        self.assert_vietnamese(pages)

    def test_english_admin_shows_moments_one_way(self):
        """No "Dec. 2, 2026, 3:11 a.m." (Django's English) beside "03/12/2026 - 06:30"."""
        django_english = re.compile(
            r"\b[ap]\.m\.|\b(noon|midnight)\b|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
            r"[a-z]*\.? \d{1,2}, \d{4}"
        )
        pages = self.crawl(self.editor, language="en")
        self.assertIn(shape(reverse("admin:articles_article_history", args=[self.draft.pk])),
                      {shape(url) for url in pages})
        shown = {url: django_english.findall(text) for url, text in pages.items()}
        self.assertEqual({url: found for url, found in shown.items() if found}, {})
        client = Client()
        client.force_login(self.editor)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        url = reverse("admin:articles_article_history", args=[self.draft.pk])
        parser = VisibleText()
        parser.feed(client.get(url).text)
        history = "\n".join(parser.text)
        self.assertNotRegex(history, django_english)
        # Our revisions table and Django's log table, in one format.
        self.assertGreaterEqual(len(re.findall(r"\d{2}/\d{2}/\d{4} - \d{2}:\d{2}", history)), 2)

    def test_history_words_and_log_note(self):
        self.client.force_login(self.reporter)
        response = self.client.get(reverse("admin:articles_article_history", args=[self.draft.pk]))
        self.assertContains(response, "Lịch sử")
        self.assertNotContains(response, "Bản ghi nhớ")
        self.assertContains(response, "Đã thêm.")
        response = self.client.get(reverse("admin:articles_article_changelist"))
        self.assertContains(response, "Thêm bài viết")
        self.assertNotContains(response, "Thêm vào")

    def test_moderation_log_note_is_translated(self):
        """The log's view page shows the system's note as words, not its code."""
        event = ModerationEvent.objects.filter(note=ModerationEvent.Note.CREATED).first()
        self.client.force_login(self.moderator)
        response = self.client.get(
            reverse("admin:comments_moderationevent_change", args=[event.pk])
        )
        parser = VisibleText()
        parser.feed(response.text)
        self.assertIn(str(ModerationEvent.Note.CREATED.label), parser.text)
        self.assertNotIn("created", parser.text)

    def test_errors_inside_the_admin_are_vietnamese(self):
        for user in (self.reporter, self.editor, self.moderator):
            client = Client()
            client.force_login(user)
            for url, status in [("/admin/khong-co-trang-nay/", 404), ("/admin/auth/user/", 403)]:
                with self.subTest(user=user.username, url=url):
                    response = client.get(url)
                    self.assertEqual(response.status_code, status)
                    parser = VisibleText()
                    parser.feed(response.text)
                    self.assert_vietnamese({url: "\n".join(parser.text)})


class CataloguesTests(TestCase):
    """Every message of Django's admin, Python and JavaScript, has Vietnamese."""

    def untranslated(self, domain):
        if domain == "django":
            catalogue = trans_real.translation("vi")._catalog
        else:
            catalogue = trans_real.DjangoTranslation(
                "vi", domain=domain, localedirs=[str(ADMIN_LOCALE)]
            )._catalog
        missing = []
        english = ADMIN_LOCALE / "en" / "LC_MESSAGES" / f"{domain}.po"
        for context, msgid, plural in po_entries(english):
            key = f"{context}\x04{msgid}" if context else msgid
            if catalogue.get((key, 0) if plural else key) is None:
                missing.append(msgid)
        return missing

    def test_admin_messages(self):
        self.assertEqual(self.untranslated("django"), [])

    def test_admin_javascript_messages(self):
        self.assertEqual(self.untranslated("djangojs"), [])

    def test_the_admin_s_javascript_catalogue_is_ours(self):
        """The date pickers and the time-zone note (admin/jsi18n/) read locale/vi."""
        self.client.force_login(make_reporter())
        with translation.override("vi"):
            response = self.client.get(reverse("admin:jsi18n"))
        for vietnamese in ["nhập giờ theo múi giờ", "Thứ hai"]:
            self.assertContains(response, json.dumps(vietnamese)[1:-1])

    def test_our_overrides_win_over_django_s(self):
        with translation.override("vi"):
            self.assertEqual(translation.gettext("History"), "Lịch sử")
            self.assertEqual(translation.gettext("Add %(name)s") % {"name": "bài viết"},
                             "Thêm bài viết")
        with translation.override("en"):
            self.assertEqual(translation.gettext("History"), "History")
        self.assertIn(str(settings.BASE_DIR / "locale"), map(str, settings.LOCALE_PATHS))
