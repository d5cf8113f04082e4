"""Responsive renditions: focal-point crops, widths, WebP + JPEG, cached in storage."""

import io
import os
import re
import tempfile
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.tasks import default_task_backend
from django.test import TestCase, override_settings
from django.utils._os import safe_join
from PIL import Image

from articles import renditions
from articles.images import clean_photo
from articles.models import Photo
from articles.renditions import picture, rendition
from articles.tasks import build_renditions
from tests.factories import add_photo, image_upload, make_article, make_photo, make_section

BLUE = (0, 40, 230)


def upload_of(image, fmt="PNG", name="anh.png"):
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def plain_photo(size, **fields):
    return make_photo(upload=upload_of(Image.new("RGB", size, (200, 180, 160))), **fields)


def block_photo(**fields):
    """400×200, grey, with a blue block at the far right (x 360–400)."""
    image = Image.new("RGB", (400, 200), (128, 128, 128))
    image.paste(BLUE, (360, 0, 400, 200))
    return make_photo(upload=upload_of(image), **fields)


def open_rendition(r):
    with default_storage.open(r.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def blue_pixels(image):
    data = image.convert("RGB").tobytes()
    return sum(1 for i in range(0, len(data), 3) if data[i + 2] > 150 and data[i] < 80)


class RenditionTestCase(TestCase):
    def setUp(self):
        cache.clear()
        # Photo ids come back after each test's rollback: a folder of its own.
        self.enterContext(override_settings(MEDIA_ROOT=tempfile.mkdtemp(dir=settings.MEDIA_ROOT)))


class GeometryTests(RenditionTestCase):
    def test_crop_ratios_are_exact(self):
        for size in [(1700, 1000), (1000, 1700), (777, 333)]:
            photo = plain_photo(size)
            for ratio, value in renditions.RATIOS.items():
                for width in renditions.widths_for(photo, ratio):
                    for fmt in ("webp", "jpeg"):
                        with self.subTest(size=size, ratio=ratio, width=width, fmt=fmt):
                            r = rendition(photo, ratio, width, fmt)
                            image = open_rendition(r)
                            self.assertEqual(image.size, (r.width, r.height))
                            self.assertLessEqual(abs(r.width - r.height * float(value)), 1)

    def test_16x9_at_1200_for_the_discovery_builder(self):
        photo = plain_photo((2000, 1300))
        sizes = {}
        for ratio in ("16x9", "4x3", "1x1"):
            r = rendition(photo, ratio, 1200)
            self.assertTrue(r.url.startswith("/media/renditions/"))
            self.assertEqual(open_rendition(r).format, "JPEG")
            sizes[ratio] = (r.width, r.height)
        self.assertEqual(sizes, {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)})
        # Too small for 1200 px at 1:1: the largest square there is, not an upscale.
        r = rendition(plain_photo((1700, 1000)), "1x1", 1200)
        self.assertEqual((r.width, r.height), (1000, 1000))

    def test_never_upscaled(self):
        photo = plain_photo((800, 600))
        r = rendition(photo, "16x9", 1200)
        self.assertEqual((r.width, r.height), (800, 450))
        self.assertEqual(open_rendition(r).size, (800, 450))
        self.assertEqual(renditions.widths_for(photo, "16x9"), [320, 480, 640, 800])
        self.assertEqual(renditions.widths_for(photo, "1x1"), [320, 480, 600])
        small = plain_photo((64, 48))
        self.assertEqual(renditions.widths_for(small, "4x3"), [64])
        self.assertEqual(renditions.widths_for(plain_photo((3000, 2000)), "16x9")[-1], 1600)

    def test_focal_point_is_respected(self):
        right = block_photo(focal_x=0.9)
        left = block_photo(focal_x=0.1)
        centre = block_photo()
        for fmt in ("webp", "jpeg"):
            self.assertGreater(blue_pixels(open_rendition(rendition(right, "1x1", 200, fmt))), 5000)
            self.assertEqual(blue_pixels(open_rendition(rendition(left, "1x1", 200, fmt))), 0)
            self.assertEqual(blue_pixels(open_rendition(rendition(centre, "1x1", 200, fmt))), 0)

    def test_crop_box_is_clamped_inside_the_image(self):
        for fx, fy in [(0, 0), (1, 1), (0.99, 0.01)]:
            photo = block_photo(focal_x=fx, focal_y=fy)
            for ratio in renditions.RATIOS:
                left, top, right, bottom = renditions.crop_box(photo, ratio)
                self.assertGreaterEqual(left, 0)
                self.assertGreaterEqual(top, 0)
                self.assertLessEqual(right, 400)
                self.assertLessEqual(bottom, 200)

    def test_original_ratio_keeps_the_whole_frame(self):
        photo = plain_photo((1000, 700))
        r = rendition(photo, "original", 640, "webp")
        self.assertEqual((r.width, r.height), (640, 448))


class FormatTests(RenditionTestCase):
    def test_webp_and_jpeg_are_produced_and_decodable(self):
        photo = plain_photo((900, 600))
        pic = picture(photo, "4x3")
        self.assertEqual([r.width for r in pic.webp], [320, 480, 640, 800])
        for r in pic.webp:
            self.assertTrue(r.name.endswith(".webp"))
            self.assertEqual(open_rendition(r).format, "WEBP")
        for r in pic.jpeg:
            self.assertTrue(r.name.endswith(".jpg"))
            self.assertEqual(open_rendition(r).format, "JPEG")

    def test_transparent_png_gets_a_white_jpeg_background(self):
        image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
        photo = make_photo(upload=upload_of(image))
        jpeg = open_rendition(rendition(photo, "4x3", 320, "jpeg"))
        self.assertEqual(jpeg.mode, "RGB")
        self.assertGreater(min(jpeg.getpixel((10, 10))), 240)
        self.assertEqual(open_rendition(rendition(photo, "4x3", 320, "webp")).mode, "RGBA")

    def test_no_exif_or_gps_even_if_the_stored_file_has_them(self):
        photo = plain_photo((640, 480))
        # Bypass clean_photo: write a JPEG with GPS EXIF straight into storage.
        exif = Image.Exif()
        exif[0x010F] = "Camera maker"
        exif[0x8825] = {1: "N", 2: (10.0, 30.0, 0.0), 3: "E", 4: (106.0, 40.0, 0.0)}
        buffer = io.BytesIO()
        Image.new("RGB", (640, 480), (10, 120, 60)).save(
            buffer, format="JPEG", exif=exif.tobytes(), icc_profile=b"not-really-icc"
        )
        path = default_storage.path(photo.image.name)
        with open(path, "wb") as handle:
            handle.write(buffer.getvalue())
        with Image.open(path) as dirty:  # the source really carries GPS
            self.assertTrue(dirty.getexif().get_ifd(0x8825))
        for ratio in [*renditions.RATIOS, "original"]:
            for fmt in ("webp", "jpeg"):
                r = rendition(photo, ratio, 320, fmt)
                with default_storage.open(r.name, "rb") as handle:
                    data = handle.read()
                image = Image.open(io.BytesIO(data))
                self.assertFalse(image.getexif(), (ratio, fmt))
                self.assertNotIn("exif", image.info)
                self.assertNotIn("icc_profile", image.info)
                self.assertNotIn(b"Exif\x00", data)
                self.assertNotIn(b"Camera maker", data)


class CachingTests(RenditionTestCase):
    def test_names_are_deterministic_and_change_with_the_focal_point(self):
        photo = plain_photo((900, 600))
        name = renditions.rendition_name(photo, "16x9", 640, "webp")
        self.assertEqual(name, renditions.rendition_name(photo, "16x9", 640, "webp"))
        self.assertRegex(name, rf"^renditions/{photo.pk}/16x9-640w-[0-9a-f]{{16}}\.webp$")
        self.assertNotEqual(name, renditions.rendition_name(photo, "16x9", 640, "jpeg"))
        self.assertNotEqual(name, renditions.rendition_name(photo, "4x3", 640, "webp"))
        photo.focal_x = 0.8
        self.assertNotEqual(name, renditions.rendition_name(photo, "16x9", 640, "webp"))
        # A width above the crop names the crop-sized rendition.
        self.assertEqual(
            renditions.rendition_name(photo, "16x9", 5000, "jpeg"),
            renditions.rendition_name(photo, "16x9", 900, "jpeg"),
        )

    def test_generated_once(self):
        photo = plain_photo((900, 600))
        with mock.patch.object(renditions, "_encode", wraps=renditions._encode) as encode:
            first = picture(photo, "16x9")
            self.assertEqual(encode.call_count, 8)  # 4 widths × 2 formats
            mtimes = [os.stat(default_storage.path(r.name)).st_mtime_ns for r in first.jpeg]
            self.assertEqual(picture(photo, "16x9"), first)
            cache.clear()  # a cold cache asks the storage, which has them all
            self.assertEqual(picture(photo, "16x9"), first)
            rendition(photo, "16x9", 480, "webp")
            self.assertEqual(encode.call_count, 8)
        self.assertEqual(
            mtimes, [os.stat(default_storage.path(r.name)).st_mtime_ns for r in first.jpeg]
        )

    def test_a_warm_page_does_not_touch_the_storage(self):
        photo = plain_photo((900, 600))
        picture(photo, "4x3")
        with mock.patch.object(default_storage, "exists") as exists:
            picture(photo, "4x3")
            rendition(photo, "4x3", 640)
        exists.assert_not_called()

    def test_a_broken_file_falls_back_to_the_original(self):
        photo = plain_photo((900, 600))
        with open(default_storage.path(photo.image.name), "wb") as handle:
            handle.write(b"not an image")
        with self.assertLogs("articles.renditions", "WARNING"):
            self.assertIsNone(picture(photo, "4x3"))
        with self.assertLogs("articles.renditions", "WARNING"):
            r = rendition(photo, "16x9", 1200)
        self.assertEqual(r.url, photo.image.url)


class BuildCommandTests(RenditionTestCase):
    def build(self, *args):
        out = io.StringIO()
        call_command("build_renditions", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_builds_missing_and_is_idempotent(self):
        photo = plain_photo((700, 500))
        expected = len(renditions.standard_specs(photo))
        # 16:9, 4:3, original: 320, 480, 640 + the crop's width; 1:1 (500): 320, 480, 500.
        self.assertEqual(expected, (4 + 4 + 3 + 4) * 2)
        output = self.build("--photo", str(photo.pk))
        self.assertIn(f"1 ảnh: tạo mới {expected} bản, đã có 0 bản", output)
        for spec in renditions.standard_specs(photo):
            self.assertTrue(default_storage.exists(renditions.rendition_name(photo, *spec)))
        output = self.build("--photo", str(photo.pk))
        self.assertIn(f"tạo mới 0 bản, đã có {expected} bản", output)
        # A file removed by hand is rebuilt, even though the cache still lists it.
        default_storage.delete(renditions.rendition_name(photo, "1x1", 320, "webp"))
        output = self.build("--photo", str(photo.pk))
        self.assertIn(f"tạo mới 1 bản, đã có {expected - 1} bản", output)

    def test_prune_deletes_strays_and_folders_of_deleted_photos(self):
        photo = plain_photo((700, 500))
        self.build("--photo", str(photo.pk))
        folder = f"renditions/{photo.pk}"
        stray = default_storage.save(f"{folder}/16x9-320w-0123456789abcdef.jpg", io.BytesIO(b"x"))
        for name in ("1x1-320w-aaaa.jpg", "1x1-320w-aaaa.webp"):
            default_storage.save(f"renditions/987654/{name}", io.BytesIO(b"x"))
        output = self.build()
        self.assertNotIn("xoá", output)
        self.assertTrue(default_storage.exists(stray))  # only --prune deletes
        output = self.build("--prune")
        self.assertIn("Đã xoá 3 tệp thừa.", output)
        self.assertFalse(default_storage.exists(stray))
        self.assertFalse(default_storage.exists("renditions/987654"))
        self.assertEqual(stored(photo.pk), renditions.standard_names(photo))
        self.assertIn("Đã xoá 0 tệp thừa.", self.build("--prune"))

    def test_prune_with_photo_keeps_other_folders(self):
        photo = plain_photo((700, 500))
        default_storage.save("renditions/987654/1x1-320w-aaaa.jpg", io.BytesIO(b"x"))
        output = self.build("--prune", "--photo", str(photo.pk))
        self.assertIn("Đã xoá 0 tệp thừa.", output)
        self.assertTrue(default_storage.exists("renditions/987654/1x1-320w-aaaa.jpg"))
        self.assertIn("Đã xoá 1 tệp thừa.", self.build("--prune", "--photo", "987654"))

    def test_page_uses_what_the_command_built(self):
        photo = plain_photo((700, 500))
        self.build("--photo", str(photo.pk))
        cache.clear()
        with mock.patch.object(renditions, "_encode") as encode:
            picture(photo, "16x9")
            picture(photo, "original")
        encode.assert_not_called()


def stored(photo_id):
    """The rendition files in storage for a photo id, by storage name."""
    folder = f"renditions/{photo_id}"
    if not default_storage.exists(folder):
        return set()
    return {f"{folder}/{name}" for name in default_storage.listdir(folder)[1]}


class Rollback(Exception):
    pass


class SavedPhotoTests(RenditionTestCase):
    """Renditions are built after commit when a photo is saved, not on a page view."""

    def saved_photo(self, size=(700, 500), **fields):
        with self.captureOnCommitCallbacks(execute=True):
            return plain_photo(size, **fields)

    def test_saving_a_photo_builds_every_rendition(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            photo = plain_photo((700, 500))
        self.assertEqual(stored(photo.pk), set())  # nothing before the commit
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        self.assertEqual(len(renditions.standard_names(photo)), 30)
        self.assertEqual(stored(photo.pk), renditions.standard_names(photo))
        cache.clear()
        with mock.patch.object(renditions, "_encode") as encode:
            picture(photo, "16x9")
            picture(photo, "4x3", renditions.THUMBNAIL_WIDTHS)
            rendition(photo, "1x1", 1200)
        encode.assert_not_called()

    def test_moving_the_focal_point_builds_the_new_set_and_deletes_the_old(self):
        photo = self.saved_photo()
        old = stored(photo.pk)
        cached = renditions._cache_key(next(iter(old)))
        cache.set(cached, True)
        photo.focal_x = 0.9
        with self.captureOnCommitCallbacks(execute=True):
            photo.save()
        new = renditions.standard_names(photo)
        self.assertFalse(old & new)
        self.assertEqual(stored(photo.pk), new)
        self.assertIsNone(cache.get(cached))  # a name that comes back is checked again

    def test_other_edits_queue_nothing(self):
        photo = self.saved_photo()
        photo.caption = "Chú thích mới."
        with self.captureOnCommitCallbacks() as callbacks:
            photo.save()
            Photo.objects.get(pk=photo.pk).save()
        self.assertEqual(callbacks, [])

    def test_replacing_the_image_deletes_the_old_file_and_renditions(self):
        photo = self.saved_photo()
        old_file, old = photo.image.name, stored(photo.pk)
        photo.image = clean_photo(image_upload(size=(800, 600)))
        with self.captureOnCommitCallbacks(execute=True):
            photo.save()
        self.assertNotEqual(photo.image.name, old_file)
        self.assertFalse(default_storage.exists(old_file))
        self.assertTrue(default_storage.exists(photo.image.name))
        self.assertFalse(old & stored(photo.pk))
        self.assertEqual(stored(photo.pk), renditions.standard_names(photo))

    def test_a_file_shared_with_another_photo_is_kept(self):
        photo = self.saved_photo()
        twin = Photo.objects.create(image=photo.image.name)
        twin.image = clean_photo(image_upload())
        with self.captureOnCommitCallbacks(execute=True):
            twin.save()
        self.assertTrue(default_storage.exists(photo.image.name))

    def test_a_rollback_keeps_every_file(self):
        photo = self.saved_photo()
        old_file, old = photo.image.name, stored(photo.pk)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with self.assertRaises(Rollback), transaction.atomic():
                photo.focal_y = 0.1
                photo.image = clean_photo(image_upload(size=(800, 600)))
                photo.save()
                raise Rollback
            with self.assertRaises(Rollback), transaction.atomic():
                Photo.objects.get(pk=photo.pk).delete()
                raise Rollback
        self.assertEqual(callbacks, [])
        self.assertTrue(default_storage.exists(old_file))
        self.assertEqual(stored(photo.pk), old)

    def test_deleting_photos_deletes_their_file_and_folder(self):
        one, two = self.saved_photo(), self.saved_photo((500, 700))
        files = [one.image.name, two.image.name]
        with self.captureOnCommitCallbacks(execute=True):
            one.delete()
            Photo.objects.filter(pk=two.pk).delete()  # as the admin's bulk action does
        for name in files:
            self.assertFalse(default_storage.exists(name))
        for photo_id in (one.pk, two.pk):
            self.assertFalse(default_storage.exists(f"renditions/{photo_id}"))

    def test_an_unreadable_file_is_logged_and_the_save_stands(self):
        photo = self.saved_photo()
        with open(default_storage.path(photo.image.name), "wb") as handle:
            handle.write(b"not an image")
        photo.focal_x = 0.2
        with (
            self.assertLogs("articles.tasks", "WARNING") as logs,
            self.captureOnCommitCallbacks(execute=True),
        ):
            photo.save()
        self.assertIn(f"photo {photo.pk}", logs.output[0])
        self.assertEqual(Photo.objects.get(pk=photo.pk).focal_x, 0.2)
        self.assertEqual(stored(photo.pk), set())  # the old crops went; none could be made

    def test_the_task_skips_a_deleted_photo(self):
        self.assertEqual(build_renditions.call(987654), 0)

    @override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
    def test_a_worker_backend_gets_the_job_after_commit(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            photo = plain_photo((700, 500))
        self.assertEqual(default_task_backend.results, [])
        callbacks[0]()
        [job] = default_task_backend.results
        self.assertEqual((job.task.name, job.args), ("build_renditions", [photo.pk]))
        self.assertEqual(stored(photo.pk), set())  # the worker builds them, not the request

    @override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}})
    def test_a_replaced_image_goes_offline_before_the_worker_runs(self):
        photo = self.saved_photo()
        build_renditions.call(photo.pk)  # what the worker did for the first image
        old_file, old = photo.image.name, stored(photo.pk)
        self.assertTrue(old)
        queued = len(default_task_backend.results)
        photo.image = clean_photo(image_upload(size=(800, 600)))
        with self.captureOnCommitCallbacks(execute=True):
            photo.save()
        self.assertEqual(len(default_task_backend.results), queued + 1)  # queued, not run
        self.assertFalse(default_storage.exists(old_file))
        self.assertEqual(stored(photo.pk), set())  # old renditions gone, new ones not yet

    @override_settings(TASKS={"default": {"BACKEND": "newsroom.no_such_backend.Backend"}})
    def test_a_broken_backend_never_breaks_the_save(self):
        with self.assertLogs("django", "ERROR"), self.captureOnCommitCallbacks(execute=True):
            photo = plain_photo((700, 500))
        self.assertTrue(Photo.objects.filter(pk=photo.pk).exists())


class CloudStorage(InMemoryStorage):
    """Like S3: files without paths on a local disk."""

    def path(self, name):
        raise NotImplementedError("no local paths")

    def _relative_path(self, name):
        return os.path.relpath(safe_join(self.location, name), self.location)


@override_settings(
    STORAGES={
        "default": {"BACKEND": "tests.articles.test_renditions.CloudStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
)
class StorageWithoutPathsTests(RenditionTestCase):
    """Building and pruning use the Storage API only: a cloud storage works too."""

    def test_build_prune_and_delete(self):
        with self.captureOnCommitCallbacks(execute=True):
            photo = plain_photo((700, 500))
        with self.assertRaises(NotImplementedError):
            default_storage.path(photo.image.name)
        self.assertEqual(stored(photo.pk), renditions.standard_names(photo))
        photo.focal_y = 0.8
        with self.captureOnCommitCallbacks(execute=True):
            photo.save()
        self.assertEqual(stored(photo.pk), renditions.standard_names(photo))
        default_storage.save("renditions/987654/16x9-320w-0.jpg", io.BytesIO(b"x"))
        out = io.StringIO()
        call_command("build_renditions", "--prune", stdout=out)
        self.assertIn("Đã xoá 1 tệp thừa.", out.getvalue())
        image = photo.image.name
        with self.captureOnCommitCallbacks(execute=True):
            photo.delete()
        self.assertFalse(default_storage.exists(image))
        self.assertEqual(stored(photo.pk), set())


def pictures(html):
    return re.findall(r"<picture>.*?</picture>", html, re.S)


class PageTests(RenditionTestCase):
    def test_article_page_uses_picture(self):
        article = make_article(body="<p>Một.</p><p>Hai.</p>")
        add_photo(article, plain_photo((1600, 1000)), is_lead=True)
        add_photo(article, plain_photo((800, 1000)), after_paragraph=1)
        html = self.client.get(article.get_absolute_url()).content.decode()
        lead, inline = pictures(html)
        for block in (lead, inline):
            self.assertIn('<source type="image/webp" srcset="', block)
            self.assertRegex(block, r'srcset="[^"]+\.webp 320w, [^"]+\.webp 480w')
            self.assertRegex(block, r'<img src="[^"]+\.jpg" srcset="[^"]+\.jpg 320w')
            self.assertIn('sizes="(min-width: 46rem) 44rem, calc(100vw - 2rem)"', block)
            self.assertIn('decoding="async"', block)
            self.assertIn("/original-", block)
        self.assertIn('width="960" height="600"', lead)
        self.assertIn("1600w", lead)
        self.assertIn('loading="eager" fetchpriority="high"', lead)
        self.assertNotIn("lazy", lead)
        self.assertIn('width="800" height="1000"', inline)
        self.assertIn('loading="lazy"', inline)
        self.assertNotIn("eager", inline)
        self.assertNotIn("fetchpriority", inline)

    def test_list_pages_use_thumbnail_sizes(self):
        section = make_section("Thời sự")
        for i in range(3):
            article = make_article(headline=f"Bài {i}", section=section)
            add_photo(article, plain_photo((1200, 800)), is_lead=True)
        html = self.client.get(section.get_absolute_url()).content.decode()
        blocks = pictures(html)
        self.assertEqual(len(blocks), 3)
        for block in blocks:
            self.assertIn('sizes="(min-width: 48rem) 11rem, 7.5rem"', block)
            self.assertIn("/4x3-640w-", block)
            self.assertNotIn("960w", block)
            self.assertIn('width="640" height="480"', block)
            self.assertIn('loading="lazy"', block)

    def test_home_lead_is_16x9_and_eager(self):
        article = make_article(headline="Bài chính")
        add_photo(article, plain_photo((1600, 1000)), is_lead=True)
        html = self.client.get("/").content.decode()
        lead = pictures(html)[0]
        self.assertIn("/16x9-1600w-", lead)
        self.assertIn('width="960" height="540"', lead)
        self.assertIn('loading="eager" fetchpriority="high"', lead)
