import io
import sqlite3
import unicodedata
from datetime import timedelta
from unittest import skipUnless

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.utils import timezone

from articles import demo
from articles.management.commands.seed_demo import Command
from articles.models import (
    ApprovalChain,
    Article,
    ArticlePhoto,
    Contributor,
    Credit,
    Photo,
    Section,
    Tag,
    TaggedArticle,
)
from articles.richtext import sanitize_body
from newsroom.text import fold, slugify

# Demo accounts are created with real password hashing; a fast hasher keeps
# the tests quick.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MODELS = [Section, Contributor, get_user_model(), Group, Article, Credit, Photo, ArticlePhoto, Tag]


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", "--photo-size", "60x40", *args, stdout=out)
    return out.getvalue()


def is_nfc(text):
    return unicodedata.is_normalized("NFC", text)


@override_settings(PASSWORD_HASHERS=FAST_HASHER, DEBUG=True)
class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.output = seed()
        cls.demo_articles = Article.objects.filter(import_key__startswith=demo.DEMO_KEY_PREFIX)

    def test_creates_the_sections(self):
        sections = Section.objects.filter(name__in=demo.SECTIONS)
        self.assertEqual(list(sections.values_list("name", flat=True)), demo.SECTIONS)
        self.assertTrue(Section.objects.filter(slug="van-hoa-giai-tri").exists())
        self.assertTrue(Section.objects.filter(slug="an-ninh-trat-tu").exists())

    def test_creates_about_thirty_articles_most_of_them_public(self):
        self.assertEqual(self.demo_articles.count(), 30)
        self.assertEqual(self.demo_articles.published().count(), 26)
        self.assertEqual(self.demo_articles.filter(status=Article.Status.DRAFT).count(), 3)
        self.assertIn("Đã tạo 30 bài mẫu, 26 bài bạn đọc xem được.", self.output)

    def test_published_times_spread_over_the_last_month(self):
        now = timezone.now()
        times = list(self.demo_articles.published().values_list("published_at", flat=True))
        self.assertGreater(min(times), now - timedelta(days=31))
        self.assertLess(min(times), now - timedelta(days=25))
        self.assertLess(max(times), now)
        updated = [article for article in self.demo_articles if article.shows_update]
        self.assertEqual(len(updated), 1)
        self.assertLessEqual(updated[0].updated_at, now)

    def test_one_article_is_scheduled_two_hours_ahead(self):
        scheduled = self.demo_articles.get(status=Article.Status.SCHEDULED)
        self.assertGreater(scheduled.published_at, timezone.now() + timedelta(minutes=110))
        self.assertFalse(scheduled.is_public)

    def test_articles_are_complete(self):
        source_tag = settings.NEWSROOM["SOURCE_TAG"]
        for article in self.demo_articles.prefetch_related("tags", "credits"):
            with self.subTest(article=article.headline):
                self.assertTrue(article.section_id)
                self.assertTrue(article.lead)
                self.assertNotIn(source_tag, article.lead)
                self.assertIn(article.body.count("<p>"), range(3, 7))
                self.assertIn(len(article.tags.all()), range(1, 5))
                self.assertTrue(is_nfc(article.headline + article.lead + article.body))

    def test_bylines_render_as_written(self):
        for article in self.demo_articles:
            story = demo.STORIES[int(article.import_key.removeprefix(demo.DEMO_KEY_PREFIX)) - 1]
            self.assertEqual(article.byline(), story["byline"])
        bylines = [article.byline() for article in self.demo_articles]
        self.assertGreaterEqual(bylines.count("Theo TTXVN"), 2)
        self.assertIn("Bài: Đ.V.L, Huỳnh Kim Ngân", bylines)
        ttxvn = Credit.objects.filter(role__is_source=True)
        self.assertEqual(set(ttxvn.values_list("name", flat=True)), {"TTXVN"})
        self.assertFalse(ttxvn.filter(contributor__isnull=False).exists())

    def test_kinds_are_varied(self):
        kinds = set(self.demo_articles.values_list("kind", flat=True))
        self.assertGreaterEqual(len(kinds), 3)

    def test_every_article_has_a_lead_photo_some_an_inline_one(self):
        for article in self.demo_articles:
            use = article.lead_photo_use()
            self.assertTrue(use.caption)
            self.assertTrue(use.display_alt)
            self.assertTrue(use.photo.credit_line.startswith("Ảnh: "))
        inline = ArticlePhoto.objects.filter(is_lead=False)
        self.assertGreaterEqual(inline.count(), 3)
        self.assertEqual(set(inline.values_list("after_paragraph", flat=True)), {2})
        self.assertLess(Photo.objects.count(), self.demo_articles.count())

    def test_photos_are_stored_like_uploads(self):
        photo = Photo.objects.first()
        self.assertEqual((photo.width, photo.height), (60, 40))
        with photo.image.open("rb") as image:
            self.assertEqual(image.read(3), b"\xff\xd8\xff")  # a re-encoded JPEG

    def test_creates_the_accounts_in_their_groups(self):
        users = {user.username: user for user in get_user_model().objects.all()}
        self.assertEqual(set(users), {"admin", "phongvien", "bientap", "kiemduyet", "ketoan",
                                      "truongban", "thuky", "tongbientap"})
        self.assertTrue(all(user.is_staff for user in users.values()))
        self.assertTrue(users["admin"].is_superuser)
        for username, group in [
            ("phongvien", "Phóng viên"),
            ("bientap", "Biên tập viên"),
            ("kiemduyet", "Kiểm duyệt bình luận"),
            ("ketoan", "Kế toán"),
            ("truongban", "Trưởng ban"),
            ("thuky", "Thư ký tòa soạn"),
            ("thuky", "Biên tập viên"),
            ("tongbientap", "Tổng biên tập"),
            ("tongbientap", "Biên tập viên"),
        ]:
            self.assertTrue(users[username].groups.filter(name=group).exists())
        for account in demo.ACCOUNTS:
            self.assertTrue(users[account.username].check_password(account.password))

    def test_reporter_and_editor_can_use_the_admin(self):
        users = {user.username: user for user in get_user_model().objects.all()}
        reporter, editor = users["phongvien"], users["bientap"]
        self.assertTrue(reporter.has_perms(["articles.add_article", "articles.change_photo"]))
        self.assertTrue(reporter.has_perm("articles.view_section"))
        self.assertFalse(reporter.has_perm("articles.delete_article"))
        self.assertFalse(reporter.has_perm("articles.change_section"))
        self.assertTrue(editor.has_perms(["articles.publish_article", "articles.edit_any_article"]))
        # Articles are withdrawn, never deleted, except by a superuser.
        self.assertFalse(editor.has_perm("articles.delete_article"))
        self.assertFalse(users["kiemduyet"].has_perm("articles.change_article"))

    def test_a_base_amount_for_royalties(self):
        from articles.royalties.models import BaseAmount

        base = BaseAmount.objects.get()
        self.assertEqual(base.amount_per_point, 100_000)
        first = Article.objects.exclude(first_published_at=None).order_by("first_published_at")
        self.assertLess(base.valid_from, first.first().first_published_at.date())
        self.assertTrue(get_user_model().objects.get(username="ketoan")
                        .has_perm("royalties.close_month"))

    def test_approval_chains_of_three_and_two_levels(self):
        levels = {
            chain.name: [str(level) for level in chain.levels.all()]
            for chain in ApprovalChain.objects.filter(is_default=False)
        }
        self.assertEqual(levels, {
            "Thời sự": ["Trưởng ban", "Thư ký tòa soạn", "Tổng biên tập"],
            "Thể thao": ["Trưởng ban", "Thư ký tòa soạn"],
        })
        self.assertEqual(
            list(ApprovalChain.objects.get(name="Thời sự").sections.values_list("name",
                                                                                flat=True)),
            ["Thời sự"],
        )

    def test_reporter_and_editor_have_contributor_profiles(self):
        self.assertEqual(Contributor.objects.get(user__username="phongvien").name, "Trần Quốc Bảo")
        self.assertEqual(Contributor.objects.get(user__username="bientap").name, "Lê Thị Hạnh")
        self.assertTrue(Contributor.objects.exclude(pen_name="").exists())

    def test_demo_passwords_pass_the_validators(self):
        for account in demo.ACCOUNTS:
            email = f"{account.username}@example.com"
            user = get_user_model()(username=account.username, email=email)
            validate_password(account.password, user)

    def test_prints_the_password_table(self):
        self.assertIn("Mật khẩu", self.output)
        for account in demo.ACCOUNTS:
            line = next(line for line in self.output.splitlines() if account.password in line)
            self.assertIn(account.username, line)
            self.assertIn(str(account.role), line)
            self.assertIn("mới tạo", line)

    def test_second_run_creates_nothing_and_keeps_passwords(self):
        admin = get_user_model().objects.get(username="admin")
        admin.set_password("a-password-of-my-own")
        admin.save()
        counts = [model.objects.count() for model in MODELS]
        output = seed()
        self.assertEqual([model.objects.count() for model in MODELS], counts)
        admin.refresh_from_db()
        self.assertTrue(admin.check_password("a-password-of-my-own"))
        self.assertIn("đã có từ trước, mật khẩu giữ nguyên", output)
        self.assertIn("demo-admin-2026", output)
        self.assertIn("Đã có bài mẫu, không tạo thêm.", output)

    @override_settings(DEBUG=False)
    def test_existing_accounts_need_no_flag_when_debug_is_off(self):
        seed()
        self.assertEqual(self.demo_articles.count(), 30)

    def test_article_pages(self):
        for article in self.demo_articles:
            expected = 200 if article.is_public else 404
            with self.subTest(article=article.headline, status=article.status):
                response = self.client.get(article.get_absolute_url())
                self.assertEqual(response.status_code, expected)

    def test_bulk_articles(self):
        before = Article.objects.published().count()
        output = seed("--articles", "50")
        bulk = Article.objects.filter(import_key__startswith=demo.BULK_KEY_PREFIX)
        self.assertEqual(bulk.count(), 50)
        self.assertEqual(Article.objects.published().count(), before + 50)
        self.assertIn("Đã tạo thêm 50 bài", output)
        for article in bulk.prefetch_related("tags", "credits"):
            self.assertEqual(article.slug, slugify(article.headline, max_length=200))
            self.assertRegex(article.slug, r"^[a-z0-9]+(-[a-z0-9]+)*$")
            self.assertEqual(article.headline_folded, fold(article.headline))
            self.assertEqual(article.first_published_at, article.published_at)
            self.assertEqual(sanitize_body(article.body), article.body)
            self.assertTrue(article.body.startswith("<p>"))
            self.assertTrue(is_nfc(article.headline + article.lead + article.body))
            self.assertIn(len(article.tags.all()), range(1, 5))
            self.assertTrue(article.credits.all())
            self.assertTrue(article.byline())

    def test_bulk_articles_twice_get_new_keys(self):
        seed("--articles", "5")
        seed("--articles", "5")
        keys = Article.objects.filter(import_key__startswith=demo.BULK_KEY_PREFIX)
        self.assertEqual(len(set(keys.values_list("import_key", flat=True))), 10)

    @skipUnless(connection.vendor == "sqlite", "SQLite's variable limit")
    def test_bulk_articles_respect_a_low_sqlite_variable_limit(self):
        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        try:
            demo.create_bulk_articles(120, batch_size=100)
        finally:
            connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
        self.assertEqual(
            Article.objects.filter(import_key__startswith=demo.BULK_KEY_PREFIX).count(), 120
        )
        self.assertGreaterEqual(TaggedArticle.objects.count(), 120)


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
class SeedDemoSafetyTests(TestCase):
    @override_settings(DEBUG=False)
    def test_refuses_demo_passwords_when_debug_is_off(self):
        with self.assertRaisesMessage(CommandError, "--allow-demo-passwords"):
            seed()
        self.assertFalse(get_user_model().objects.exists())
        self.assertFalse(Article.objects.exists())

    @override_settings(DEBUG=False)
    def test_flag_allows_demo_passwords_when_debug_is_off(self):
        seed("--allow-demo-passwords")
        self.assertEqual(get_user_model().objects.count(), len(demo.ACCOUNTS))

    def test_help_is_printable(self):
        parser = Command().create_parser("manage.py", "seed_demo")
        self.assertIn("--allow-demo-passwords", parser.format_help())

    def test_rejects_bad_options(self):
        with self.assertRaises(CommandError):
            call_command("seed_demo", "--photo-size", "big", stdout=io.StringIO())
        with self.assertRaises(CommandError):
            call_command("seed_demo", "--articles", "-1", stdout=io.StringIO())
        self.assertFalse(get_user_model().objects.exists())
