"""A month's statement: its lines, per person and for the whole paper, and
its CSV and XLSX files. Payment details (tax code, bank account) are put in
only for someone who may see them: the caller says so with ``with_payment``."""

import csv
import io
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from .models import PaymentDetails, RoyaltyLine


@dataclass
class Person:
    key: str
    name: str
    contributor: object
    lines: list = field(default_factory=list)
    payment: object = None

    @property
    def total(self):
        return sum(line.amount for line in self.lines if line.state != RoyaltyLine.State.CANCELLED)

    @property
    def works(self):
        return len({line.article_id for line in self.lines
                    if line.state != RoyaltyLine.State.CANCELLED})

    @property
    def is_freelance(self):
        """A cộng tác viên: no account in the newsroom, or not marked staff."""
        if self.payment is not None:
            return not self.payment.is_staff_member
        return self.contributor is None or self.contributor.user_id is None


@dataclass
class Statement:
    month: object
    lines: list
    people: list
    person: object = None  # one person's statement

    @property
    def total(self):
        return sum(line.amount for line in self.lines if line.state != RoyaltyLine.State.CANCELLED)


def build(month, person_key=None):
    lines = (
        month.lines.select_related("article", "role", "grade", "contributor")
        .order_by("name", "person_key", "published_on", "article_id", "role__order", "id")
    )
    if person_key:
        lines = lines.filter(person_key=person_key)
    lines = list(lines)
    people = {}
    for line in lines:
        person = people.setdefault(line.person_key,
                                   Person(line.person_key, line.name, line.contributor))
        person.lines.append(line)
    payments = PaymentDetails.objects.filter(
        contributor__in=[p.contributor for p in people.values() if p.contributor]
    )
    by_contributor = {payment.contributor_id: payment for payment in payments}
    for person in people.values():
        person.payment = by_contributor.get(person.contributor.pk) if person.contributor else None
    ordered = sorted(people.values(), key=lambda p: (p.name.casefold(), p.key))
    chosen = ordered[0] if person_key and ordered else None
    return Statement(month, lines, ordered, chosen)


def headers(with_payment):
    columns = [
        _("Tháng"), _("Người nhận"), _("Cộng tác viên"), _("Ngày đăng"), _("Mã bài"),
        _("Bài viết"), _("Thể loại"), _("Vai trò"), _("Hệ số"), _("Loại"), _("Nhân với"),
        _("Tiền một điểm (đồng)"), _("Thành tiền (đồng)"), _("Trạng thái"), _("Lý do"),
        _("Ghi chú"),
    ]
    if with_payment:
        columns += [_("Mã số thuế"), _("Số tài khoản"), _("Ngân hàng")]
    return columns


def rows(statement, with_payment):
    """Each line as a list of values (numbers as numbers), then the total row."""
    payment_of = {person.key: person for person in statement.people}
    for line in statement.lines:
        person = payment_of[line.person_key]
        row = [
            str(statement.month), line.name, _("Có") if person.is_freelance else _("Không"),
            line.published_on, line.article_id, line.article.headline, line.get_kind_display(),
            str(line.role), line.coefficient, line.grade.code if line.grade else "",
            line.multiplier, line.base_amount, line.amount, line.get_state_display(),
            line.reason, line.note,
        ]
        if with_payment:
            payment = person.payment
            row += [payment.tax_code, payment.bank_account, payment.bank_name] if payment else [
                "", "", ""]
        yield row
    total = [""] * len(headers(with_payment))
    total[0], total[12] = _("Tổng cộng"), statement.total
    yield total


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    """A typed text a spreadsheet would run as a formula (a headline "=HYPERLINK(…)")
    is kept as text: a leading apostrophe, which spreadsheets hide."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(statement, with_payment):
    """UTF-8 with a byte order mark, so Excel reads the Vietnamese letters."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers(with_payment))
    for row in rows(statement, with_payment):
        writer.writerow([
            value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else as_text(value)
            for value in row
        ])
    return buffer.getvalue().encode("utf-8")


def as_xlsx(statement, with_payment):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Nhuận bút %(month)s") % {"month": str(statement.month).replace("/", "-")}
    sheet.append(headers(with_payment))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(statement, with_payment):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":  # text starting with "=": never a formula
                cell.data_type = "s"
        cells[3].number_format = "DD/MM/YYYY"
        for index in (11, 12):
            cells[index].number_format = "#,##0"
    sheet[sheet.max_row][0].font = Font(bold=True)
    sheet[sheet.max_row][12].font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def money(value):
    return formats.number_format(value, force_grouping=True)
