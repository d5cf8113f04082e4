import shutil
import tempfile
import unicodedata
from datetime import datetime, timedelta
from html import unescape
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from PIL import ExifTags, Image

from articles.importer import (
    ArticleImportError,
    decode_article_bytes,
    parse_article_text,
    parse_byline,
    save_parsed,
    split_source_tag,
)
from articles.models import (
    Article,
    ArticlePhoto,
    Contributor,
    Credit,
    Event,
    Photo,
    Role,
    Tag,
    WithdrawalReason,
)
from tests.factories import make_contributor, make_editor, make_section

FIXTURES = Path(__file__).parent / "fixtures"
MAIN = FIXTURES / "tin-anh-hoi-thi-nong-dan.txt"
MAIN_NFD_CRLF = FIXTURES / "tin-anh-hoi-thi-nong-dan-nfd-crlf.txt"
TWO_AUTHORS = FIXTURES / "bai-anh-hai-tac-gia.txt"
WIRE = FIXTURES / "theo-ttxvn.txt"
SAMPLE = FIXTURES / "bdk-2020-01-10-phoi-hop-dam-bao-an-ninh-trat-tu.txt"  # the paper's own

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
ROLE_LABELS = ["Tin", "Bài", "Ảnh", "Đồ họa", "Video", "Dịch", "Nguồn"]
HEADLINE = "Nông dân Sông Xanh thi tài sản xuất giỏi"
CAPTION = "Hội viên giới thiệu sản phẩm dừa sáp tại hội thi."
BYLINE = "Tin, ảnh: Lê Minh Châu"

# (file content, line named in the error, words of the error)
MALFORMED = {
    "empty": ("", 1, "Tệp trống"),
    "blank": ("\n  \n\n", 1, "Tệp trống"),
    "no headline": ("15/03/2021 - 08:30\n\nBSX.VN - Sáng nay.\n", 1, "Thiếu tít"),
    "only headline": ("Tít bài\n", 2, "Thiếu dòng ngày giờ"),
    "no date": ("Tít bài\n\nBSX.VN - Sáng nay, hội nghị khai mạc.\n", 3, "Thiếu dòng ngày giờ"),
    "bad date": ("Tít bài\n32/13/2020 - 10:00\n\nBSX.VN - Sáng nay.\n", 2, "32/13/2020"),
    "bad time": ("Tít bài\n15/03/2021 - 25:61\n\nBSX.VN - Sáng nay.\n", 2, "25:61"),
    "no lead": ("Tít bài\n\n15/03/2021 - 08:30\n\nTin: Lê Minh Châu\n\nBÌNH LUẬN\n", 4, "sapo"),
    "tag only": ("Tít bài\n15/03/2021 - 08:30\n\nBSX.VN - \n", 4, "Sapo trống"),
    "not utf-8": (b"T\xc3\xadt\n15/03/2021 - 08:30\n\nS\xe1ng nay.\n", 4, "UTF-8"),
}


# A desk importing an untagged archive: every publish gate but the tag.
ARCHIVE_GATES = override_settings(
    NEWSROOM={
        **settings.NEWSROOM,
        "PUBLISH_GATES": [gate for gate in settings.NEWSROOM["PUBLISH_GATES"] if gate != "tag"],
    }
)


def parse(path):
    return parse_article_text(
        decode_article_bytes(path.read_bytes(), path.name), path.name, ROLE_LABELS
    )


def credits_of(parsed):
    return [(credit.role or "Theo", credit.name) for credit in parsed.credits]


def write_jpeg_with_gps(path):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Máy ảnh thử"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (10.0, 14.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (106.0, 22.0, 15.0)
    Image.new("RGB", (80, 60), (30, 120, 200)).save(path, "JPEG", exif=exif)
    with Image.open(path) as written:  # the test photo really carries GPS data
        assert written.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return path


class ParseTests(SimpleTestCase):
    def test_fields_of_a_news_item(self):
        parsed = parse(MAIN)
        self.assertEqual(parsed.headline, HEADLINE)
        self.assertEqual(parsed.published_at, datetime(2021, 3, 15, 8, 30, tzinfo=LOCAL))
        self.assertEqual(parsed.published_at.utcoffset(), timedelta(hours=7))
        self.assertEqual(parsed.source_tag, "BSX.VN")
        self.assertTrue(parsed.lead.startswith("Sáng 15-3, Hội Nông dân tỉnh"))
        self.assertTrue(parsed.lead.endswith("thành phố - đông nhất từ trước đến nay."))
        self.assertEqual(parsed.caption, CAPTION)
        self.assertEqual(len(parsed.paragraphs), 4)
        self.assertEqual(parsed.paragraphs[-1], "Hội thi kéo dài đến hết ngày 16-3.")
        self.assertEqual(credits_of(parsed), [("Tin", "Lê Minh Châu"), ("Ảnh", "Lê Minh Châu")])

    def test_body_is_escaped_paragraphs_without_caption_byline_or_chrome(self):
        body = parse(MAIN).body
        self.assertTrue(body.startswith("<p>Hội thi gồm ba phần:"))
        self.assertEqual(body.count("<p>"), 4)
        self.assertIn("lãi &gt; 30% so với trồng lúa &amp; nuôi cá", body)
        for text in (CAPTION, "Lê Minh Châu", "Chia sẻ", "BÌNH LUẬN"):
            self.assertNotIn(text, body)

    def test_article_by_two_people(self):
        parsed = parse(TWO_AUTHORS)
        self.assertEqual(parsed.source_tag, "TTO")
        self.assertEqual(parsed.caption, "Anh Tư Sang thu hoạch dừa sáp.")
        self.assertEqual(credits_of(parsed), [("Bài", "Nguyễn Thảo"), ("Ảnh", "Hữu Phước")])
        self.assertEqual(len(parsed.paragraphs), 2)
        self.assertNotIn("liên quan", parsed.body)

    def test_wire_story(self):
        parsed = parse(WIRE)
        self.assertEqual(parsed.source_tag, "(TTXVN)")
        self.assertTrue(parsed.lead.startswith("Bộ Y tế vừa đề nghị"))
        self.assertEqual(parsed.caption, "")
        self.assertEqual(credits_of(parsed), [("Theo", "TTXVN")])
        self.assertEqual(len(parsed.paragraphs), 2)

    def test_nfd_crlf_bom_and_double_spaces_read_like_the_original(self):
        data = MAIN_NFD_CRLF.read_bytes()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        self.assertIn(b"\r\n", data)
        self.assertNotEqual(data.decode("utf-8-sig"), unicodedata.normalize("NFC", data.decode()))
        nfd, original = parse(MAIN_NFD_CRLF), parse(MAIN)
        for name in ("headline", "published_at", "source_tag", "lead", "caption", "paragraphs"):
            self.assertEqual(getattr(nfd, name), getattr(original, name), name)
        self.assertEqual(credits_of(nfd), credits_of(original))
        self.assertEqual(nfd.import_key, original.import_key)

    def test_lines_of_one_paragraph_are_joined(self):
        text = (
            "Tít\n15/03/2021 - 08:30\n\nBSX.VN - Sáng nay,\nhội nghị khai mạc.\n\n"
            "Đoạn một\ncòn tiếp.\n"
        )
        parsed = parse_article_text(text, "bai.txt", ROLE_LABELS)
        self.assertEqual(parsed.lead, "Sáng nay, hội nghị khai mạc.")
        self.assertEqual(parsed.paragraphs, ["Đoạn một còn tiếp."])

    def test_import_key_follows_headline_and_time_not_file_name(self):
        parsed = parse(MAIN)
        self.assertEqual(
            parsed.import_key, "text:202103150830:nong-dan-song-xanh-thi-tai-san-xuat-gioi"
        )
        text = MAIN.read_text(encoding="utf-8")
        renamed = parse_article_text(text, "khac.txt", ROLE_LABELS)
        self.assertEqual(renamed.import_key, parsed.import_key)
        later = parse_article_text(text.replace("08:30", "09:30"), "bai.txt", ROLE_LABELS)
        self.assertNotEqual(later.import_key, parsed.import_key)

    def test_source_tags(self):
        cases = {
            "BDK.VN - Sáng nay": ("BDK.VN", "Sáng nay"),
            "TTO - Sáng nay": ("TTO", "Sáng nay"),
            "(Dân trí) - Sáng nay": ("(Dân trí)", "Sáng nay"),
            "VnExpress – Sáng nay": ("VnExpress", "Sáng nay"),
            "HÀ NỘI - Sáng nay": ("HÀ NỘI", "Sáng nay"),
        }
        for lead, expected in cases.items():
            with self.subTest(lead=lead):
                self.assertEqual(split_source_tag(lead), expected)

    def test_real_text_is_not_taken_for_a_source_tag(self):
        for lead in (
            "Sáng 10-1, Đại tá Phạm Văn A - Phó giám đốc Công an tỉnh, chủ trì.",
            "Nguyễn Văn Minh - Giám đốc Sở Nông nghiệp cho biết như vậy.",
            "Hội nghị - nơi các đơn vị gặp gỡ - diễn ra sáng nay.",
            "Sáng - chiều đều có mưa.",
            "Sáng nay hội nghị khai mạc.",
        ):
            with self.subTest(lead=lead):
                self.assertEqual(split_source_tag(lead), ("", lead))

    def test_byline_forms(self):
        roles = {"tin": "Tin", "bai": "Bài", "anh": "Ảnh", "nguon": "Nguồn"}
        cases = {
            "Bài: Nguyễn Thảo, Minh Khang": [("Bài", "Nguyễn Thảo"), ("Bài", "Minh Khang")],
            "Bài và ảnh: T.Q": [("Bài", "T.Q"), ("Ảnh", "T.Q")],
            "Bài: A Lâm - Theo TTXVN": [("Bài", "A Lâm"), ("Theo", "TTXVN")],
            "Nguồn: Báo Nhân Dân": [("Nguồn", "Báo Nhân Dân")],
            "theo Báo Đồng Khởi.": [("Theo", "Báo Đồng Khởi")],
        }
        for line, expected in cases.items():
            with self.subTest(line=line):
                found = parse_byline(line, 9, roles)
                self.assertEqual([(c.role or "Theo", c.name) for c in found], expected)

    def test_body_lines_are_not_bylines(self):
        roles = {"tin": "Tin", "bai": "Bài", "anh": "Ảnh"}
        for line in (
            "Theo kế hoạch, tuần sau sẽ họp.",
            "Theo Sở Y tế, toàn tỉnh có 500 ca mắc.",
            "Lưu ý: người dân cần mang giấy tờ tùy thân.",
            "Ảnh: minh họa",
            "Hội thi kéo dài đến hết ngày 16-3.",
        ):
            with self.subTest(line=line):
                self.assertIsNone(parse_byline(line, 9, roles))

    def test_malformed_files_name_the_line(self):
        for case, (content, line, words) in MALFORMED.items():
            with self.subTest(case=case):
                data = content if isinstance(content, bytes) else content.encode()
                with self.assertRaises(ArticleImportError) as caught:
                    text = decode_article_bytes(data, "hong.txt")
                    parse_article_text(text, "hong.txt", ROLE_LABELS)
                self.assertEqual(caught.exception.filename, "hong.txt")
                self.assertEqual(caught.exception.line, line)
                self.assertIn(words, caught.exception.message)


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("Nông nghiệp", slug="nong-nghiep")

    def setUp(self):
        folder = tempfile.mkdtemp(prefix="newsroom-import-test-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        self.tmp = Path(folder)

    def run_import(self, *files, **options):
        out, err = StringIO(), StringIO()
        call_command("import_article", *map(str, files), stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    def photo(self):
        return str(write_jpeg_with_gps(self.tmp / "hoi-thi.jpg"))

    def write(self, name, content):
        path = self.tmp / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def assert_nothing_saved(self):
        for model in (Article, Credit, Contributor, Photo, ArticlePhoto):
            self.assertFalse(model.objects.exists(), model.__name__)


class ImportCommandTests(ImportTestCase):
    @ARCHIVE_GATES
    def test_import_published_with_photo(self):
        out, _err = self.run_import(MAIN, section="nong-nghiep", publish=True, photo=self.photo())
        self.assertIn("Đã tạo bài", out)
        article = Article.objects.get()
        self.assertEqual(article.headline, HEADLINE)
        self.assertEqual(article.source_tag, "BSX.VN")
        self.assertTrue(article.lead.startswith("Sáng 15-3,"))
        self.assertEqual(article.section, self.section)
        self.assertEqual(article.status, Article.Status.PUBLISHED)
        self.assertEqual(article.kind, Article.Kind.NEWS)
        self.assertEqual(article.published_at, datetime(2021, 3, 15, 8, 30, tzinfo=LOCAL))
        self.assertEqual(article.first_published_at, article.published_at)
        self.assertIn("&gt; 30%", article.body)
        self.assertEqual(article.byline(), BYLINE)
        contributor = Contributor.objects.get()
        self.assertEqual(contributor.name, "Lê Minh Châu")
        self.assertEqual(
            [(c.role.label, c.contributor) for c in article.credits.select_related("role")],
            [("Tin", contributor), ("Ảnh", contributor)],
        )
        use = article.photo_uses.get()
        self.assertTrue(use.is_lead)
        self.assertEqual(use.caption, CAPTION)
        photo = use.photo
        self.assertEqual(photo.alt_text, CAPTION)
        self.assertEqual(photo.caption, CAPTION)
        self.assertEqual(photo.creator, "Lê Minh Châu")
        self.assertEqual(photo.credit_line, "Ảnh: Lê Minh Châu")
        self.assertEqual((photo.width, photo.height), (80, 60))

    def test_stored_photo_has_no_exif(self):
        self.run_import(MAIN, photo=self.photo())
        photo = Photo.objects.get()
        with photo.image.open("rb"), Image.open(photo.image) as stored:
            self.assertEqual(stored.format, "JPEG")
            self.assertEqual(len(stored.getexif()), 0)
            self.assertEqual(len(stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)), 0)
            self.assertNotIn("exif", stored.info)

    def test_draft_without_publish_keeps_the_file_time(self):
        out, _err = self.run_import(MAIN)
        article = Article.objects.get()
        self.assertEqual(article.status, Article.Status.DRAFT)
        self.assertEqual(article.published_at, datetime(2021, 3, 15, 8, 30, tzinfo=LOCAL))
        self.assertIsNone(article.section)
        self.assertIsNone(article.first_published_at)
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)
        # No photo: the caption is reported, and kept for a re-import with --photo.
        self.assertIn("chú thích ảnh chưa được lưu; nhập lại với --photo", out)
        self.assertIn(f"Chú thích: “{CAPTION}”", out)
        self.assertFalse(ArticlePhoto.objects.exists())
        self.run_import(MAIN, photo=self.photo())
        self.assertEqual(Article.objects.get().lead_photo_use().caption, CAPTION)

    @ARCHIVE_GATES
    def test_reimport_updates_and_does_not_duplicate(self):
        photo = self.photo()
        self.run_import(MAIN, section="nong-nghiep", publish=True, photo=photo)
        first = Article.objects.get()
        first_photo = Photo.objects.get()
        changed = MAIN.read_text(encoding="utf-8").replace("16-3", "17-3")
        renamed = self.write("ten-khac.txt", changed)
        out, _err = self.run_import(renamed, photo=photo)
        self.assertIn("Đã cập nhật bài", out)
        article = Article.objects.get()
        self.assertEqual(article.pk, first.pk)
        self.assertIn("17-3", article.body)
        self.assertEqual(article.status, Article.Status.PUBLISHED)  # kept without --publish
        self.assertEqual(article.section, self.section)  # kept without --section
        self.assertEqual(article.version, first.version + 1)
        self.assertEqual(Credit.objects.count(), 2)
        self.assertEqual(Contributor.objects.count(), 1)
        self.assertEqual(ArticlePhoto.objects.count(), 1)
        self.assertEqual(Photo.objects.get(), first_photo)  # the same image is reused
        self.assertEqual(article.byline(), BYLINE)

    def test_reimport_without_photo_keeps_the_photo_and_updates_its_caption(self):
        self.run_import(MAIN, photo=self.photo())
        changed = MAIN.read_text(encoding="utf-8").replace("dừa sáp tại", "bưởi da xanh tại")
        out, _err = self.run_import(self.write("bai.txt", changed))
        use = ArticlePhoto.objects.get()
        self.assertEqual(use.caption, "Hội viên giới thiệu sản phẩm bưởi da xanh tại hội thi.")
        self.assertNotIn("chú thích ảnh chưa được lưu", out)

    def test_nfd_crlf_file_is_the_same_article(self):
        self.run_import(MAIN_NFD_CRLF)
        article = Article.objects.get()
        self.assertEqual(article.headline, HEADLINE)
        self.assertEqual(article.slug, "nong-dan-song-xanh-thi-tai-san-xuat-gioi")
        self.assertEqual(article.byline(), BYLINE)
        self.run_import(MAIN)
        self.assertEqual(Article.objects.count(), 1)
        self.assertEqual(Contributor.objects.get().name, "Lê Minh Châu")

    def test_people_are_matched_by_name_or_pen_name(self):
        thao = make_contributor("Nguyễn Thị Thảo", pen_name="Nguyễn Thảo")
        phuoc = make_contributor(unicodedata.normalize("NFD", "HỮU PHƯỚC"))
        self.run_import(TWO_AUTHORS)
        article = Article.objects.get()
        self.assertEqual(article.kind, Article.Kind.ARTICLE)
        self.assertEqual([c.contributor for c in article.credits.all()], [thao, phuoc])
        self.assertEqual(Contributor.objects.count(), 2)
        self.assertEqual(article.byline(), "Bài: Nguyễn Thảo - Ảnh: HỮU PHƯỚC")

    def test_two_people_byline(self):
        self.run_import(TWO_AUTHORS, photo=self.photo())
        article = Article.objects.get()
        self.assertEqual(article.byline(), "Bài: Nguyễn Thảo - Ảnh: Hữu Phước")
        self.assertEqual(Photo.objects.get().credit_line, "Ảnh: Hữu Phước")

    def test_wire_story_is_credited_to_its_source(self):
        self.run_import(WIRE)
        article = Article.objects.get()
        credit = article.credits.get()
        self.assertIsNone(credit.contributor)
        self.assertEqual(credit.name, "TTXVN")
        self.assertTrue(credit.role.is_source)
        self.assertEqual(article.byline(), "Theo TTXVN")
        self.assertFalse(Contributor.objects.exists())

    def test_malformed_files_save_nothing(self):
        for case, (content, line, _words) in MALFORMED.items():
            with self.subTest(case=case):
                path = self.write("hong.txt", content)
                with self.assertRaises(CommandError) as caught:
                    self.run_import(path)
                self.assertIn(f"Không đọc được tệp {path}, dòng {line}:", str(caught.exception))
                self.assert_nothing_saved()

    def test_failure_after_the_article_is_written_rolls_back(self):
        Role.objects.filter(is_source=True).delete()
        with self.assertRaises(CommandError) as caught:
            self.run_import(WIRE)
        self.assertIn(f"Không đọc được tệp {WIRE}, dòng 11:", str(caught.exception))
        self.assert_nothing_saved()

    def test_bad_photo_saves_nothing(self):
        bad = self.write("khong-phai-anh.jpg", b"not an image")
        with self.assertRaises(CommandError) as caught:
            self.run_import(MAIN, photo=str(bad))
        self.assertIn(str(bad), str(caught.exception))
        self.assertIn("không phải ảnh", str(caught.exception))
        self.assert_nothing_saved()

    def test_missing_section_is_a_clear_error(self):
        with self.assertRaises(CommandError) as caught:
            self.run_import(MAIN, section="khong-co")
        message = str(caught.exception)
        self.assertIn("Không có chuyên mục có đường dẫn “khong-co”", message)
        self.assertIn("nong-nghiep", message)
        self.assert_nothing_saved()

    def test_several_files_good_ones_are_imported(self):
        bad = self.write("hong.txt", MALFORMED["bad date"][0])
        with self.assertRaises(CommandError) as caught:
            self.run_import(MAIN, bad, WIRE)
        self.assertIn("Không nhập được 1 trong 3 tệp", str(caught.exception))
        self.assertEqual(Article.objects.count(), 2)

    def test_several_files_errors_go_to_stderr(self):
        bad = self.write("hong.txt", MALFORMED["bad date"][0])
        err = StringIO()
        with self.assertRaises(CommandError):
            call_command("import_article", str(MAIN), str(bad), stdout=StringIO(), stderr=err)
        self.assertIn(f"Không đọc được tệp {bad}, dòng 2:", err.getvalue())

    def test_tags_option_sets_the_tags(self):
        self.run_import(MAIN, tags="Nông nghiệp,  Hội\x01 thi, Nông nghiệp")
        article = Article.objects.get()
        self.assertEqual(sorted(article.tags.names()), ["Hội thi", "Nông nghiệp"])
        self.assertEqual(article.revisions.get().data["tags"], ["Hội thi", "Nông nghiệp"])
        self.run_import(MAIN)  # a re-import without --tags keeps them
        self.assertEqual(sorted(article.tags.names()), ["Hội thi", "Nông nghiệp"])

    def test_tag_too_long_is_refused_before_any_file(self):
        with self.assertRaises(CommandError) as caught:
            self.run_import(MAIN, WIRE, tags="Nông nghiệp, " + "x" * 101)
        message = str(caught.exception)
        self.assertIn("Không dùng được --tags:", message)
        self.assertIn("dài 101 ký tự; mỗi thẻ dài tối đa 100 ký tự.", message)
        self.assert_nothing_saved()
        self.assertFalse(Tag.objects.exists())

    def test_save_parsed_checks_the_tags(self):
        parsed = parse_article_text(MAIN.read_text(encoding="utf-8"), str(MAIN))
        with self.assertRaises(ValidationError):
            save_parsed(parsed, tags=["Hội thi", "x" * 101])
        self.assert_nothing_saved()
        self.assertFalse(Tag.objects.exists())

    def test_long_file_path_fits_the_revision_note(self):
        deep = self.tmp / ("thư-mục-" + "d" * 200)
        deep.mkdir()
        path = deep / ("tệp-" + "x" * 240 + ".txt")
        shutil.copy(MAIN, path)
        self.run_import(path)  # PostgreSQL refused the 480-character note
        note = Article.objects.get().revisions.get().note
        self.assertLessEqual(len(note), 250)
        self.assertTrue(note.startswith("Nhập từ tệp tệp-xxx"), note)

    def test_photo_needs_a_single_file(self):
        with self.assertRaises(CommandError):
            self.run_import(MAIN, WIRE, photo=self.photo())
        self.assert_nothing_saved()

    @ARCHIVE_GATES
    def test_public_page_shows_the_article_in_order(self):
        self.run_import(MAIN, section="nong-nghiep", publish=True, photo=self.photo())
        article = Article.objects.get()
        response = self.client.get(article.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        text = " ".join(unescape(strip_tags(html[html.index("<article"):])).split())
        expected = [
            HEADLINE, "15/03/2021 - 08:30", "BSX.VN - Sáng 15-3, Hội Nông dân tỉnh", CAPTION,
            "Hội thi gồm ba phần", BYLINE,
        ]
        positions = [text.index(part) for part in expected]
        self.assertEqual(positions, sorted(positions))


class ImportPublishTests(ImportTestCase):
    """Issue 9, point 3: --publish goes through the editorial workflow, recorded
    as done by the command, and the publish gates can refuse it."""

    def events(self, article):
        return list(article.events.order_by("created_at", "id"))

    @ARCHIVE_GATES
    def test_publish_goes_through_the_workflows_transitions(self):
        out, _err = self.run_import(MAIN, section="nong-nghiep", publish=True, photo=self.photo())
        article = Article.objects.get()
        self.assertEqual(article.status, Article.Status.PUBLISHED)
        self.assertEqual(article.published_at, datetime(2021, 3, 15, 8, 30, tzinfo=LOCAL))
        self.assertEqual(article.first_published_at, article.published_at)
        self.assertIn(f"Đã đăng bài {article.pk}, giờ đăng 15/03/2021 - 08:30.", out)
        events = self.events(article)
        self.assertEqual(
            [(e.action, e.from_status, e.to_status) for e in events],
            [
                ("submit", "draft", "in_review"),
                ("approve", "in_review", "approved"),
                ("publish", "approved", "published"),
            ],
        )
        revision = article.revisions.get()
        for event in events:
            self.assertIsNone(event.actor)
            self.assertEqual(event.note, f"Lệnh import_article: Nhập từ tệp {MAIN}")
            self.assertEqual(event.revision, revision)
        self.assertEqual(article.approved_hash, revision.content_hash)
        self.assertIsNone(article.published_by)
        history = reverse("admin:articles_article_history", args=[article.pk])
        self.client.force_login(make_editor("bientap"))
        self.assertContains(self.client.get(history), "Lệnh import_article: Nhập từ tệp")

    def test_failed_gates_are_reported_and_the_article_stays_a_draft(self):
        with self.assertRaises(CommandError) as caught:
            self.run_import(MAIN, publish=True)
        message = str(caught.exception)
        article = Article.objects.get()
        self.assertIn(f"Chưa đăng bài {article.pk} “{HEADLINE}” từ {MAIN}", message)
        self.assertIn("bài vẫn ở trạng thái “Bản nháp”", message)
        self.assertIn("Chưa thể đăng bài: Chưa chọn chuyên mục. Chưa gắn thẻ nào.", message)
        # Nothing imported is lost, and nothing of the workflow happened.
        self.assertEqual(article.status, Article.Status.DRAFT)
        self.assertEqual(article.byline(), BYLINE)
        self.assertIn("Hội thi gồm ba phần", article.body)
        self.assertEqual(article.revisions.count(), 1)
        self.assertFalse(Event.objects.exists())
        self.assertIsNone(article.first_published_at)
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 404)
        # The editor completes it; the same import with --publish now publishes.
        article.tags.add("nông nghiệp")
        self.run_import(MAIN, section="nong-nghiep", publish=True)
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.PUBLISHED)
        self.assertEqual(
            [e.action for e in self.events(article)], ["submit", "approve", "publish"]
        )

    def test_the_gates_are_reported_in_the_operators_language(self):
        with translation.override("en"), self.assertRaises(CommandError) as caught:
            self.run_import(MAIN, publish=True)
        message = str(caught.exception)
        self.assertIn("The article cannot be published yet: No section chosen. No tags added.",
                      message)
        self.assertNotIn("Chưa", message)

    @ARCHIVE_GATES
    def test_a_file_time_still_ahead_schedules(self):
        future = MAIN.read_text(encoding="utf-8").replace("15/03/2021", "15/03/2099")
        out, _err = self.run_import(
            self.write("sap-dang.txt", future), section="nong-nghiep", publish=True,
            photo=self.photo(),
        )
        article = Article.objects.get()
        self.assertEqual(article.status, Article.Status.SCHEDULED)
        self.assertIn(f"Đã hẹn giờ đăng bài {article.pk} lúc 15/03/2099 - 08:30.", out)
        self.assertEqual(self.events(article)[-1].to_status, Article.Status.SCHEDULED)

    @ARCHIVE_GATES
    def test_only_the_publication_sends_email(self):
        make_editor("bientap", email="bientap@example.com")
        with self.captureOnCommitCallbacks(execute=True):
            self.run_import(MAIN, section="nong-nghiep", publish=True)
        self.assertEqual(Article.objects.get().status, Article.Status.PUBLISHED)
        self.assertEqual(mail.outbox, [])  # no "please review" for what is already published

    @ARCHIVE_GATES
    def test_reimport_of_a_published_article_changes_no_status(self):
        self.run_import(MAIN, section="nong-nghiep", publish=True)
        out, _err = self.run_import(MAIN, publish=True)
        article = Article.objects.get()
        self.assertIn(f"Bài {article.pk} đã đăng từ trước.", out)
        self.assertEqual(article.status, Article.Status.PUBLISHED)
        self.assertEqual(article.events.count(), 3)

    @ARCHIVE_GATES
    def test_a_withdrawn_article_is_not_published_again(self):
        self.run_import(MAIN, section="nong-nghiep", publish=True)
        article = Article.objects.get()
        article.withdraw(
            make_editor("bientap"), note="Sai số liệu", reason=WithdrawalReason.values[0]
        )
        with self.assertRaises(CommandError) as caught:
            self.run_import(MAIN, publish=True)
        self.assertIn("Không thể “Đăng / hẹn giờ đăng”", str(caught.exception))
        article.refresh_from_db()
        self.assertEqual(article.status, Article.Status.WITHDRAWN)

    def test_several_files_the_refused_ones_are_counted_apart(self):
        bad = self.write("hong.txt", MALFORMED["bad date"][0])
        with self.assertRaises(CommandError) as caught:
            call_command(
                "import_article", str(MAIN), str(bad), str(WIRE), publish=True,
                stdout=StringIO(), stderr=(err := StringIO()),
            )
        self.assertEqual(
            str(caught.exception),
            "Không nhập được 1 trong 3 tệp. Đã nhập nhưng chưa đăng 2 trong 3 tệp.",
        )
        main = Article.objects.get(source_tag="BSX.VN")
        self.assertIn(f"Chưa đăng bài {main.pk}", err.getvalue())
        self.assertEqual(Article.objects.filter(status=Article.Status.DRAFT).count(), 2)


class SampleFileTests(TestCase):
    @ARCHIVE_GATES
    def test_import_the_papers_sample(self):
        make_section("Thời sự", slug="thoi-su")
        call_command(
            "import_article", str(SAMPLE), section="thoi-su", publish=True, stdout=StringIO()
        )
        self.assertEqual(Article.objects.get().status, Article.Status.PUBLISHED)
        article = Article.objects.get()
        self.assertEqual(article.headline, "Phối hợp đảm bảo an ninh trật tự")
        self.assertEqual(article.source_tag, "BDK.VN")
        self.assertEqual(article.published_at, datetime(2020, 1, 10, 13, 4, tzinfo=LOCAL))
        self.assertEqual(article.published_at.astimezone(LOCAL).utcoffset(), timedelta(hours=7))
        self.assertTrue(article.lead.startswith("Sáng 10-1-2020, Đại tá"))
        self.assertEqual(article.byline(), "Tin, ảnh: Trần Quốc")
        self.assertNotIn("Chủ trì hội nghị.", article.body)
        for chrome in ("Chia sẻ bài viết", "BÌNH LUẬN", "Trần Quốc"):
            self.assertNotIn(chrome, article.body)
        parsed = parse(SAMPLE)
        self.assertEqual(parsed.caption, "Chủ trì hội nghị.")
        self.assertEqual(parsed.source_tag, "BDK.VN")
