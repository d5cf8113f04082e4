"""Royalties (nhuận bút): rates, lines from the credits, months, withdrawal,
totals to the đồng, exports and who sees payment details (issue 15, part 3)."""

import csv
import datetime
import difflib
import io
from decimal import Decimal

import openpyxl
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import roles
from articles.models import Article, Event
from articles.royalties.models import (
    BaseAmount,
    MonthClosed,
    PaymentDetails,
    QualityGrade,
    RoyaltyLine,
    RoyaltyMonth,
    RoyaltyRate,
    line_amount,
)
from articles.royalties.sync import sync_royalties
from tests.factories import (
    add_credit,
    make_article,
    make_contributor,
    make_editor,
    make_member,
    make_reporter,
    role,
)

State = RoyaltyLine.State
OCTOBER = datetime.date(2026, 10, 1)


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def published(day, kind=Article.Kind.NEWS, **overrides):
    return make_article(kind=kind, published_at=at(day), first_published_at=at(day), **overrides)


def grade(code):
    return QualityGrade.objects.get(code=code)


def month(year=2026, number=10):
    return RoyaltyMonth.objects.get(year=year, month=number)


def make_accountant(username=None):
    return make_member(roles.ACCOUNTANTS, username)


class RoundingTests(TestCase):
    def test_each_line_rounds_half_up_to_the_dong(self):
        self.assertEqual(line_amount(Decimal("1.25"), Decimal("0.70"), 10_001), 8751)  # 8750.875
        self.assertEqual(line_amount(Decimal("1.50"), Decimal("1.00"), 100_001), 150_002)  # .5
        self.assertEqual(line_amount(Decimal("1.00"), Decimal("0.70"), 5), 4)  # 3.5 -> 4
        self.assertEqual(line_amount(Decimal("1.00"), Decimal("0.70"), 3), 2)  # 2.1 -> 2

    def test_a_reversal_is_exactly_the_opposite(self):
        for coefficient in ("1.25", "0.01", "2.35"):
            paid = line_amount(Decimal(coefficient), Decimal("0.70"), 10_001)
            self.assertEqual(line_amount(-Decimal(coefficient), Decimal("0.70"), 10_001), -paid)


class SyncTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        BaseAmount.objects.create(amount_per_point=100_000, valid_from=datetime.date(2026, 1, 1))
        cls.quoc = make_contributor("Trần Quốc")
        cls.lan = make_contributor("Lê Lan")  # a cộng tác viên: no account

    def test_rates_per_role_and_kind(self):
        news = published(OCTOBER.replace(day=3))
        photo_story = published(OCTOBER.replace(day=4), kind=Article.Kind.PHOTO)
        add_credit(news, self.lan, "Ảnh")
        add_credit(photo_story, self.lan, "Ảnh")
        add_credit(news, self.quoc, "Tin")
        RoyaltyRate.objects.filter(role=role("Tin")).delete()  # no rate: coefficient 0
        sync_royalties()
        lines = {line.article_id: line for line in RoyaltyLine.objects.filter(role=role("Ảnh"))}
        self.assertEqual(lines[news.pk].coefficient, Decimal("1.00"))  # every kind
        self.assertEqual(lines[photo_story.pk].coefficient, Decimal("3.00"))  # photo stories
        self.assertEqual(lines[photo_story.pk].amount, 300_000)
        tin = RoyaltyLine.objects.get(role=role("Tin"))
        self.assertEqual((tin.coefficient, tin.amount), (Decimal("0"), 0))

    def test_one_line_per_credit_once_sources_excluded(self):
        article = published(OCTOBER.replace(day=5))
        add_credit(article, self.quoc, "Tin")
        add_credit(article, self.quoc, "Ảnh")
        add_credit(article, name="TTXVN", role_label="Nguồn")
        add_credit(article, name="Hoàng Vũ", role_label="Bài")  # a name, no profile
        self.assertEqual(sync_royalties()[0], 3)
        self.assertEqual(sync_royalties(), (0, 0, 0))  # idempotent
        lines = RoyaltyLine.objects.filter(article=article)
        self.assertEqual(sorted(lines.values_list("name", "role__label")),
                         [("Hoàng Vũ", "Bài"), ("Trần Quốc", "Tin"), ("Trần Quốc", "Ảnh")])
        self.assertFalse(lines.filter(role__is_source=True).exists())
        self.assertEqual({line.month for line in lines}, {month()})
        self.assertEqual(lines.get(role=role("Tin")).grade, grade("B"))
        self.assertEqual(lines.get(role=role("Tin")).published_on, OCTOBER.replace(day=5))

    def test_republication_makes_no_second_line(self):
        article = published(OCTOBER.replace(day=6))
        add_credit(article, self.quoc, "Tin")
        sync_royalties()
        # A correction's republication: the credits are rewritten, the first publication stays.
        article.credits.all().delete()
        add_credit(article, self.quoc, "Tin")
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now())
        sync_royalties()
        self.assertEqual(RoyaltyLine.objects.filter(article=article).count(), 1)

    def test_drafts_and_works_before_the_first_base_amount_get_no_line(self):
        add_credit(make_article(status=Article.Status.DRAFT, published_at=None), self.quoc)
        add_credit(published(datetime.date(2025, 12, 31)), self.quoc)
        sync_royalties()
        self.assertFalse(RoyaltyLine.objects.exists())

    def test_publish_through_the_workflow_makes_the_line(self):
        article = make_article(status=Article.Status.APPROVED, published_at=None)
        add_credit(article, self.quoc, "Bài")
        with override_settings(NEWSROOM={**settings.NEWSROOM, "PUBLISH_GATES": ["headline"]}):
            article.publish(by=make_editor())
        sync_royalties()
        line = RoyaltyLine.objects.get(article=article)
        today = timezone.localdate()
        self.assertEqual((line.month.year, line.month.month), (today.year, today.month))
        self.assertEqual(line.amount, 400_000)

    def test_editor_adjusts_an_open_month_only_with_the_permission(self):
        article = published(OCTOBER.replace(day=7), kind=Article.Kind.ARTICLE)
        add_credit(article, self.quoc, "Bài")
        sync_royalties()
        line = RoyaltyLine.objects.get()
        with self.assertRaises(PermissionDenied):
            line.adjust(make_reporter(), Decimal("9"), grade("A"), "")
        line.adjust(make_editor(), Decimal("5.25"), grade("A"), "Phóng sự dài")
        self.assertEqual(line.amount, 787_500)  # 5.25 × 1.5 × 100 000
        sync_royalties()  # the editor's coefficient is kept; the rate table no longer applies
        line.refresh_from_db()
        self.assertEqual((line.coefficient, line.note), (Decimal("5.25"), "Phóng sự dài"))

    def test_a_closed_month_is_frozen(self):
        article = published(OCTOBER.replace(day=8))
        add_credit(article, self.quoc, "Tin")
        sync_royalties()
        line = RoyaltyLine.objects.get()
        accountant = make_accountant()
        with self.assertRaises(PermissionDenied):
            month().close(make_editor())
        month().close(accountant)
        with self.assertRaises(MonthClosed):
            line.adjust(make_editor(), Decimal("9"), grade("A"), "")
        with self.assertRaises(MonthClosed):
            line.save()
        with self.assertRaisesMessage(ValidationError, "đã khóa sổ"):
            month().close(accountant)
        # A base amount change does not rewrite the closed month, it applies to open ones.
        BaseAmount.objects.create(amount_per_point=120_000, valid_from=datetime.date(2026, 10, 1))
        later = published(datetime.date(2026, 11, 2))
        add_credit(later, self.quoc, "Tin")
        sync_royalties()
        line.refresh_from_db()
        self.assertEqual((line.base_amount, line.amount), (100_000, 150_000))
        self.assertEqual(RoyaltyLine.objects.get(article=later).amount, 180_000)

    def test_a_month_closes_only_after_it_ends_and_in_order(self):
        add_credit(published(datetime.date(2026, 9, 3)), self.quoc)
        add_credit(published(OCTOBER.replace(day=3)), self.quoc)
        sync_royalties()
        accountant = make_accountant()
        with self.assertRaisesMessage(ValidationError, "09/2026"):
            month().close(accountant)
        this_month = RoyaltyMonth.objects.of(timezone.localdate())
        with self.assertRaisesMessage(ValidationError, "chưa kết thúc"):
            this_month.close(accountant)
        month(2026, 9).close(accountant)
        month().close(accountant)
        self.assertTrue(month().is_closed)

    def test_a_work_published_in_a_closed_month_goes_to_the_next_as_an_adjustment(self):
        add_credit(published(OCTOBER.replace(day=3)), self.quoc)
        sync_royalties()
        month().close(make_accountant())
        late = published(OCTOBER.replace(day=30))  # imported with its old date
        add_credit(late, self.lan)
        sync_royalties()
        line = RoyaltyLine.objects.get(article=late)
        self.assertEqual((line.month.month, line.state), (11, State.ADJUSTMENT))
        self.assertIn("30/10/2026", line.reason)

    def test_withdrawal_cancels_open_lines_and_reverses_paid_ones(self):
        editor = make_editor()
        paid = published(OCTOBER.replace(day=9))
        add_credit(paid, self.quoc, "Tin")
        sync_royalties()
        month().close(make_accountant())
        unpaid = published(datetime.date(2026, 11, 3))
        add_credit(unpaid, self.lan, "Tin")
        sync_royalties()
        for article in (paid, unpaid):
            article.withdraw(by=editor, note="Sai số liệu", reason="error")
        sync_royalties()
        sync_royalties()  # once only
        cancelled = RoyaltyLine.objects.get(article=unpaid)
        self.assertEqual(cancelled.state, State.CANCELLED)
        self.assertIn("Sai số liệu", cancelled.reason)
        self.assertEqual(RoyaltyMonth.objects.get(year=2026, month=11).lines.total(), -150_000)
        original = RoyaltyLine.objects.get(article=paid, origin="credit")
        self.assertEqual((original.state, original.amount), (State.OPEN, 150_000))  # untouched
        reversal = RoyaltyLine.objects.get(article=paid, origin="reversal")
        self.assertEqual((reversal.amount, reversal.adjusts, reversal.state),
                         (-150_000, original, State.ADJUSTMENT))
        self.assertIn("Sai số liệu", reversal.reason)
        self.assertTrue(Event.objects.filter(article=paid, action="withdraw").exists())


def fixture_month():
    """October 2026: three people, several grades, a source and a cancelled line.

    Base 123 457 đ a point, so every line rounds."""
    BaseAmount.objects.create(amount_per_point=123_457, valid_from=datetime.date(2026, 1, 1))
    quoc, lan = make_contributor("Trần Quốc"), make_contributor("Lê Lan")
    editor = make_editor()
    a = published(OCTOBER.replace(day=2))  # tin
    add_credit(a, quoc, "Tin")
    add_credit(a, lan, "Ảnh")
    add_credit(a, name="TTXVN", role_label="Nguồn")
    b = published(OCTOBER.replace(day=10), kind=Article.Kind.ARTICLE)  # bài
    add_credit(b, quoc, "Bài")
    c = published(OCTOBER.replace(day=20), kind=Article.Kind.PHOTO)  # ảnh
    add_credit(c, lan, "Ảnh")
    add_credit(c, name="Hoàng Vũ", role_label="Dịch")
    d = published(OCTOBER.replace(day=25))
    add_credit(d, lan, "Tin")
    sync_royalties()
    line = RoyaltyLine.objects.get
    line(article=a, role=role("Tin")).adjust(editor, Decimal("1.50"), grade("A"), "")
    line(article=b).adjust(editor, Decimal("6.35"), grade("C"), "")
    line(article=c, role=role("Ảnh")).adjust(editor, Decimal("3.00"), grade("A"), "")
    d.withdraw(by=editor, note="Trùng bài", reason="duplicate")
    sync_royalties()
    return quoc, lan


# 123 457 a point, each line rounded half up:
# Quốc: tin 1.50×1.5 = 277 778.25 -> 277 778; bài 6.35×0.7 = 548 766.365 -> 548 766
# Lan: ảnh 1.00×1.0 = 123 457; ảnh (photo story) 3.00×1.5 = 555 556.5 -> 555 557;
#      tin (withdrawn, cancelled) 185 185.5 -> 185 186, not counted
# Hoàng Vũ: dịch 1.00×1.0 = 123 457
QUOC_TOTAL = 277_778 + 548_766
LAN_TOTAL = 123_457 + 555_557
VU_TOTAL = 123_457
PAPER_TOTAL = QUOC_TOTAL + LAN_TOTAL + VU_TOTAL  # 1 629 015


class TotalsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.quoc, cls.lan = fixture_month()

    def test_totals_to_the_dong(self):
        october = month()
        self.assertEqual(october.lines.total(), PAPER_TOTAL)
        self.assertEqual(PAPER_TOTAL, 1_629_015)
        self.assertEqual(october.lines.filter(contributor=self.quoc).total(), QUOC_TOTAL)
        self.assertEqual(october.lines.filter(contributor=self.lan).total(), LAN_TOTAL)
        self.assertEqual(october.lines.filter(name="Hoàng Vũ").total(), VU_TOTAL)
        cancelled = october.lines.get(state=State.CANCELLED)
        self.assertEqual(cancelled.amount, 185_186)

    def test_statement_page_and_exports(self):
        accountant = make_accountant()
        PaymentDetails.objects.create(contributor=self.lan, tax_code="8012345678",
                                      bank_account="0123456789", bank_name="Vietcombank")
        self.client.force_login(accountant)
        october = month()
        page = self.client.get(reverse("admin:royalties_royaltymonth_statement",
                                       args=[october.pk]))
        self.assertContains(page, "1.629.015")
        self.assertContains(page, "Hoàng Vũ")
        lan_page = self.client.get(
            reverse("admin:royalties_royaltymonth_statement", args=[october.pk]),
            {"person": f"c{self.lan.pk}"},
        )
        self.assertContains(lan_page, "8012345678")
        self.assertContains(lan_page, "679.014")  # 123 457 + 555 557
        self.assertNotContains(lan_page, "Hoàng Vũ")

        response = self.client.get(reverse("admin:royalties_royaltymonth_csv", args=[october.pk]))
        self.assertTrue(response.content.startswith("\ufeff".encode()))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["Tháng", "Người nhận", "Cộng tác viên"])
        self.assertIn("Mã số thuế", rows[0])
        self.assertEqual(rows[-1][0], "Tổng cộng")
        self.assertEqual(rows[-1][12], str(PAPER_TOTAL))
        self.assertIn("8012345678", response.content.decode("utf-8-sig"))

        response = self.client.get(reverse("admin:royalties_royaltymonth_xlsx",
                                           args=[october.pk]), {"person": f"c{self.quoc.pk}"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(values[0][12], "Thành tiền (đồng)")
        self.assertEqual([row[12] for row in values[1:-1]], [277_778, 548_766])
        self.assertEqual(values[-1][12], QUOC_TOTAL)
        self.assertIsInstance(values[-1][12], int)
        self.assertEqual(values[1][8], 1.5)  # the coefficient, a number

    def test_typed_text_never_runs_as_a_formula(self):
        article = RoyaltyLine.objects.filter(contributor=self.quoc).first().article
        Article.objects.filter(pk=article.pk).update(headline='=HYPERLINK("http://x","y")')
        self.client.force_login(make_accountant())
        october = month()
        response = self.client.get(reverse("admin:royalties_royaltymonth_csv", args=[october.pk]))
        self.assertIn("'=HYPERLINK", response.content.decode("utf-8-sig"))
        response = self.client.get(reverse("admin:royalties_royaltymonth_xlsx",
                                           args=[october.pk]))
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row
                 if str(cell.value).startswith("=HYPERLINK")]
        self.assertTrue(cells)
        self.assertEqual({cell.data_type for cell in cells}, {"s"})

    def test_payment_details_hidden_from_everyone_else(self):
        PaymentDetails.objects.create(contributor=self.lan, tax_code="8012345678",
                                      bank_account="0123456789", bank_name="Vietcombank")
        # Someone given the statement and export rights, but not the payment details.
        reader = make_editor()
        reader.groups.add(Group.objects.create(name="Xem bảng kê"))
        reader.user_permissions.add(*Permission.objects.filter(
            codename__in=["view_statement", "export_statement"]))
        self.client.force_login(reader)
        october = month()
        urls = [
            reverse("admin:royalties_royaltymonth_statement", args=[october.pk])
            + f"?person=c{self.lan.pk}",
            reverse("admin:royalties_royaltymonth_csv", args=[october.pk]),
            reverse("admin:royalties_royaltymonth_xlsx", args=[october.pk]),
        ]
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            body = response.content
            if url.endswith(".xlsx"):
                sheet = openpyxl.load_workbook(io.BytesIO(body)).active
                body = repr(list(sheet.iter_rows(values_only=True))).encode()
            self.assertNotIn(b"8012345678", body, url)
            self.assertNotIn(b"0123456789", body, url)
            self.assertNotIn("Mã số thuế".encode(), body, url)
        for name in ("changelist", "add"):
            response = self.client.get(reverse(f"admin:royalties_paymentdetails_{name}"))
            self.assertEqual(response.status_code, 403)


class AdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        BaseAmount.objects.create(amount_per_point=100_000, valid_from=datetime.date(2026, 1, 1))
        cls.quoc = make_contributor("Trần Quốc")
        cls.article = published(OCTOBER.replace(day=3))
        add_credit(cls.article, cls.quoc, "Tin")
        sync_royalties()
        cls.line = RoyaltyLine.objects.get()
        cls.editor = make_editor()
        cls.accountant = make_accountant()

    def change(self, user, coefficient="2.00"):
        self.client.force_login(user)
        url = reverse("admin:royalties_royaltyline_change", args=[self.line.pk])
        return self.client.post(url, {"coefficient": coefficient, "grade": grade("A").pk,
                                      "note": "Tin hay"})

    def test_editor_adjusts_in_the_admin(self):
        response = self.change(self.editor)
        self.assertEqual(response.status_code, 302)
        self.line.refresh_from_db()
        self.assertEqual((self.line.coefficient, self.line.amount), (Decimal("2.00"), 300_000))
        self.assertEqual(self.line.coefficient_set_by, self.editor)

    def test_reporter_and_accountant_may_not_adjust(self):
        for user in (make_reporter(), self.accountant):
            response = self.change(user)
            self.assertEqual(response.status_code, 403)
        self.line.refresh_from_db()
        self.assertEqual(self.line.coefficient, Decimal("1.50"))

    def test_forged_post_on_a_closed_month_is_refused(self):
        month().close(self.accountant)
        response = self.change(self.editor)
        self.assertRedirects(response, reverse("admin:royalties_royaltyline_change",
                                               args=[self.line.pk]),
                             fetch_redirect_response=False)
        self.line.refresh_from_db()
        self.assertEqual(self.line.coefficient, Decimal("1.50"))
        page = self.client.get(response["Location"])
        self.assertContains(page, "đã khóa sổ")

    def test_accountant_closes_and_adds_an_adjustment(self):
        self.client.force_login(self.accountant)
        close = reverse("admin:royalties_royaltymonth_close", args=[month().pk])
        self.assertEqual(self.client.get(close).status_code, 405)
        response = self.client.post(close, follow=True)
        self.assertContains(response, "Đã khóa sổ tháng 10/2026")
        self.assertTrue(month().is_closed)
        response = self.client.post(reverse("admin:royalties_royaltyline_add"), {
            "article": self.article.pk, "contributor": self.quoc.pk, "name": "",
            "role": role("Tin").pk, "coefficient": "0.50", "grade": grade("B").pk,
            "reason": "Tháng 10 thiếu nửa điểm", "note": "",
        })
        self.assertEqual(response.status_code, 302)
        adjustment = RoyaltyLine.objects.get(origin="manual")
        self.assertEqual((adjustment.month.year, adjustment.month.month), (2026, 11))
        self.assertEqual((adjustment.amount, adjustment.state), (50_000, State.ADJUSTMENT))

    def test_an_adjustment_needs_a_reason(self):
        self.client.force_login(self.accountant)
        response = self.client.post(reverse("admin:royalties_royaltyline_add"), {
            "article": self.article.pk, "contributor": self.quoc.pk, "role": role("Tin").pk,
            "coefficient": "0.50", "reason": "",
        })
        self.assertEqual(response.status_code, 200)
        self.assertFalse(RoyaltyLine.objects.filter(origin="manual").exists())

    def test_nobody_deletes_a_line(self):
        admin_user = make_editor(is_superuser=True)
        self.client.force_login(admin_user)
        response = self.client.post(
            reverse("admin:royalties_royaltyline_delete", args=[self.line.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(RoyaltyLine.objects.filter(pk=self.line.pk).exists())

    def test_sync_command(self):
        from django.core.management import call_command

        add_credit(published(OCTOBER.replace(day=4)), self.quoc, "Bài")
        out = io.StringIO()
        call_command("sync_royalties", stdout=out)
        self.assertIn("1 dòng mới", out.getvalue())


class QueryBudgetTests(TestCase):
    """The statement's cost does not grow with its lines (once they are synced)."""

    def queries_for_statement(self, works):
        BaseAmount.objects.get_or_create(amount_per_point=100_000,
                                         valid_from=datetime.date(2026, 1, 1))
        for number in range(works):
            article = published(OCTOBER.replace(day=1 + number % 28))
            add_credit(article, make_contributor(f"Cộng tác viên {number}"), "Tin")
            add_credit(article, name=f"Tên {number}", role_label="Ảnh")
        sync_royalties()
        self.client.force_login(make_accountant())
        url = reverse("admin:royalties_royaltymonth_statement", args=[month().pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["statement"].lines), 2 * works)
        self.captured = [q["sql"][:150] for q in queries]
        return len(queries)

    def test_statement_at_1_and_20_works(self):
        one = self.queries_for_statement(1)
        first = self.captured
        RoyaltyLine.objects.all().delete()
        Article.objects.all().delete()
        twenty = self.queries_for_statement(20)
        self.assertEqual(one, twenty, "\n".join(
            difflib.unified_diff(first, self.captured, lineterm="")))
