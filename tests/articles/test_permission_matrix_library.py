"""The permission matrix of every row an article page shows besides the article
(issue 9, point 1; security.md B3, B4). tests/articles/test_permission_matrix.py
covers the article admin; this file covers the rest of what readers see.

The public pages are rendered and the tables they read are taken from their SQL,
so a model a page starts to read cannot go without a rule (PublicReadsTests).
Each is one of:

* a row the article admin alone writes (credits, photo uses, tag links,
  corrections, revisions, share links): no admin of its own, and the article
  matrix checks it is unchanged by every refused request;
* a reader's comment: written by readers, moved only by moderation;
* a row articles *show* (library photos, contributors, sections, roles, tags),
  with an admin of its own: the matrix below.

The rule for those rows, declared here from the issue, not from the code: what an
article in review, approved, scheduled, published or withdrawn shows is changed
only by someone who may publish. Anyone else with the model's permission changes
a row only while every article showing it is a draft (or "changes requested")
of their own. Every URL of these models' admins, taken from the URL resolver, is
requested by every role on rows shown by articles in every state; a URL without
a rule fails the test. A refused request changes nothing.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from articles import roles
from articles.admin.shown import ShownRowAdminMixin
from articles.models import (
    Article,
    ArticlePhoto,
    Contributor,
    Correction,
    Credit,
    Event,
    Photo,
    Revision,
    Role,
    Section,
    ShareLink,
    ShownOnArticles,
    Tag,
    TaggedArticle,
)
from comments.models import Comment
from tests.articles.test_permission_matrix import STATE_COUNTS as ARTICLE_STATE_COUNTS
from tests.articles.test_permission_matrix import STATE_ROWS as ARTICLE_STATE_ROWS
from tests.factories import (
    make_article,
    make_comment,
    make_contributor,
    make_editor,
    make_photo,
    make_reporter,
    make_section,
    make_user,
)
from tests.forms import form_data
from tests.matrix import RoleRequests, leaf_patterns

Status = Article.Status

# Roles ---------------------------------------------------------------------------------------

ANONYMOUS, MODERATOR = "anonymous", "moderator"
REPORTER_A, REPORTER_B = "reporter_a", "reporter_b"
EDITOR, SUPERUSER = "editor", "superuser"
# Every permission on these five models, but not the right to publish: the rule must
# hold whatever the groups say.
LIBRARIAN = "librarian"
ROLES = [ANONYMOUS, MODERATOR, REPORTER_A, REPORTER_B, EDITOR, LIBRARIAN, SUPERUSER]
PUBLISHERS = {EDITOR, SUPERUSER}

SHOWN_MODELS = {"photo": Photo, "contributor": Contributor, "section": Section,
                "role": Role, "tag": Tag}
ALL = {"view", "add", "change", "delete"}

# The model permissions of each role, as the README's table of groups states them
# (migration 0006). test_declared_permissions_are_the_real_ones ties them to the groups.
MODEL_PERMS = {
    ANONYMOUS: {},
    MODERATOR: {},
    REPORTER_A: {"photo": {"view", "add", "change"}, "contributor": {"view"},
                 "section": {"view"}, "role": {"view"}, "tag": {"view", "add"}},
    EDITOR: {"photo": {"view", "add", "change"}, "contributor": {"view", "add", "change"},
             "section": {"view", "add", "change"}, "role": {"view"},
             "tag": {"view", "add", "change"}},
    LIBRARIAN: dict.fromkeys(SHOWN_MODELS, ALL),
    SUPERUSER: dict.fromkeys(SHOWN_MODELS, ALL),
}
MODEL_PERMS[REPORTER_B] = MODEL_PERMS[REPORTER_A]


def has(role, model, perm):
    return perm in MODEL_PERMS[role].get(model, set())


# Rows and the articles that show them ---------------------------------------------------------

DRAFTING = {Status.DRAFT, Status.CHANGES_REQUESTED}

# usage: the articles (author, status) showing the row
USAGES = {
    "unused": [],
    "a_draft": [(REPORTER_A, Status.DRAFT)],
    "a_changes_requested": [(REPORTER_A, Status.CHANGES_REQUESTED)],
    "b_draft": [(REPORTER_B, Status.DRAFT)],
    "a_in_review": [(REPORTER_A, Status.IN_REVIEW)],
    "a_approved": [(REPORTER_A, Status.APPROVED)],
    "a_scheduled": [(REPORTER_A, Status.SCHEDULED)],
    "a_published": [(REPORTER_A, Status.PUBLISHED)],
    "a_withdrawn": [(REPORTER_A, Status.WITHDRAWN)],
    "a_draft_and_published": [(REPORTER_A, Status.DRAFT), (REPORTER_A, Status.PUBLISHED)],
}
# Kinds that do not depend on who shows the row, and roles for whom it does not
# matter (publishers: only whether a deletion would reach an article), run on these.
FEW_USAGES = ["unused", "a_draft", "a_published"]


def may_change_row(role, usage):
    """The rule: a publisher always; anyone else while every article showing the
    row is a draft of their own."""
    if role in PUBLISHERS:
        return True
    return all(author == role and status in DRAFTING for author, status in USAGES[usage])


# Every pattern of these models' admins (route below admin/articles/<model>/), and the
# kinds of request that cover it. "" and "add/" also answer CollectionTests.
ADMIN_URL_RULES = {
    "": {"changelist", "bulk_delete", "list_editable"},
    "add/": {"add"},
    "<path:object_id>/history/": {"history"},
    "<path:object_id>/delete/": {"delete_get", "delete_post"},
    "<path:object_id>/change/": {"change_get", "change_post"},
    "<path:object_id>/": {"old_change_url"},
}

# Outcomes
EDIT = "edit"  # 200, an editable form
VIEW = "view"  # 200, a read-only form
OK = "200"
DONE = "done"
LOGIN = "login"
FORBIDDEN = "403"  # Django's refusal: no model permission
REFUSED = "refused"  # 403 with the page that says why and gives the typed text back
REFUSED_LIST = "refused_list"  # the list again, the row's error saying why
PROTECTED = "protected"  # 200 "cannot delete" page, nothing deleted
NO_ACTION = "no_action"  # no bulk action is offered: the list again, nothing done
REDIRECT = "redirect"

REFUSAL = "Chỉ người có quyền đăng bài"


@dataclass(frozen=True)
class Action:
    kind: str
    method: str = "GET"


ACTIONS = [
    Action("change_get"), Action("change_post", "POST"), Action("delete_get"),
    Action("delete_post", "POST"), Action("bulk_delete", "POST"), Action("history"),
    Action("old_change_url"), Action("list_editable", "POST"),
]
# Kinds whose outcome depends on the articles showing the row.
PER_USAGE = {"change_get", "change_post", "delete_post", "bulk_delete"}


def deletable(model, usage):
    """Deleting never cascades into articles, except a tag's links."""
    return model == "tag" or usage == "unused"


def expected(role, kind, model, usage):
    if role == ANONYMOUS:
        return LOGIN
    if kind == "old_change_url":
        return REDIRECT  # to the change page, which checks again
    can_view = has(role, model, "view") or has(role, model, "change")
    if not can_view:
        return FORBIDDEN
    rule = may_change_row(role, usage)
    if kind == "history":
        return OK
    if kind == "change_get":
        return EDIT if has(role, model, "change") and rule else VIEW
    if kind == "change_post":
        if not has(role, model, "change"):
            return FORBIDDEN
        return DONE if rule else REFUSED
    if kind == "list_editable":
        if not has(role, model, "change"):
            return FORBIDDEN
        return DONE if rule else REFUSED_LIST
    may_delete = has(role, model, "delete") and rule
    if kind == "delete_get":
        return OK if may_delete else FORBIDDEN
    if kind == "delete_post":
        if not may_delete:
            return FORBIDDEN
        return DONE if deletable(model, usage) else PROTECTED
    if kind == "bulk_delete":
        if not has(role, model, "delete"):
            return NO_ACTION
        if not rule:
            return PROTECTED
        return DONE if deletable(model, usage) else PROTECTED
    raise AssertionError(f"no rule for {kind}")


def cells():
    for role in ROLES:
        for model, model_class in SHOWN_MODELS.items():
            editable = admin.site._registry[model_class].list_editable
            for action in ACTIONS:
                if action.kind == "list_editable" and not editable:
                    continue
                per_usage = action.kind in PER_USAGE and role in (REPORTER_A, REPORTER_B,
                                                                  LIBRARIAN)
                for usage in USAGES if per_usage else FEW_USAGES:
                    yield role, action, model, usage


# The shown text fields each change form POST alters.
def changes(model, obj):
    return {
        "photo": {"caption": "Chú thích sửa qua ma trận", "alt_text": "Mô tả sửa qua ma trận",
                  "credit_line": "Ảnh: Ma trận", "focal_x": "0.25"},
        "contributor": {"name": "Tên sửa qua ma trận", "pen_name": "Bút danh sửa"},
        "section": {"name": "Chuyên mục sửa qua ma trận"},
        "role": {"label": f"Vai trò sửa {obj.pk}"},
        "tag": {"name": "Thẻ sửa qua ma trận"},
    }[model]


# Test data -----------------------------------------------------------------------------------


class LibraryMatrixTestCase(RoleRequests, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.users = {
            MODERATOR: make_user("kiemduyet"),
            REPORTER_A: make_reporter("phongvien_a"),
            REPORTER_B: make_reporter("phongvien_b"),
            EDITOR: make_editor("bientap"),
            LIBRARIAN: make_user("thuvien"),
            SUPERUSER: make_user("tongbientap", is_superuser=True),
        }
        cls.users[MODERATOR].groups.add(Group.objects.get(name=roles.MODERATORS))
        cls.users[LIBRARIAN].user_permissions.add(*Permission.objects.filter(
            content_type__app_label="articles",
            codename__in=[f"{perm}_{model}" for model in SHOWN_MODELS for perm in ALL]
            + ["view_article", "change_article"],
        ))
        now = timezone.now()
        times = {Status.PUBLISHED: now - timedelta(hours=2),
                 Status.SCHEDULED: now + timedelta(days=1),
                 Status.WITHDRAWN: now - timedelta(days=1)}
        cls.rows = {}
        for number, (usage, showing) in enumerate(USAGES.items()):
            rows = {
                "photo": make_photo(caption=f"Chú thích {usage}", alt_text=f"Ảnh {usage}"),
                "contributor": make_contributor(f"Người {usage}"),
                "section": make_section(f"Chuyên mục {usage}"),
                "role": Role.objects.create(label=f"Vai trò {usage}", order=50 + number),
                "tag": Tag.objects.create(name=f"Thẻ {usage}"),
            }
            for n, (author, status) in enumerate(showing):
                article = make_article(
                    headline=f"Bài {usage} {n}", status=status, section=rows["section"],
                    published_at=times.get(status), created_by=cls.users[author],
                )
                article.tags.add(rows["tag"])
                Credit.objects.create(article=article, contributor=rows["contributor"],
                                      role=rows["role"])
                ArticlePhoto.objects.create(article=article, photo=rows["photo"], is_lead=True)
            for model, obj in rows.items():
                cls.rows[model, usage] = obj

    def setUp(self):
        self.clients = {ANONYMOUS: Client()}
        for role, user in self.users.items():
            self.clients[role] = Client()
            self.clients[role].force_login(user)

    def url(self, model, view, obj=None):
        return reverse(f"admin:articles_{model}_{view}", args=[obj.pk] if obj else [])

    def change_data(self, model, obj):
        """The row's change form as the superuser's browser would post it."""
        cache = type(self).__dict__.get("_change_data")
        if cache is None:
            cache = type(self)._change_data = {}
        if (model, obj.pk) not in cache:
            response = self.clients[SUPERUSER].get(self.url(model, "change", obj))
            cache[model, obj.pk] = form_data(response, f"{model}_form")
        return dict(cache[model, obj.pk])

    @staticmethod
    def state():
        """Every row a refused request must leave as it was, with plain SQL."""
        quote = connection.ops.quote_name
        tables = [model for model in SHOWN_MODELS.values()] + [ArticlePhoto, Credit,
                                                                 TaggedArticle]
        state = {}
        with connection.cursor() as cursor:
            for model in tables:
                columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
                cursor.execute(
                    f"SELECT {columns} FROM {quote(model._meta.db_table)} ORDER BY 1"  # noqa: S608
                )
                state[model._meta.model_name] = cursor.fetchall()
            cursor.execute(
                "SELECT id, status, version, approved_hash FROM articles_article ORDER BY 1"
            )
            state["articles"] = cursor.fetchall()
            counts = ", ".join(
                f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})"  # noqa: S608
                for model in (Event, Revision, LogEntry)
            )
            cursor.execute(f"SELECT {counts}")
            state["counts"] = cursor.fetchone()
        return state



# The matrix ----------------------------------------------------------------------------------


class LibraryMatrixTests(LibraryMatrixTestCase):
    def test_every_url_of_the_shown_models_is_declared(self):
        routes = {}
        for route, _namespace, _pattern in leaf_patterns(get_resolver().url_patterns):
            for model in SHOWN_MODELS:
                prefix = f"admin/articles/{model}/"
                if route.startswith(prefix):
                    routes.setdefault(model, set()).add(route.removeprefix(prefix))
        for model, model_class in SHOWN_MODELS.items():
            with self.subTest(model):
                self.assertEqual(routes[model], set(ADMIN_URL_RULES), "a URL has no rule")
                model_admin = admin.site._registry[model_class]
                self.assertEqual({str(p.pattern) for p in model_admin.urls},
                                 set(ADMIN_URL_RULES))
                self.assertIsInstance(model_admin, ShownRowAdminMixin)
                self.assertTrue(issubclass(model_class, ShownOnArticles))
                # Bulk actions: only "delete selected", which the matrix runs.
                request = self.clients[SUPERUSER].get("/").wsgi_request
                request.user = self.users[SUPERUSER]
                self.assertEqual(set(model_admin.get_actions(request)), {"delete_selected"})
        kinds = {action.kind for action in ACTIONS}
        declared = set().union(*ADMIN_URL_RULES.values())
        self.assertEqual(declared - kinds, {"changelist", "add"})
        self.assertLessEqual(kinds, declared)

    def test_declared_permissions_are_the_real_ones(self):
        for role, user in self.users.items():
            for model in SHOWN_MODELS:
                for perm in ALL:
                    with self.subTest(f"{role} {perm}_{model}"):
                        self.assertEqual(user.has_perm(f"articles.{perm}_{model}"),
                                         has(role, model, perm))
            with self.subTest(f"{role} publishes"):
                self.assertEqual(user.has_perm("articles.publish_article"), role in PUBLISHERS)

    def test_matrix(self):
        self.baseline = self.state()
        count = 0
        for role, action, model, usage in cells():
            outcome = expected(role, action.kind, model, usage)
            with self.subTest(f"{role} × {action.kind} × {model} × {usage}", expect=outcome):
                self.in_savepoint(lambda r=role, a=action, m=model, u=usage, e=outcome:
                                  self.run_cell(r, a, m, u, e))
            count += 1
        self.assertGreater(count, 900)

    def cell_request(self, role, action, model, usage):
        obj = self.rows[model, usage]
        kind, data = action.kind, {}
        if kind in ("change_get", "change_post"):
            url = self.url(model, "change", obj)
            if kind == "change_post":
                data = self.change_data(model, obj) | changes(model, obj)
        elif kind == "old_change_url":
            url = self.url(model, "change", obj).removesuffix("change/")
        elif kind in ("delete_get", "delete_post"):
            url, data = self.url(model, "delete", obj), {"post": "yes"}
        elif kind == "history":
            url = self.url(model, "history", obj)
        elif kind == "bulk_delete":
            url = self.url(model, "changelist")
            data = {"action": "delete_selected", "_selected_action": [obj.pk], "index": "0",
                    "post": "yes"}
        elif kind == "list_editable":
            url = self.url(model, "changelist")
            data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1",
                    "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
                    "form-0-id": str(obj.pk), "form-0-order": "999", "_save": "Lưu"}
        else:
            raise AssertionError(kind)
        return self.request(role, action.method, url, data)

    def run_cell(self, role, action, model, usage, outcome):
        before = self.baseline
        response = self.cell_request(role, action, model, usage)
        after = self.state()
        code, kind = response.status_code, action.kind
        obj = self.rows[model, usage]
        if outcome == DONE:
            self.assertNotEqual(after, before, "allowed, yet nothing changed")
            self.assertIn(messages.SUCCESS, self.levels(response))
            self.assertEqual(code, 302, response.content.decode()[-2000:])
            current = type(obj).objects.filter(pk=obj.pk).first()
            if kind in ("delete_post", "bulk_delete"):
                self.assertIsNone(current)
            elif kind == "list_editable":
                self.assertEqual(current.order, 999)
            else:
                name, value = next(iter(changes(model, obj).items()))
                self.assertEqual(getattr(current, name), value)
            self.assertEqual(after["articles"], before["articles"])  # no status moved
            return
        self.assertEqual(after, before, f"refused or read-only, yet something changed ({code})")
        self.assertNotIn(messages.SUCCESS, self.levels(response))
        if outcome == LOGIN:
            self.assert_login(response)
        elif outcome == REDIRECT:
            self.assertEqual(code, 302)
            self.assertEqual(response["Location"], self.url(model, "change", obj))
        elif outcome in (EDIT, VIEW):
            self.assertEqual(code, 200)
            if outcome == EDIT:
                self.assertContains(response, 'name="_save"')
            else:
                self.assertNotContains(response, 'name="_save"')
        elif outcome == REFUSED:
            self.assertEqual(code, 403)
            self.assertTemplateUsed(response, "admin/articles/shown_refused.html")
            typed = next(iter(changes(model, obj).values()))
            self.assertContains(response, typed, status_code=403)  # given back
            self.assertContains(response, REFUSAL, status_code=403)
        elif outcome == REFUSED_LIST:
            self.assertContains(response, REFUSAL)
        elif outcome == PROTECTED:
            self.assertEqual(code, 200)
            self.assertTrue(response.context["protected"])
            if not may_change_row(role, usage):
                self.assertContains(response, REFUSAL)
        elif outcome == NO_ACTION:
            self.assertEqual(code, 200)
            self.assertFalse(response.context["action_form"])
        else:
            self.assertEqual(str(code), outcome)

    def test_the_declared_table_says_what_the_issue_says(self):
        """Spot checks of the table against the issue, and proof that every
        writing kind has allowed and refused cells (no vacuous rule)."""
        cases = [
            (REPORTER_A, "change_post", "photo", "a_published", REFUSED),  # the report
            (REPORTER_A, "change_post", "photo", "a_draft", DONE),  # own draft: in hand
            (REPORTER_A, "change_post", "photo", "a_changes_requested", DONE),
            (REPORTER_A, "change_post", "photo", "a_draft_and_published", REFUSED),
            (REPORTER_A, "change_post", "photo", "a_withdrawn", REFUSED),
            (REPORTER_B, "change_post", "photo", "a_draft", REFUSED),  # not B's article
            (REPORTER_A, "change_post", "contributor", "a_draft", FORBIDDEN),
            (REPORTER_A, "change_post", "tag", "unused", FORBIDDEN),
            (REPORTER_A, "change_post", "section", "unused", FORBIDDEN),
            (EDITOR, "change_post", "photo", "a_published", DONE),  # may publish
            (EDITOR, "change_post", "role", "unused", FORBIDDEN),
            (LIBRARIAN, "change_post", "section", "a_scheduled", REFUSED),
            (LIBRARIAN, "change_post", "section", "unused", DONE),
            (LIBRARIAN, "delete_post", "tag", "a_approved", FORBIDDEN),
            (LIBRARIAN, "bulk_delete", "tag", "a_in_review", PROTECTED),
            (LIBRARIAN, "list_editable", "role", "a_published", REFUSED_LIST),
            (SUPERUSER, "delete_post", "tag", "a_published", DONE),
            (SUPERUSER, "delete_post", "photo", "a_published", PROTECTED),
            (MODERATOR, "change_get", "photo", "unused", FORBIDDEN),
        ]
        for role, kind, model, usage, outcome in cases:
            with self.subTest(f"{role} × {kind} × {model} × {usage}"):
                self.assertEqual(expected(role, kind, model, usage), outcome)
        for kind in ("change_post", "delete_post", "bulk_delete", "list_editable"):
            outcomes = {expected(r, a.kind, m, u) for r, a, m, u in cells() if a.kind == kind}
            with self.subTest(kind):
                self.assertIn(DONE, outcomes)
                self.assertTrue(outcomes - {DONE, LOGIN}, outcomes)


class CollectionTests(LibraryMatrixTestCase):
    """The list and the add form of each model: a new row is shown by no article."""

    def test_list_and_add_form_by_role(self):
        for role in ROLES:
            for model in SHOWN_MODELS:
                for view, perm in (("changelist", "view"), ("add", "add")):
                    with self.subTest(f"{role} × {model} {view}"):
                        response = self.request(role, "GET", self.url(model, view))
                        if role == ANONYMOUS:
                            self.assert_login(response)
                            continue
                        allowed = has(role, model, perm) or (
                            view == "changelist" and has(role, model, "change"))
                        self.assertEqual(response.status_code, 200 if allowed else 403)


# What the public pages read ------------------------------------------------------------------

SHOWN, ARTICLE, ARTICLE_ROWS, READER = "shown", "article", "article_rows", "reader"
# Every model a public page reads, and who guards it.
PUBLIC_ROWS = {
    Article: ARTICLE,  # tests/articles/test_permission_matrix.py
    Photo: SHOWN, Contributor: SHOWN, Section: SHOWN, Role: SHOWN, Tag: SHOWN,  # this file
    ArticlePhoto: ARTICLE_ROWS, Credit: ARTICLE_ROWS, TaggedArticle: ARTICLE_ROWS,
    Correction: ARTICLE_ROWS, Revision: ARTICLE_ROWS, ShareLink: ARTICLE_ROWS,
    Comment: READER,  # written by readers, moved only by moderation
}
# Tables that are derived data, no rule: the search's word list (articles.search.terms),
# the read counts and the "Đọc nhiều" ranking (written only by ``flush_reads``).
DERIVED_TABLES = {"articles_searchterm", "articles_articlereadcount", "articles_mostread"}
# A table after FROM or JOIN: not LATERAL's subquery nor a set-returning function
# such as unnest(...), whose own FROMs are read where they stand.
TABLE = re.compile(
    r'\b(?:FROM|JOIN)\s+(?:LATERAL\b)?\s*"?([a-z0-9_]+)\b"?(?!\s*\()', re.IGNORECASE
)
# A common table expression's name (``WITH [RECURSIVE] months(month) AS (``, ``, corrected AS (``):
# read after FROM in the same query, it is no table (the sitemap months, PostgreSQL).
CTE = re.compile(r'(?:\bWITH(?:\s+RECURSIVE)?|,)\s*"?([a-z0-9_]+)"?\s*(?:\([^()]*\))?\s+AS\s*\(',
                 re.IGNORECASE)


class PublicReadsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = make_section("Thời sự")
        cls.child = make_section("Giáo dục", parent=cls.section)
        cls.article = make_article(headline="Bài đã đăng", section=cls.child,
                                   tags=["Thời sự"])
        cls.contributor = make_contributor("Trần Quốc")
        Credit.objects.create(article=cls.article, contributor=cls.contributor,
                              role=Role.objects.get(label="Tin"))
        ArticlePhoto.objects.create(article=cls.article, photo=make_photo(), is_lead=True)
        ArticlePhoto.objects.create(article=cls.article, photo=make_photo(), after_paragraph=1)
        Correction.objects.create(article=cls.article, text="Sửa tên một người.")
        cls.comment = make_comment(cls.article, status="published")
        cls.draft = make_article(headline="Bản nháp", status=Status.DRAFT, published_at=None)
        revision = cls.draft.record_revision(make_user())
        cls.token = "bang-quyen-doc"
        ShareLink.objects.create(
            article=cls.draft, revision=revision, token_hash=ShareLink.hash_token(cls.token),
            created_by=revision.created_by, expires_at=timezone.now() + timedelta(days=1),
        )
        cls.tag = cls.article.tags.get()

    def public_urls(self):
        """One URL per public URL pattern; a pattern without one fails."""
        article = self.article
        build = {
            "articles:home": [reverse("articles:home")],
            "articles:latest": [reverse("articles:latest")],
            "articles:read": [],  # POST only (the read beacon): counts in the cache, reads nothing
            "articles:detail": [article.get_absolute_url()],
            "articles:section": [reverse("articles:section", args=[s.slug])
                                 for s in (self.section, self.child)],
            "articles:tag": [reverse("articles:tag", args=[self.tag.slug])],
            "articles:contributor": [reverse("articles:contributor",
                                             args=[self.contributor.slug])],
            "articles:shared_preview": [reverse("articles:shared_preview", args=[self.token])],
            "articles:section_feed": [reverse("articles:section_feed", args=[self.section.slug])],
            "articles:tag_feed": [reverse("articles:tag_feed", args=[self.tag.slug])],
            "articles:search": [reverse("articles:search") + "?q=b%C3%A0i"],
            "rss": [reverse("rss")],
            "robots_txt": [reverse("robots_txt")],
            "sitemap_index": [reverse("sitemap_index")],
            "news_sitemap": [reverse("news_sitemap")],
            "sitemap_section": [reverse("sitemap_section", args=[name])
                                for name in ("sections", "tags")],
            "sitemap_month": [reverse("sitemap_month", args=[
                f"{timezone.localtime(article.published_at):%Y}",
                f"{timezone.localtime(article.published_at):%m}"])],
            "old_article_sitemap": [],  # a redirect: reads nothing
            "switch_language": [reverse("switch_language", args=["en"])],
            "comments:token": [reverse("comments:token")],
            "comments:thread": [reverse("comments:thread", args=[article.pk])],
            "comments:post": [],  # POST only: what a reader writes, not what a page reads
            "comments:report": [reverse("comments:report", args=[self.comment.pk])],
        }
        names = set()
        for route, namespace, pattern in leaf_patterns(get_resolver().url_patterns):
            if route.startswith(("admin/", "media/", "static/")) or not pattern.name:
                continue
            names.add(":".join(filter(None, [namespace, pattern.name])))
        self.assertEqual(names, set(build), "a public URL has no page here")
        return [url for urls in build.values() for url in urls]

    def test_every_model_the_public_pages_read_has_a_rule(self):
        tables = {}
        for url in self.public_urls():
            with CaptureQueriesContext(connection) as queries:
                response = Client().get(url)
            self.assertLess(response.status_code, 500, url)
            for query in queries:
                named = set(CTE.findall(query["sql"]))
                for table in set(TABLE.findall(query["sql"])) - named:
                    tables.setdefault(table, url)
        by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
        read = set()
        for table, url in tables.items():
            if table in DERIVED_TABLES:
                continue
            with self.subTest(table):
                self.assertIn(table, by_table, f"{url} reads a table of no model")
                self.assertIn(by_table[table], PUBLIC_ROWS, f"{url} reads {table}: no rule")
                read.add(by_table[table])
        # The table is what the pages read: no rule for a model they do not.
        self.assertEqual(read, set(PUBLIC_ROWS))

    def test_each_rule_is_enforced_where_it_says(self):
        article_state = {model for model, _fields in ARTICLE_STATE_ROWS.values()}
        article_state |= set(ARTICLE_STATE_COUNTS.values())
        for model, rule in PUBLIC_ROWS.items():
            with self.subTest(model._meta.model_name):
                registered = admin.site._registry.get(model)
                if rule == SHOWN:
                    self.assertIn(model, SHOWN_MODELS.values())
                    self.assertIsInstance(registered, ShownRowAdminMixin)
                elif rule == ARTICLE:
                    self.assertIsNotNone(registered)
                elif rule == ARTICLE_ROWS:
                    # Only the article's admin writes them, and the article matrix
                    # checks every refused request leaves them as they were.
                    self.assertIsNone(registered)
                    self.assertIn(model, article_state)
                else:
                    self.assertEqual(rule, READER)
                    self.assertFalse(registered.has_change_permission(None))
                    self.assertFalse(registered.has_delete_permission(None))
                    self.assertFalse(registered.has_add_permission(None))


class CommentAdminTests(TestCase):
    """Reporters and a user with every library permission reach no URL of the
    comment queue (GET or POST); moderation is tests/comments/test_moderation_queue.py."""

    def test_no_queue_url_for_non_moderators(self):
        comment = make_comment(make_article(), status="pending")
        librarian = make_user("thuvien")
        librarian.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="articles"))
        prefix = "admin/comments/comment/"
        routes = [route.removeprefix(prefix)
                  for route, _ns, _p in leaf_patterns(get_resolver().url_patterns)
                  if route.startswith(prefix)]
        self.assertGreaterEqual(len(routes), 8)
        for user in (make_reporter(), librarian):
            client = Client()
            client.force_login(user)
            for route in routes:
                url = "/" + prefix + route.replace("<path:object_id>", str(comment.pk))
                for method in ("get", "post"):
                    with self.subTest(f"{user.username} {method} {url}"):
                        data = {"status": "published", "note": "x", "body": "Trả lời",
                                "action": "approve_selected", "index": "0",
                                "_selected_action": [comment.pk]} if method == "post" else None
                        response = getattr(client, method)(url, data)
                        if route == "<path:object_id>/":
                            self.assertEqual(response.status_code, 302)  # to the page, 403
                        else:
                            self.assertIn(response.status_code, (403, 405))
                        comment.refresh_from_db()
                        self.assertEqual(comment.status, "pending")
