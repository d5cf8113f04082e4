"""The permission matrix of the royalties (nhuận bút; issue 15, part 3).

Every URL of the royalties admin, taken from the URL resolver, is requested by
every role, GET and POST, on a line of an open month and of a closed month, and
on every other royalty model's row. The answers are compared with a table
declared here from the issue, not from the code:

* anonymous visitors and non-staff users are sent to the admin login;
* a reporter and a comment moderator reach nothing of the royalties;
* an editor sees the lines and the rate tables, and adjusts a line (coefficient,
  grade, note) only in an open month: a POST on a closed month's line is refused
  with a translated message and changes nothing; no statement, no export,
  no payment details;
* the accountant (Kế toán) sees the statements, exports them, closes a month,
  adds adjustment lines, keeps the rates, grades and base amounts, and alone
  sees and edits payment details (tax code, bank account); never adjusts a line;
* nobody deletes a line or a month, or adds or edits a month by hand.

A refused request changes nothing: every royalty table is compared before and
after. A URL under admin/royalties/ that the table does not declare fails.
"""

import datetime

from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django.urls import get_resolver
from django.utils import timezone

from articles import roles
from articles.models import Article
from articles.royalties.models import (
    BaseAmount,
    PaymentDetails,
    QualityGrade,
    RoyaltyLine,
    RoyaltyMonth,
    RoyaltyRate,
)
from articles.royalties.sync import sync_royalties
from tests.factories import (
    add_credit,
    make_article,
    make_contributor,
    make_editor,
    make_member,
    make_reporter,
    make_user,
    role,
)
from tests.matrix import RoleRequests, leaf_patterns

ANONYMOUS, NONSTAFF, MODERATOR = "anonymous", "nonstaff", "moderator"
REPORTER, EDITOR, ACCOUNTANT, SUPERUSER = "reporter", "editor", "accountant", "superuser"
ROLES = [ANONYMOUS, NONSTAFF, MODERATOR, REPORTER, EDITOR, ACCOUNTANT, SUPERUSER]

ALL = {"view", "add", "change", "delete"}
# The model permissions of each role, as the README's table of groups states them
# (royalties migration 0002). test_declared_permissions_are_the_real_ones ties them.
MODEL_PERMS = {
    ANONYMOUS: {}, NONSTAFF: {}, MODERATOR: {}, REPORTER: {},
    EDITOR: {"royaltyline": {"view", "change"}, "royaltyrate": {"view"},
             "qualitygrade": {"view"}, "baseamount": {"view"}},
    ACCOUNTANT: {"royaltymonth": {"view"}, "royaltyline": {"view", "add"},
                 "royaltyrate": ALL, "qualitygrade": {"view", "add", "change"},
                 "baseamount": {"view", "add", "change"},
                 "paymentdetails": {"view", "add", "change"}},
    SUPERUSER: {model: ALL for model in ("royaltymonth", "royaltyline", "royaltyrate",
                                         "qualitygrade", "baseamount", "paymentdetails")},
}
STATEMENT_PERMS = {ACCOUNTANT: {"view_statement", "export_statement", "close_month"},
                   SUPERUSER: {"view_statement", "export_statement", "close_month"}}
# What the admin never offers, whoever asks: the trace of a payment stays.
NEVER = {("royaltyline", "delete"), ("royaltymonth", "add"), ("royaltymonth", "change"),
         ("royaltymonth", "delete")}


def has(role, model, perm):
    return perm in MODEL_PERMS[role].get(model, set()) and (model, perm) not in NEVER


def may(role, codename):
    return codename in STATEMENT_PERMS.get(role, set())


ROUTES = {  # route below admin/royalties/<model>/ -> kind of request
    "": "changelist",
    "add/": "add",
    "<path:object_id>/history/": "history",
    "<path:object_id>/delete/": "delete",
    "<path:object_id>/change/": "change",
    "<path:object_id>/": "old_change_url",
    "<int:month_id>/statement/": "statement",
    "<int:month_id>/statement.csv": "export",
    "<int:month_id>/statement.xlsx": "export",
    "<int:month_id>/close/": "close",
}

OK, DONE, LOGIN, FORBIDDEN, REFUSED, REDIRECT, METHOD = (
    "200", "done", "login", "403", "refused", "redirect", "405")


def expected(role, method, kind, model, obj):
    if role in (ANONYMOUS, NONSTAFF):
        return LOGIN
    if kind == "old_change_url":
        return REDIRECT
    if kind in ("statement", "export"):
        need = "view_statement" if kind == "statement" else "export_statement"
        return OK if may(role, need) else FORBIDDEN
    if kind == "close":
        if method == "GET":
            return METHOD
        if not may(role, "close_month"):
            return FORBIDDEN
        return DONE if obj == "open" else REFUSED
    if kind == "add":
        if not has(role, model, "add"):
            return FORBIDDEN
        return OK if method == "GET" else DONE
    if kind == "delete":
        if not has(role, model, "delete"):
            return FORBIDDEN
        return OK if method == "GET" else DONE
    can_view = has(role, model, "view") or has(role, model, "change")
    if kind in ("changelist", "history"):
        if method == "POST" and kind == "changelist":
            return OK if can_view else FORBIDDEN  # no action chosen: the list again
        return OK if can_view else FORBIDDEN
    # change
    if method == "GET":
        return OK if can_view else FORBIDDEN
    if not has(role, model, "change"):
        return FORBIDDEN
    if model == "royaltyline" and obj == "closed":
        return REFUSED
    return DONE


LAST_MONTH_DAY = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
TWO_MONTHS_AGO_DAY = LAST_MONTH_DAY.replace(day=1) - datetime.timedelta(days=1)


def at(day):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 9))


class RoyaltyMatrixTests(RoleRequests, TestCase):
    @classmethod
    def setUpTestData(cls):
        BaseAmount.objects.create(amount_per_point=100_000, valid_from=datetime.date(2000, 1, 1))
        cls.contributor = make_contributor("Trần Quốc")
        for day in (TWO_MONTHS_AGO_DAY.replace(day=3), LAST_MONTH_DAY.replace(day=3)):
            article = make_article(published_at=at(day), first_published_at=at(day))
            add_credit(article, cls.contributor, "Tin")
        cls.article = article
        sync_royalties()
        cls.users = {
            NONSTAFF: make_user("khach", is_staff=False),
            MODERATOR: make_member(roles.MODERATORS, "kiemduyet"),
            REPORTER: make_reporter("phongvien"),
            EDITOR: make_editor("bientap"),
            ACCOUNTANT: make_member(roles.ACCOUNTANTS, "ketoan"),
            SUPERUSER: make_user("quantri", is_superuser=True),
        }
        closed = RoyaltyMonth.objects.get(year=TWO_MONTHS_AGO_DAY.year,
                                          month=TWO_MONTHS_AGO_DAY.month)
        closed.close(cls.users[ACCOUNTANT])
        cls.payment = PaymentDetails.objects.create(contributor=cls.contributor,
                                                    tax_code="8012345678")

    def setUp(self):
        self.clients = {ANONYMOUS: Client()}
        for name, user in self.users.items():
            self.clients[name] = Client()
            self.clients[name].force_login(user)

    def objects(self):
        """model -> {object label: pk}"""
        open_month = RoyaltyMonth.objects.get(year=LAST_MONTH_DAY.year, month=LAST_MONTH_DAY.month)
        closed_month = RoyaltyMonth.objects.closed().get()
        return {
            "royaltyline": {"open": RoyaltyLine.objects.get(month=open_month).pk,
                            "closed": RoyaltyLine.objects.get(month=closed_month).pk},
            "royaltymonth": {"open": open_month.pk, "closed": closed_month.pk},
            "royaltyrate": {"row": RoyaltyRate.objects.get(role=role("Tin"), kind="").pk},
            "qualitygrade": {"row": QualityGrade.objects.get(code="C").pk},
            "baseamount": {"row": BaseAmount.objects.get().pk},
            "paymentdetails": {"row": self.payment.pk},
        }

    def post_data(self, model, kind):
        grade_b = QualityGrade.objects.get(code="B").pk
        if model == "royaltyline":
            if kind == "add":
                return {"article": self.article.pk, "contributor": self.contributor.pk,
                        "name": "", "role": role("Tin").pk, "coefficient": "1.00",
                        "grade": grade_b, "reason": "Bù tháng trước", "note": ""}
            return {"coefficient": "7.00", "grade": grade_b, "note": "Đổi"}
        if kind == "delete":
            return {"post": "yes"}
        return {
            "royaltyrate": {"role": role("Dịch").pk, "kind": "video", "coefficient": "2.00"},
            "qualitygrade": {"code": "D", "label": "Thử", "multiplier": "0.50", "order": "9"},
            "baseamount": {"amount_per_point": "90000", "valid_from": "01/01/1999"},
            "paymentdetails": {"contributor": make_contributor("Mới").pk, "tax_code": "1",
                               "bank_account": "2", "bank_name": "N"},
        }.get(model, {})

    def state(self):
        return {
            model.__name__: sorted(map(repr, model.objects.values()))
            for model in (RoyaltyLine, RoyaltyMonth, RoyaltyRate, QualityGrade, BaseAmount,
                          PaymentDetails)
        }

    def routes(self):
        found = []
        for route, _namespace, _pattern in leaf_patterns(get_resolver().url_patterns):
            if not route.startswith("admin/royalties/"):
                continue
            rest = route.removeprefix("admin/royalties/")
            model, _slash, tail = rest.partition("/")
            if model in ("", "<str:app_label>"):
                continue
            found.append((model, tail))
        return found

    def test_every_url_is_declared(self):
        routes = self.routes()
        self.assertGreaterEqual(len(routes), 6 * 6 + 4)
        for model, tail in routes:
            with self.subTest(f"{model}/{tail}"):
                self.assertIn(tail, ROUTES)

    def test_declared_permissions_are_the_real_ones(self):
        for name, user in self.users.items():
            for model in MODEL_PERMS[SUPERUSER]:
                for perm in ALL:
                    if (model, perm) in NEVER:
                        continue
                    with self.subTest(f"{name} {perm}_{model}"):
                        self.assertEqual(user.has_perm(f"royalties.{perm}_{model}"),
                                         has(name, model, perm))
            for codename in ("view_statement", "export_statement", "close_month"):
                with self.subTest(f"{name} {codename}"):
                    self.assertEqual(user.has_perm(f"royalties.{codename}"), may(name, codename))
        self.assertTrue(Group.objects.filter(name="Kế toán").exists())

    def url(self, model, tail, pk):
        path = tail.replace("<path:object_id>", str(pk)).replace("<int:month_id>", str(pk))
        return f"/admin/royalties/{model}/{path}"

    def check(self, response, outcome, url, before):
        status = response.status_code
        if outcome == LOGIN:
            self.assert_login(response)
        elif outcome == REDIRECT:
            self.assertEqual(status, 302)
        elif outcome in (OK, FORBIDDEN, METHOD):
            self.assertEqual(status, int(outcome), url)
        elif outcome == REFUSED:
            self.assertEqual(status, 302, url)
            self.assertIn(40, self.levels(response), url)  # messages.ERROR
        if outcome != DONE:
            after = self.state()
            # GETs of the statement and the lists may sync; nothing here is left to sync.
            self.assertEqual(after, before, url)
        else:
            self.assertEqual(status, 302, url)
            self.assertNotIn(40, self.levels(response), url)
            self.assertNotEqual(self.state(), before, url)

    def test_matrix(self):
        objects = self.objects()
        before = self.state()
        for model, tail in self.routes():
            kind = ROUTES[tail]
            labels = objects[model] if "<" in tail else {"-": None}
            for label, pk in labels.items():
                for role_name in ROLES:
                    for method in ("GET", "POST"):
                        if kind in ("history", "old_change_url", "statement", "export") \
                                and method == "POST":
                            continue
                        outcome = expected(role_name, method, kind, model, label)
                        url = self.url(model, tail, pk)
                        with self.subTest(f"{role_name} {method} {url} ({label})"):
                            data = self.post_data(model, kind) if method == "POST" else None
                            self.in_savepoint(lambda url=url, data=data, method=method,
                                              role_name=role_name, outcome=outcome:
                                              self.check(self.request(role_name, method, url,
                                                                      data), outcome, url,
                                                         before))

    def test_the_table_says_what_the_issue_says(self):
        self.assertEqual(expected(EDITOR, "POST", "change", "royaltyline", "open"), DONE)
        self.assertEqual(expected(EDITOR, "POST", "change", "royaltyline", "closed"), REFUSED)
        self.assertEqual(expected(ACCOUNTANT, "POST", "change", "royaltyline", "open"),
                         FORBIDDEN)
        self.assertEqual(expected(ACCOUNTANT, "POST", "close", "royaltymonth", "open"), DONE)
        for role_name in (REPORTER, MODERATOR, EDITOR):
            for kind in ("statement", "export"):
                self.assertEqual(expected(role_name, "GET", kind, "royaltymonth", "open"),
                                 FORBIDDEN)
            self.assertEqual(expected(role_name, "GET", "changelist", "paymentdetails", "-"),
                             FORBIDDEN)
        self.assertEqual(Article.objects.count(), 2)
