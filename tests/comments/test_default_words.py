"""The default word list and the evasions issue 14 found published: a fresh
install (migrations only) holds the common obscenities in post-moderation;
separators between letters, capitals, phone numbers with letters for digits,
spelled-out domains and messaging links are held; ordinary Vietnamese about
places, farming, weather and sport is published. Every test here runs on the
list the migration loaded, not on a list of its own."""

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from articles import roles
from articles.models import CommentsMode
from comments import default_words, rules
from comments.models import Comment, RemovedWord, Word
from tests.comments.test_posting import post, returning_reader
from tests.comments.test_rules import newsroom_settings
from tests.factories import make_article, make_member

Status = Comment.Status


def check(text):
    """The verdict in post-moderation for a returning reader."""
    return rules.check(text, "Bạn đọc", mode="post", first_time=False)


def codes(verdict):
    return [reason.code for reason in verdict.reasons]


def matched(verdict, code):
    return next(reason.matched for reason in verdict.reasons if reason.code == code)


# Common obscenities as readers type them, each with the action the default
# list gives it on a fresh install.
COMMON_OBSCENITIES = [
    ("Đồ lồn", rules.REJECT),
    ("địt mẹ mày", rules.REJECT),
    ("đụ má thằng viết bài", rules.REJECT),
    ("con đĩ", rules.REJECT),
    ("cặc", rules.REJECT),
    ("đầu buồi", rules.REJECT),
    ("đéo hiểu kiểu gì", rules.REJECT),
    ("hay vcl", rules.REJECT),
    ("đm bọn này", rules.REJECT),
    ("vãi lồn thật", rules.REJECT),
    ("loz", rules.REJECT),
    ("fuck you", rules.REJECT),
    ("dit me may", rules.HOLD),
    ("thằng ngu", rules.HOLD),
    ("đồ óc chó", rules.HOLD),
    ("lũ súc vật", rules.HOLD),
    ("bọn khốn nạn mất dạy", rules.HOLD),
    ("đồ ba que", rules.HOLD),
    ("tàu khựa", rules.HOLD),
    ("dkm", rules.REJECT),
]


class FreshInstallTests(TestCase):
    def test_the_migration_loads_the_default_list(self):
        stored = dict(Word.objects.values_list("text", "list"))
        for text, kind in default_words.entries():
            with self.subTest(text=text):
                self.assertEqual(stored.get(text), kind)
        self.assertGreaterEqual(len(default_words.BANNED), 50)
        self.assertGreaterEqual(len(default_words.SUSPECT), 50)

    def test_post_moderation_holds_the_common_obscenities(self):
        article = make_article(comments_mode=CommentsMode.POST)
        for index, (text, _action) in enumerate(COMMON_OBSCENITIES):
            addr = f"198.51.100.{index + 1}"
            returning_reader(addr)
            with self.subTest(text=text):
                post(self.client, article, addr=addr, body=text)
                self.assertFalse(Comment.objects.filter(article=article, body=text,
                                                        status=Status.PUBLISHED).exists())
        article.refresh_from_db()
        self.assertEqual(article.comment_count, 0)
        # The same reader's ordinary comment is published at once: post
        # moderation is on, the list is what held the others.
        post(self.client, article, addr="198.51.100.1", body="Bài viết rất hay, cảm ơn báo.")
        self.assertEqual(
            Comment.objects.get(article=article, body="Bài viết rất hay, cảm ơn báo.").status,
            Status.PUBLISHED,
        )

    def test_each_obscenity_is_refused_or_held_as_listed(self):
        for text, action in COMMON_OBSCENITIES:
            with self.subTest(text=text):
                self.assertEqual(check(text).action, action)


class RemovedWordTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.moderator = make_member(roles.MODERATORS, "kiemduyet")

    def test_a_word_deleted_in_the_admin_is_never_loaded_again(self):
        self.client.force_login(self.moderator)
        word = Word.objects.get(text="đĩ")
        response = self.client.post(
            reverse("admin:comments_word_delete", args=[word.pk]), {"post": "yes"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Word.objects.filter(text="đĩ").exists())
        self.assertTrue(RemovedWord.objects.filter(text="đĩ").exists())
        call_command("load_default_words", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertFalse(Word.objects.filter(text="đĩ").exists())
        self.assertEqual(check("đĩ").action, rules.PUBLISH)

    def test_bulk_deletes_and_renames_are_remembered(self):
        self.client.force_login(self.moderator)
        ids = list(Word.objects.filter(text__in=["ngu", "đần"]).values_list("pk", flat=True))
        self.client.post(
            reverse("admin:comments_word_changelist"),
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )
        word = Word.objects.get(text="cave")
        word.text = "cave xấu"
        word.save()
        self.assertEqual(
            set(RemovedWord.objects.values_list("text", flat=True)), {"ngu", "đần", "cave"}
        )
        default_words.load(Word, RemovedWord)
        for text in ("ngu", "đần", "cave"):
            self.assertFalse(Word.objects.filter(text=text).exists())

    def test_loading_adds_only_what_is_missing_and_keeps_the_moderators_lists(self):
        # A word a later release adds (here: one gone without a removal record).
        Word.objects.filter(text="buồi").delete()
        RemovedWord.objects.all().delete()
        Word.objects.filter(text="ngu").update(list=Word.List.BANNED)
        Word.objects.filter(text="lồn").update(text="LỒN")
        self.assertEqual(default_words.load(Word, RemovedWord), 1)
        self.assertEqual(Word.objects.get(text="buồi").list, Word.List.BANNED)
        self.assertEqual(Word.objects.get(text="ngu").list, Word.List.BANNED)
        self.assertFalse(Word.objects.filter(text="lồn").exists())
        self.assertEqual(default_words.load(Word, RemovedWord), 0)

    def test_include_removed_brings_them_back(self):
        Word.objects.filter(text__in=["cặc", "ngu"]).delete()
        self.assertEqual(RemovedWord.objects.count(), 2)
        call_command("load_default_words", "--include-removed", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(Word.objects.filter(text__in=["cặc", "ngu"]).count(), 2)
        self.assertEqual(RemovedWord.objects.count(), 0)
        self.assertEqual(check("cặc").action, rules.REJECT)

    def test_a_moderator_forgets_a_removal_in_the_admin(self):
        Word.objects.filter(text="buồi").delete()
        removal = RemovedWord.objects.get(text="buồi")
        self.client.force_login(self.moderator)
        listing = self.client.get(reverse("admin:comments_removedword_changelist"))
        self.assertContains(listing, "buồi")
        self.assertNotContains(listing, reverse("admin:comments_removedword_add"))
        response = self.client.post(
            reverse("admin:comments_removedword_delete", args=[removal.pk]), {"post": "yes"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(default_words.load(Word, RemovedWord), 1)
        self.assertEqual(Word.objects.get(text="buồi").list, Word.List.BANNED)

    def test_deleting_a_word_of_ones_own_records_nothing(self):
        Word.objects.create(text="khỉ gió", list=Word.List.SUSPECT).delete()
        self.assertFalse(RemovedWord.objects.exists())


class SeparatorTests(TestCase):
    """A separator between every letter of a banned word."""

    def test_banned_words_spelled_letter_by_letter_are_refused(self):
        for text, piece in [
            ("đ-ị-t m-ẹ", "đ-ị-t m-ẹ"),
            ("thằng này L.Ồ.N thật", "L.Ồ.N"),
            ("c ặ c", "c ặ c"),
            ("b-u-ồ-i", "b-u-ồ-i"),
            ("đ . ĩ", "đ . ĩ"),
            ("f.u.c.k", "f.u.c.k"),
            ("v-ã-i l-ồ-n", "v-ã-i l-ồ-n"),
            ("Đ_Ụ M_Á", "Đ_Ụ M_Á"),
            ("đ/é/o biết", "đ/é/o"),
        ]:
            with self.subTest(text=text):
                verdict = check(text)
                self.assertEqual(verdict.action, rules.REJECT)
                self.assertIn(piece, matched(verdict, "banned_word"))

    def test_spelled_without_accents_they_are_held(self):
        for text in ["d-i-t m-e", "l.o.n", "c a c"]:
            with self.subTest(text=text):
                verdict = check(text)
                self.assertEqual(verdict.action, rules.HOLD)
                self.assertIn("folded_match", codes(verdict))

    def test_other_words_spelled_letter_by_letter_are_published(self):
        for text in [
            "H-à N-ộ-i mưa to", "T.P.H.C.M nắng nóng", "Đội U.2.3 đá hay", "rau, củ, quả v.v.",
            "Đ-à N-ẵ-n-g đẹp lắm", "S.O.S cứu hộ", "l.ú.a chín vàng", "C-ầ-n T-h-ơ",
        ]:
            with self.subTest(text=text):
                self.assertEqual(check(text).reasons, [])


class CapitalsTests(TestCase):
    def test_banned_phrases_in_capitals(self):
        for text in ["ĐỊT MẸ MÀY", "ĐỤ MÁ", "VÃI LỒN", "CON ĐĨ", "ĐẦU BUỒI", "Đéo Biết"]:
            with self.subTest(text=text):
                self.assertEqual(check(text).action, rules.REJECT)
        for text in ["DIT ME MAY", "VAI LON", "DU MA", "THẰNG NGU"]:
            with self.subTest(text=text):
                self.assertEqual(check(text).action, rules.HOLD)

    def test_ordinary_capitals(self):
        for text in ["CẦN THƠ MƯA TO", "ĐỒ SƠN ĐÔNG KHÁCH", "CÁC BẠN LỚN RỒI", "BUỔI SÁNG"]:
            with self.subTest(text=text):
                self.assertEqual(check(text).reasons, [])


class PhoneWithLettersTests(TestCase):
    def test_letters_for_digits_are_held(self):
        for text, piece in [
            ("gọi O9l2345678 nhé", "O9l2345678"),
            ("LH: 09I2 345 678", "09I2 345 678"),
            ("o912.345.678", "o912.345.678"),
            ("O9O9 l23 456", "O9O9 l23 456"),
            ("+84 9l2 345 678", "+84 9l2 345 678"),
            ("sđt 0 9 l 2 3 4 5 6 7 8", "0 9 l 2 3 4 5 6 7 8"),
            ("Zalo: 09l2345678", "09l2345678"),
        ]:
            with self.subTest(text=text):
                verdict = check(text)
                self.assertEqual(verdict.action, rules.HOLD)
                self.assertIn(piece, matched(verdict, "phone"))

    def test_words_and_numbers_that_are_not_phones(self):
        for text in [
            "Năm 2010 lũ lớn, năm 2020 lại lũ",
            "Lô 0912 ở khu công nghiệp",
            "Olio 912345678 đồng",  # inside a word
            "lo lo lo 123",
            "Tổ 10, ấp 1, xã Long Hòa",
        ]:
            with self.subTest(text=text):
                self.assertNotIn("phone", codes(check(text)))


class SpelledDomainTests(TestCase):
    def test_domains_spelled_out_are_held_even_where_links_are_allowed(self):
        for text, piece in [
            ("vào g o o g l e . c o m", "g o o g l e . c o m"),
            ("b.i.t.l.y/abc", "b.i.t.l.y"),
            ("nhacai88 . com", "nhacai88 . com"),
            ("n h a c a i 8 8 . v i p", "n h a c a i 8 8 . v i p"),
            ("w w w . s h o p . v n", "w w w . s h o p . v n"),
            ("kubet .net", "kubet .net"),
        ]:
            for allow in (False, True):
                with self.subTest(text=text, allow=allow), newsroom_settings(ALLOW_LINKS=allow):
                    verdict = check(text)
                    self.assertEqual(verdict.action, rules.HOLD)
                    self.assertIn(piece, matched(verdict, "links"))

    def test_text_with_dots_and_spaces_is_not_a_domain(self):
        with newsroom_settings(ALLOW_LINKS=False):
            for text in [
                "Tôi ăn . cơm rồi", "Giá 3 . 5 triệu", "Q . 1, TP.HCM", "P . S nhớ mang áo mưa",
                "A . B . C", "Mr . Bean", "ok . ok", "U.B.N.D xã",
            ]:
                with self.subTest(text=text):
                    self.assertEqual(check(text).reasons, [])


class MessagingLinkTests(TestCase):
    def test_messaging_links_are_held_even_where_links_are_allowed(self):
        for text, piece in [
            ("vào t.me/nhacai88 nhận quà", "t.me/nhacai88"),
            ("https://t.me/+abcDEF", "https://t.me/+abcDEF"),
            ("zalo.me/0912345678", "zalo.me/0912345678"),
            ("chat.zalo.me/abc", "chat.zalo.me/abc"),
            ("wa.me/84912345678", "wa.me/84912345678"),
            ("m.me/shopbanhang", "m.me/shopbanhang"),
            ("t . me / nhacai", "t . me / nhacai"),
            ("telegram.me/kenhkeo", "telegram.me/kenhkeo"),
        ]:
            for allow in (False, True):
                with self.subTest(text=text, allow=allow), newsroom_settings(ALLOW_LINKS=allow):
                    verdict = check(text)
                    self.assertEqual(verdict.action, rules.HOLD)
                    self.assertIn(piece, matched(verdict, "messaging"))

    def test_naming_the_apps_is_fine(self):
        for text in ["Tin này chia sẻ trên Telegram và Zalo", "Nhắn qua Messenger của phường"]:
            with self.subTest(text=text):
                self.assertEqual(check(text).reasons, [])


# Ordinary comments about places, farming, weather and sport, many of them
# one accent away from a listed word once accents are folded ("buổi"/"buồi",
# "đi"/"đĩ", "các"/"cặc", "đeo"/"đéo", "điểm"/"điếm", "dân"/"đần").
INNOCENT = [
    # Places
    "Sáng nay mưa to ở Đồ Sơn, bãi tắm vắng khách.",
    "Suối Lồ Ồ ở Dĩ An được nạo vét trước mùa mưa.",
    "Cần Thơ và Sóc Trăng đang vào vụ thu hoạch lúa đông xuân.",
    "Ngũ Hành Sơn đông khách du lịch dịp nghỉ lễ.",
    "Chợ nổi Cái Răng họp từ sáng sớm.",
    "Phường Đống Đa, quận Cầu Giấy ngập cục bộ.",
    "Huyện Củ Chi có nhiều trang trại bò sữa.",
    "Tôi ở Lương Sơn, Hòa Bình, đường về quê đẹp lắm.",
    "Chuyến tàu Bắc Nam dừng ở ga Diêu Trì.",
    "Ông Ba ở xóm Lò Vôi nuôi được đàn dê lớn.",
    "Cuối tuần đi câu cá ở hồ Dầu Tiếng.",
    "Đèo Cù Mông đang được mở rộng, đi lại an toàn hơn.",
    "Giá rau muống ở chợ Bến Thành tăng gấp đôi sau bão.",
    # Weather
    "Mùa này ở Đà Lạt trời se lạnh, sương mù buổi sáng.",
    "Buổi sáng ở Buôn Ma Thuột có nắng nhẹ, chiều có mưa rào.",
    "Lai Châu, Điện Biên có rét đậm, rét hại.",
    "Đi đâu thì đi, nhớ mang áo mưa vì chiều nay có dông.",
    "Nhiệt độ cao nhất 36 độ, độ ẩm 60%.",
    "Bão số 3 đổ bộ vào Quảng Ninh, gió giật cấp 12.",
    "Mưa đá ở Lào Cai làm hỏng nhiều nhà kính trồng rau.",
    "Không khí lạnh tăng cường, miền Bắc trời rét.",
    "Nắng nóng kéo dài, nông dân phải bơm nước chống hạn.",
    "Triều cường dâng cao, nước mặn xâm nhập sâu vào đồng ruộng.",
    "Đường lên đèo Hải Vân sạt lở sau mưa lớn.",
    "Mưa lớn quá, các cháu đi học về ướt hết.",
    "Trời mưa, ngập đường Cách Mạng Tháng Tám, xe chết máy hàng loạt.",
    "Đề nghị ngành điện kiểm tra đường dây trước mùa bão.",
    # Farming
    "Bón phân NPK cho lúa đúng lúc thì năng suất cao.",
    "Phân bón hữu cơ giúp đất tơi xốp hơn.",
    "Vụ này nhà tôi gieo sạ sớm, vãi phân đạm hai lần.",
    "Đào rãnh sâu 3 dm quanh gốc rồi bón vôi.",
    "Con cá lóc nuôi trong ao đất lớn nhanh.",
    "Nuôi con chó để giữ nhà, con mèo để bắt chuột.",
    "Giá heo hơi tăng, người chăn nuôi có lãi.",
    "Cây cà phê cần tưới nước đều trong mùa khô.",
    "Trâu bò được tiêm phòng lở mồm long móng.",
    "Bà con đi cắt lúa từ sáng sớm, trưa về nghỉ.",
    "Phun thuốc trừ sâu phải đeo khẩu trang và găng tay.",
    "Buổi chiều tôi hay ra đồng thăm lúa.",
    "Năm nay nhà nông lo vì dịch bệnh trên đàn gà.",
    "Vụ đông trồng ngô, khoai lang, bí đỏ.",
    "Xã Cát Tiên trồng điều và ca cao.",
    "Bà con ở Cà Mau đang cải tạo ao nuôi tôm, ngư dân ra khơi.",
    # Sport
    "Cầu thủ sút bóng chìm vào góc lưới, thủ môn bó tay.",
    "Đội tuyển U23 thắng 2-1, tiền đạo ghi cú đúp.",
    "Trọng tài thổi phạt đền ở phút 89.",
    "Champions League mùa này nhiều trận hay, CL đêm qua kịch tính.",
    "Điểm số chung cuộc 3-0, đội khách bị loại.",
    "Vận động viên điền kinh phá kỷ lục quốc gia.",
    "Câu lạc bộ cần thêm một hậu vệ cánh trái.",
    "Tôi đi xem bóng đá ở sân Thống Nhất với con trai.",
    "Giải đua thuyền trên sông Hương rất đông người xem.",
    "Đội bóng của tỉnh dẫn điểm từ đầu trận.",
    "Tỉnh đội tổ chức hội thao, bộ môn kéo co rất sôi nổi.",
    "Trận đấu bị hoãn vì mưa to, sân ngập nước.",
    "Sân vận động Mỹ Đình có sức chứa 40.000 chỗ.",
    "Thầy giáo dạy thể dục cho các em tập bơi.",
    # Everyday
    "Xe máy 110 cc chạy êm và tiết kiệm xăng.",
    "Các bạn trẻ nên đi học nghề, đừng ngại khó.",
    "Mẹ tôi đeo kính mới đọc được báo.",
    "Ông ấy dân làng ai cũng quý, sống rất tình nghĩa.",
    "Con đường làng mới đổ bê tông, đi lại thuận tiện.",
    "Ngủ sớm dậy sớm cho khỏe, cụ ông 90 tuổi khuyên.",
    # Typed without accents, with everyday words that fold onto listed ones
    "di dau cung thay mua",
    "buoi sang troi mat, chieu nang",
    "nho deo khau trang khi phun thuoc",
    "doi nha dan diem tu dau tran",
    "dan lang rat vui khi co duong moi",
]


class InnocentTextTests(TestCase):
    def test_ordinary_comments_stay_published(self):
        self.assertGreaterEqual(len(INNOCENT), 50)
        for text in INNOCENT:
            with self.subTest(text=text):
                verdict = check(text)
                self.assertEqual(verdict.reasons, [])
                self.assertEqual(verdict.action, rules.PUBLISH)
