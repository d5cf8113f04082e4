"""Photos and renditions in an S3-compatible bucket (issue 12, point 3), against
a real server: moto in server mode, its own process, over HTTP (tests/s3.py).
The app goes through django-storages; every check looks into the bucket with
boto3 directly, never through the app's storage."""

import io
import re
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse

from articles import renditions
from articles.models import Article, Photo
from tests.factories import (
    add_photo,
    image_bytes,
    image_upload,
    make_article,
    make_photo,
    make_user,
)
from tests.newsroom.test_settings import load_settings
from tests.s3 import PUBLIC_URL, S3Server, closed_port, keys, media_settings

ARTICLE = Path(__file__).parent / "fixtures" / "tin-anh-hoi-thi-nong-dan.txt"
STORAGE_DOWN = "Không lưu được ảnh: kho lưu trữ ảnh không trả lời hoặc từ chối lưu."


def refuse_new_photo_rows():
    """A trigger that makes the database itself refuse every new Photo row: a
    real failure after the file was stored (rolled back with the test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse_photo() RETURNS trigger LANGUAGE plpgsql"
                " AS $$ BEGIN RAISE EXCEPTION 'photo rows refused'; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER test_refuse_photo BEFORE INSERT ON articles_photo"
                " FOR EACH ROW EXECUTE FUNCTION test_refuse_photo()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER test_refuse_photo BEFORE INSERT ON articles_photo"
                " BEGIN SELECT RAISE(ABORT, 'photo rows refused'); END"
            )


@pytest.fixture
def _s3(request, s3_server):
    request.cls.s3 = s3_server


def photo_form(size=(320, 240), **fields):
    return {
        "image": image_upload(size=size),
        "alt_text": "Hội nghị",
        "caption": "",
        "credit_line": "Ảnh: T.Q",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }


@pytest.mark.usefixtures("_s3")
class BucketTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)
        self.bucket = self.s3.new_bucket()
        self.boto = self.s3.client()
        self.enterContext(media_settings(self.s3.endpoint_url, self.bucket))

    def objects(self, prefix=""):
        return keys(self.boto, self.bucket, prefix)

    def upload(self, **fields):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("admin:articles_photo_add"), photo_form(**fields))
        self.assertEqual(response.status_code, 302)
        return Photo.objects.latest("pk")

    def test_an_upload_through_the_admin_lands_in_the_bucket_with_its_renditions(self):
        photo = self.upload()
        self.assertTrue(photo.image.name.startswith("photos/"))
        names = renditions.standard_names(photo)
        self.assertEqual(len(names), 2 * 4)  # 320 px wide: one width per ratio, two formats
        self.assertEqual(self.objects(), {photo.image.name} | names)
        head = self.boto.head_object(Bucket=self.bucket, Key=sorted(names)[0])
        self.assertIn(head["ContentType"], {"image/jpeg", "image/webp"})
        self.assertEqual(head["CacheControl"], "public, max-age=86400")
        self.assertEqual((photo.width, photo.height), (320, 240))

    def test_a_row_the_database_refuses_leaves_no_file_in_the_bucket(self):
        refuse_new_photo_rows()
        with self.assertRaises(DatabaseError):
            self.client.post(reverse("admin:articles_photo_add"), photo_form())
        self.assertEqual(self.objects(), set())

    def test_two_uploads_with_one_file_name_are_two_objects(self):
        first, second = self.upload(), self.upload()
        self.assertNotEqual(first.image.name, second.image.name)
        self.assertLessEqual({first.image.name, second.image.name}, self.objects("photos/"))

    def test_pages_link_to_the_public_base_url_never_to_the_endpoint(self):
        with self.captureOnCommitCallbacks(execute=True):
            article = make_article()
            add_photo(article, make_photo(upload=image_upload(size=(480, 360))), is_lead=True)
        response = self.client.get(article.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'srcset="{PUBLIC_URL}renditions/')
        self.assertNotContains(response, self.s3.endpoint_url)
        # Every rendition the page names is in the bucket.
        linked = set(re.findall(re.escape(PUBLIC_URL) + r'([^"\s,]+)', response.content.decode()))
        self.assertTrue(linked)
        self.assertLessEqual(linked, self.objects())

    def test_after_a_storage_failure_pages_fall_back_without_asking_it(self):
        photo = make_photo(upload=image_upload(size=(480, 360)))  # renditions not built
        article = make_article()
        add_photo(article, photo, is_lead=True)
        cache.set(renditions.STORAGE_DOWN_KEY, True)  # as a failure a moment ago leaves it
        response = self.client.get(article.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"{PUBLIC_URL}{photo.image.name}")
        self.assertEqual(self.objects(), {photo.image.name})  # the store was not asked
        cache.delete(renditions.STORAGE_DOWN_KEY)
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, f'srcset="{PUBLIC_URL}renditions/')
        self.assertGreater(len(self.objects("renditions/")), 0)

    def test_replacing_the_image_removes_the_old_file_and_renditions(self):
        photo = self.upload()
        old_image, old_renditions = photo.image.name, renditions.standard_names(photo)
        url = reverse("admin:articles_photo_change", args=[photo.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, photo_form(size=(400, 300)))
        self.assertEqual(response.status_code, 302)
        photo.refresh_from_db()
        self.assertNotEqual(photo.image.name, old_image)
        self.assertEqual(self.objects(), {photo.image.name} | renditions.standard_names(photo))
        self.assertFalse(old_renditions & self.objects())

    def test_a_new_focal_point_prunes_the_old_crops_by_listing_the_bucket(self):
        photo = self.upload()
        old = renditions.standard_names(photo)
        url = reverse("admin:articles_photo_change", args=[photo.pk])
        data = {"alt_text": "Hội nghị", "caption": "", "credit_line": "Ảnh: T.Q"}
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, data | {"focal_x": "0.1", "focal_y": "0.5"})
        self.assertEqual(response.status_code, 302)
        photo.refresh_from_db()
        new = renditions.standard_names(photo)
        self.assertEqual(self.objects("renditions/"), new)
        # The uncropped "original" renditions keep their names; only crops changed.
        self.assertTrue(old - new)

    def test_deleting_a_photo_removes_every_object(self):
        photo = self.upload()
        kept = self.upload()
        url = reverse("admin:articles_photo_delete", args=[photo.pk])
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(url, {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Photo.objects.filter(pk=photo.pk).exists())
        self.assertEqual(self.objects(), {kept.image.name} | renditions.standard_names(kept))

    def test_build_renditions_prune_lists_the_bucket_by_prefix(self):
        photo = self.upload()
        stray = [f"renditions/{photo.pk}/16x9-999w-0000.jpg", "renditions/999999/1x1-320w-00.jpg"]
        for key in stray:
            self.boto.put_object(Bucket=self.bucket, Key=key, Body=b"x")
        missing = sorted(renditions.standard_names(photo))[0]
        self.boto.delete_object(Bucket=self.bucket, Key=missing)
        call_command("build_renditions", "--prune", stdout=io.StringIO())
        self.assertEqual(self.objects(), {photo.image.name} | renditions.standard_names(photo))

    def test_an_import_stores_its_photo_in_the_bucket_and_a_reimport_reuses_it(self):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        image = folder / "hoi-thi.jpg"
        image.write_bytes(image_bytes(size=(320, 240)))
        for _run in range(2):
            with self.captureOnCommitCallbacks(execute=True):
                call_command("import_article", str(ARTICLE), photo=str(image), stdout=io.StringIO())
        photo = Photo.objects.get()  # the second run compared it with the bucket's copy
        self.assertEqual(self.objects(), {photo.image.name} | renditions.standard_names(photo))

    def test_a_bucket_has_no_local_path_to_fall_back_on(self):
        """The bucket's storage has no path to give: the tests above, which
        upload, render, prune, replace, delete and import through it, show
        that no code path needs one."""
        with self.assertRaises(NotImplementedError):
            default_storage.path("photos/x.jpg")


@pytest.mark.usefixtures("_s3")
class StorageDownTests(TestCase):
    """The bucket unreachable: uploads refused on the form, nothing half-saved,
    pages still served."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("admin", is_superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def post_photo(self):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("admin:articles_photo_add"), photo_form())

    def test_an_upload_to_a_closed_port_is_a_form_error_and_no_row(self):
        with media_settings(f"http://127.0.0.1:{closed_port()}", "newsroom-down"):
            response = self.post_photo()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, STORAGE_DOWN)
        self.assertContains(response, 'value="Hội nghị"')  # the editor's text is kept
        self.assertFalse(Photo.objects.exists())

    def test_the_error_is_translated(self):
        self.client.cookies["newsroom_language"] = "en"
        with media_settings(f"http://127.0.0.1:{closed_port()}", "newsroom-down"):
            response = self.post_photo()
        self.assertContains(response, "The photo could not be stored: the photo storage is not")
        self.assertFalse(Photo.objects.exists())

    def test_the_server_stopping_mid_test_refuses_the_next_upload(self):
        server = S3Server(offset=10).start()
        try:
            bucket = server.new_bucket()
            with media_settings(server.endpoint_url, bucket):
                self.assertEqual(self.post_photo().status_code, 302)
                photo = Photo.objects.get()
                article = make_article()
                add_photo(article, photo, is_lead=True)
                server.stop()
                response = self.post_photo()
                self.assertContains(response, STORAGE_DOWN)
                self.assertEqual(list(Photo.objects.all()), [photo])
                # Pages still serve: renditions known to exist are linked
                # without asking the storage; the home page too.
                self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)
                self.client.logout()
                self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 200)
                self.assertEqual(self.client.get("/").status_code, 200)
        finally:
            server.stop()

    def test_pages_serve_when_the_storage_was_never_reached(self):
        """Nothing cached about the renditions and the bucket down: the page
        falls back to the original photo's URL instead of failing."""
        with media_settings(f"http://127.0.0.1:{closed_port()}", "newsroom-down"):
            photo = Photo.objects.create(image="photos/2026/12/anh.jpg", width=1600, height=1200)
            article = make_article()
            add_photo(article, photo, is_lead=True)
            response = self.client.get(article.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"{PUBLIC_URL}photos/2026/12/anh.jpg")
        # The next pages do not wait for the store again for a while.
        self.assertTrue(cache.get(renditions.STORAGE_DOWN_KEY))


class LocalDiskDownTests(TestCase):
    """The same form error when the local disk refuses the file (here: the
    media folder's parent is a file, so nothing can be created under it)."""

    def test_an_upload_the_disk_refuses_is_a_form_error_and_no_row(self):
        self.client.force_login(make_user("admin", is_superuser=True))
        blocker = Path(self.enterContext(tempfile.TemporaryDirectory())) / "a-file"
        blocker.write_bytes(b"")
        with override_settings(MEDIA_ROOT=str(blocker / "media")):
            response = self.client.post(reverse("admin:articles_photo_add"), photo_form())
        self.assertContains(response, STORAGE_DOWN)
        self.assertFalse(Photo.objects.exists())


@pytest.mark.usefixtures("_s3")
class CommandsWithStorageDownTests(TestCase):
    """The operator's commands say the storage is down, and save nothing."""

    def setUp(self):
        self.enterContext(media_settings(f"http://127.0.0.1:{closed_port()}", "newsroom-down"))

    def test_import_article_with_a_photo(self):
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        image = folder / "hoi-thi.jpg"
        image.write_bytes(image_bytes(size=(320, 240)))
        with self.assertRaisesMessage(CommandError, "kho lưu trữ ảnh không trả lời"):
            call_command("import_article", str(ARTICLE), photo=str(image), stdout=io.StringIO())
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Photo.objects.exists())

    def test_seed_demo(self):
        with self.assertRaisesMessage(CommandError, "Kho lưu trữ ảnh không trả lời"):
            call_command(
                "seed_demo", "--photo-size", "60x40", "--allow-demo-passwords", stdout=io.StringIO()
            )
        self.assertFalse(Article.objects.exists())
        self.assertFalse(Photo.objects.exists())

    def test_build_renditions(self):
        Photo.objects.create(image="photos/2026/12/anh.jpg", width=320, height=240)
        with self.assertRaisesMessage(CommandError, "Kho lưu trữ ảnh không trả lời"):
            call_command("build_renditions", "--prune", stdout=io.StringIO())

    def test_the_feed_goes_out_without_the_enclosure(self):
        photo = Photo.objects.create(image="photos/2026/12/anh.jpg", width=1600, height=1200)
        add_photo(make_article(), photo, is_lead=True)
        response = self.client.get(reverse("rss"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<enclosure")


class SettingsTests(SimpleTestCase):
    SHOW = (
        "d = s.STORAGES['default']; o = d.get('OPTIONS', {}); "
        "print(d['BACKEND'], s.MEDIA_URL, o.get('custom_domain'), o.get('file_overwrite'), "
        "o.get('querystring_auth'), o.get('location'), ' '.join(s.SECURE_CSP['img-src']))"
    )

    def test_local_disk_is_the_default(self):
        result = load_settings(self.SHOW)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.split()[:2], ["newsroom.files.WholeFileSystemStorage", "/media/"]
        )

    def test_a_bucket_with_a_cdn_in_front(self):
        result = load_settings(
            self.SHOW,
            NEWSROOM_MEDIA_S3_BUCKET="bao-anh",
            NEWSROOM_MEDIA_S3_ENDPOINT_URL="https://s3.example.vn",
            NEWSROOM_MEDIA_S3_PREFIX="media",
            NEWSROOM_MEDIA_S3_PUBLIC_URL="https://anh.example.vn/",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.split(),
            [
                "storages.backends.s3.S3Storage",
                "https://anh.example.vn/media/",
                "anh.example.vn",
                "False",
                "False",
                "media",
                "'self'",
                "https://anh.example.vn",
            ],
        )

    def test_without_a_public_url_pages_link_to_the_endpoint(self):
        result = load_settings(
            self.SHOW,
            NEWSROOM_MEDIA_S3_BUCKET="bao-anh",
            NEWSROOM_MEDIA_S3_ENDPOINT_URL="https://s3.example.vn",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.split()[1], "https://s3.example.vn/bao-anh/")
        self.assertIn("https://s3.example.vn", result.stdout.split())

    def test_a_public_url_that_is_not_absolute_stops_the_start(self):
        result = load_settings(
            self.SHOW, NEWSROOM_MEDIA_S3_BUCKET="bao-anh", NEWSROOM_MEDIA_S3_PUBLIC_URL="anh/"
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("NEWSROOM_MEDIA_S3_PUBLIC_URL must be an absolute http(s) URL", result.stderr)
