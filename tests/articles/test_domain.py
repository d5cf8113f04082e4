"""The domain calls the admin makes, at model level (issue 10, point 4):
``article.restore``, ``ShareLink.objects.issue`` and ``revoke``, and the one
snapshot → objects function previews and restores share."""

from django.core.exceptions import PermissionDenied
from django.test import TestCase

from articles import roles
from articles.models import Article, ShareLink, snapshot_content
from articles.revisions import content_hash, snapshot
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_member,
    make_photo,
    make_section,
)

Status = Article.Status


class DomainTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = make_member(roles.REPORTERS, "reporter")
        cls.other_reporter = make_member(roles.REPORTERS, "other")
        cls.section = make_section("Thời sự")
        cls.contributor = make_contributor("Trần Quốc")
        cls.photo = make_photo(alt_text="Hội nghị", caption="Quang cảnh hội nghị")

    def setUp(self):
        self.article = make_article(
            headline="Tít đầu", status=Status.DRAFT, published_at=None, section=self.section,
            created_by=self.reporter, tags=["An ninh"],
        )
        add_credit(self.article, self.contributor, "Tin")
        add_photo(self.article, self.photo, is_lead=True)
        self.first = self.article.record_revision(self.reporter)

    def edit(self, **fields):
        for name, value in fields.items():
            setattr(self.article, name, value)
        self.article.save()
        self.article.tags.set(["Khác"])
        self.article.credits.all().delete()
        self.article.photo_uses.all().delete()
        return self.article.record_revision(self.reporter)


class RestoreTests(DomainTestCase):
    def test_restore_puts_the_old_content_back_as_a_new_revision(self):
        self.edit(headline="Tít sửa")
        version = Article.objects.get(pk=self.article.pk).version
        restored = self.article.restore(self.first, by=self.reporter)
        self.assertEqual((restored.number, restored.note), (3, "Khôi phục từ phiên bản #1"))
        self.assertEqual(content_hash(snapshot(self.article)), self.first.content_hash)
        self.assertEqual(self.article.headline, "Tít đầu")
        self.assertEqual(self.article.version, version + 1)  # open forms are stale
        self.assertEqual(list(self.article.tags.names()), ["An ninh"])
        self.assertEqual(self.article.credits.get().contributor, self.contributor)
        self.assertEqual(self.article.photo_uses.get().photo, self.photo)

    def test_restore_of_the_current_content_does_nothing(self):
        version = self.article.version
        self.assertIsNone(self.article.restore(self.first, by=self.reporter))
        self.assertEqual(self.article.version, version)

    def test_restore_needs_the_right_to_edit_the_content(self):
        self.edit(headline="Tít sửa")
        with self.assertRaises(PermissionDenied):
            self.article.restore(self.first, by=self.other_reporter)
        self.assertEqual(Article.objects.get(pk=self.article.pk).headline, "Tít sửa")


class SnapshotContentTests(DomainTestCase):
    def test_rows_deleted_since_the_snapshot(self):
        data = self.first.data
        self.article.credits.all().delete()
        self.article.photo_uses.all().delete()
        self.contributor.delete()
        self.photo.delete()
        Article.objects.filter(pk=self.article.pk).update(section=None)
        self.section.delete()
        content = snapshot_content(data)
        self.assertEqual(content.fields["headline"], "Tít đầu")
        self.assertEqual((content.section.pk, content.section.name), (None, "Thời sự"))
        [credit] = content.credits
        self.assertEqual((credit.contributor, credit.display_name), (None, "Trần Quốc"))
        self.assertEqual(content.photo_uses, [])
        self.assertEqual(content.tags, ["An ninh"])


class ShareLinkTests(DomainTestCase):
    def test_issue_stores_only_the_hash_and_revoke_ends_the_link(self):
        link, token = ShareLink.objects.issue(self.article, self.first, by=self.reporter, days=3)
        self.assertEqual(link.token_hash, ShareLink.hash_token(token))
        self.assertNotIn(token, link.token_hash)
        self.assertEqual((link.created_by, link.revision), (self.reporter, self.first))
        lifetime = (link.expires_at - link.created_at).total_seconds()
        self.assertAlmostEqual(lifetime, 3 * 24 * 3600, delta=5)
        self.assertTrue(link.is_active)
        self.assertEqual(ShareLink.objects.filter(pk=link.pk).revoke(), 1)
        self.assertEqual(ShareLink.objects.filter(pk=link.pk).revoke(), 0)
        link.refresh_from_db()
        self.assertFalse(link.is_active)
