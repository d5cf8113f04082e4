import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from PIL import Image

from articles.images import clean_photo
from articles.models import Photo
from tests.factories import image_bytes, image_upload, make_user

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_exif(size=(60, 40), orientation=6):
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "CameraMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (10.0, 14.0, 30.0), 3: "E", 4: (106.0, 22.0, 0.0)})
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def newsroom_limits(**limits):
    from django.conf import settings

    return override_settings(NEWSROOM={**settings.NEWSROOM, **limits})


class CleanPhotoTests(SimpleTestCase):
    def test_accepts_jpeg_png_webp(self):
        for fmt, ext in [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]:
            with self.subTest(fmt=fmt):
                result = clean_photo(image_upload(f"Ảnh đẹp.{ext}", fmt=fmt))
                self.assertTrue(result.name.endswith(f".{ext}"))
                self.assertEqual(Image.open(io.BytesIO(result.read())).format, fmt)

    def test_format_comes_from_content_not_name(self):
        png_named_jpg = SimpleUploadedFile("anh.jpg", image_bytes("PNG"))
        self.assertTrue(clean_photo(png_named_jpg).name.endswith(".png"))

    def test_refuses_non_images_and_other_formats(self):
        cases = {
            "text named jpg": b"not an image at all",
            "gif": image_bytes("GIF"),
            "truncated jpeg": image_bytes("JPEG")[:200],
            "html": b"<html><script>alert(1)</script></html>",
            "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "eps": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
            "tiff": image_bytes("TIFF"),
            "empty": b"",
        }
        for label, data in cases.items():
            with self.subTest(label), self.assertRaises(ValidationError) as caught:
                clean_photo(SimpleUploadedFile("anh.jpg", data))
            self.assertEqual(caught.exception.code, "invalid_image")

    def test_byte_cap(self):
        with newsroom_limits(PHOTO_MAX_BYTES=1000), self.assertRaises(ValidationError) as caught:
            clean_photo(image_upload(size=(400, 400)))
        self.assertEqual(caught.exception.code, "too_big")
        self.assertIn("quá lớn", caught.exception.messages[0])

    def test_pixel_cap(self):
        with newsroom_limits(PHOTO_MAX_PIXELS=100 * 100), self.assertRaises(ValidationError) as c:
            clean_photo(image_upload(size=(200, 200)))
        self.assertEqual(c.exception.code, "too_many_pixels")

    def test_decompression_bomb_is_an_error_not_a_crash(self):
        # 20,000 x 20,000 pixels of one colour: 400 MP in a few hundred KB.
        buffer = io.BytesIO()
        Image.new("1", (20000, 20000)).save(buffer, format="PNG", optimize=True)
        bomb = SimpleUploadedFile("bom.png", buffer.getvalue())
        with self.assertRaises(ValidationError) as caught:
            clean_photo(bomb)
        self.assertEqual(caught.exception.code, "too_many_pixels")

    def test_exif_orientation_applied_and_metadata_removed(self):
        original = Image.open(io.BytesIO(jpeg_with_exif()))
        self.assertIn(GPS_IFD, original.getexif())
        cleaned = Image.open(
            io.BytesIO(clean_photo(SimpleUploadedFile("a.jpg", jpeg_with_exif())).read())
        )
        self.assertEqual(cleaned.size, (40, 60))  # rotated upright
        self.assertEqual(dict(cleaned.getexif()), {})
        self.assertNotIn("exif", cleaned.info)
        self.assertNotIn("icc_profile", cleaned.info)


class PhotoAdminUploadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("bientap", is_superuser=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def post_photo(self, upload):
        return self.client.post(
            reverse("admin:articles_photo_add"),
            {
                "image": upload,
                "alt_text": "Hội nghị",
                "caption": "Chủ trì hội nghị.",
                "credit_line": "Ảnh: T.Q",
                "focal_x": "0.5",
                "focal_y": "0.5",
            },
        )

    def test_upload_is_stored_clean(self):
        response = self.post_photo(SimpleUploadedFile("hoi-nghi.jpg", jpeg_with_exif()))
        self.assertEqual(response.status_code, 302)
        photo = Photo.objects.get()
        self.assertEqual((photo.width, photo.height), (40, 60))
        with photo.image.open("rb") as stored:
            self.assertEqual(dict(Image.open(stored).getexif()), {})

    def test_fake_image_gets_a_translated_form_error(self):
        response = self.post_photo(SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "không phải ảnh JPEG, PNG hoặc WebP hợp lệ")
        self.assertFalse(Photo.objects.exists())
