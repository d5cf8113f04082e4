"""The permission matrix (security.md B3, B4; threats T1 and T2).

Every URL of the article admin, taken from the URL resolver, plus the public
article page, the public share-link preview and the admin's "view on site"
shortcut, is requested by every role on every kind of article, and the answer
is compared with a table declared here from the newsroom's rules, not from the
code under test:

* anonymous visitors and non-staff users are sent to the admin login;
* a comment moderator (staff, no article permission) is refused everything;
* a reporter sees every article read-only, edits the content of their own
  draft or "changes requested" article only, submits their own, pulls back
  their own submission, and nothing else: no approving, publishing,
  scheduling, withdrawing, correcting, deleting, restoring or sharing
  anyone else's article;
* an editor does everything except approve content they wrote (four eyes)
  and delete (superuser only);
* a member of an approval level's group (Trưởng ban, Thư ký tòa soạn, Tổng
  biên tập) who is in no other group sees every article read-only and may mark
  one sensitive; these articles take the default chain, one level held by the
  editors, so they approve and send back nothing here. Chains of several
  levels have their own matrix: tests/articles/test_permission_matrix_levels.py.

A refused cell must also change nothing: the article rows, events, revisions,
share links, corrections, credits, photo uses, tags and the admin log are
compared before and after. Each cell runs in a savepoint that is rolled back,
so every cell starts from the same eight articles.

A URL pattern under admin/articles/article/ (or a public article URL) that the
tables below do not declare fails the test: a new endpoint cannot slip in
without a rule.

What an article shows through other models (library photos, contributors,
sections, roles, tags) has its own matrix, with the list of every model the
public pages read: tests/articles/test_permission_matrix_library.py.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, RequestFactory, TestCase
from django.urls import get_resolver, reverse
from django.utils import timezone

from articles import roles, workflow
from articles.admin.conflict import VERSION_FIELD
from articles.models import (
    Article,
    ArticleApproval,
    ArticlePhoto,
    Correction,
    Credit,
    Event,
    Revision,
    ShareLink,
    TaggedArticle,
)
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_contributor,
    make_editor,
    make_member,
    make_photo,
    make_reporter,
    make_section,
    make_user,
)
from tests.forms import form_data
from tests.matrix import RoleRequests, leaf_patterns

Status = Article.Status

# Roles ---------------------------------------------------------------------------------------

ANONYMOUS, NONSTAFF, MODERATOR = "anonymous", "nonstaff", "moderator"
REPORTER_A, REPORTER_B = "reporter_a", "reporter_b"
EDITOR, EDITOR_AUTHOR, SUPERUSER = "editor", "editor_author", "superuser"
SECTION_HEAD, MANAGING_EDITOR, CHIEF = "section_head", "managing_editor", "editor_in_chief"
ROLES = [ANONYMOUS, NONSTAFF, MODERATOR, REPORTER_A, REPORTER_B, EDITOR, EDITOR_AUTHOR, SUPERUSER,
         SECTION_HEAD, MANAGING_EDITOR, CHIEF]
NOT_STAFF = {ANONYMOUS, NONSTAFF}
LEVEL_MEMBERS = {SECTION_HEAD, MANAGING_EDITOR, CHIEF}
VIEWERS = {REPORTER_A, REPORTER_B, EDITOR, EDITOR_AUTHOR, SUPERUSER, *LEVEL_MEMBERS}
EDITORS = {EDITOR, EDITOR_AUTHOR, SUPERUSER}

# Objects -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Obj:
    key: str
    status: str
    author: str  # the role that created it
    last_editor: str  # the role that saved its current content
    public: bool = False


# editor_author rewrote all of reporter A's articles: the four-eyes rule binds them.
OBJECTS = [
    Obj("a_draft", Status.DRAFT, REPORTER_A, EDITOR_AUTHOR),
    Obj("a_in_review", Status.IN_REVIEW, REPORTER_A, EDITOR_AUTHOR),
    Obj("a_changes_requested", Status.CHANGES_REQUESTED, REPORTER_A, EDITOR_AUTHOR),
    Obj("a_approved", Status.APPROVED, REPORTER_A, EDITOR_AUTHOR),
    Obj("b_draft", Status.DRAFT, REPORTER_B, REPORTER_B),
    Obj("a_published", Status.PUBLISHED, REPORTER_A, EDITOR_AUTHOR, public=True),
    Obj("a_scheduled", Status.SCHEDULED, REPORTER_A, EDITOR_AUTHOR),
    Obj("a_withdrawn", Status.WITHDRAWN, REPORTER_A, EDITOR_AUTHOR),
]

# The declared rules -------------------------------------------------------------------------

SENSITIVE_SOURCES = {Status.DRAFT, Status.CHANGES_REQUESTED, Status.IN_REVIEW, Status.APPROVED,
                     Status.SCHEDULED}

# name: (the states it starts from, who may make it, the state it ends in). Written from the
# workflow the issue describes; test_transitions_are_declared ties it to workflow.transitions().
TRANSITION_RULES = {
    "submit": ({Status.DRAFT, Status.CHANGES_REQUESTED}, "author_or_editor", Status.IN_REVIEW),
    "pull_back": ({Status.IN_REVIEW}, "author", Status.DRAFT),
    "approve": ({Status.IN_REVIEW}, "editor_not_author", Status.APPROVED),
    "request_changes": (
        {Status.IN_REVIEW, Status.APPROVED, Status.SCHEDULED}, "editor", Status.CHANGES_REQUESTED
    ),
    "publish": ({Status.APPROVED, Status.SCHEDULED}, "editor", Status.PUBLISHED),
    "unschedule": ({Status.SCHEDULED}, "editor", Status.APPROVED),
    "withdraw": ({Status.PUBLISHED, Status.SCHEDULED}, "editor", Status.WITHDRAWN),
    "reopen": ({Status.WITHDRAWN}, "editor", Status.DRAFT),
    # A chain of one level has no level before: nobody sends back.
    "send_back": ({Status.IN_REVIEW}, "nobody", Status.IN_REVIEW),
    # None of these articles is sensitive yet: anyone who approves may mark one (it
    # then waits for the top level); none may lift a mark it does not have.
    "mark_sensitive": (SENSITIVE_SOURCES, "approver", None),
    "unmark_sensitive": (SENSITIVE_SOURCES, "nobody", None),
}


def target_of(name, obj):
    """The state a transition leaves ``obj`` in: marking an approved article
    sensitive sends it back to wait for the top level."""
    target = TRANSITION_RULES[name][2]
    if target is not None:
        return target
    return Status.IN_REVIEW if obj.status in (Status.APPROVED, Status.SCHEDULED) else obj.status


def may_transition(role, name, obj):
    sources, who, _target = TRANSITION_RULES[name]
    if obj.status not in sources:
        return False
    if who == "author":  # pulling back is the author's own act, whoever they are
        return role == obj.author
    if who == "author_or_editor":
        return role == obj.author or role in EDITORS
    if who == "editor_not_author":
        return role in EDITORS and role not in (obj.author, obj.last_editor)
    if who == "approver":
        return role in EDITORS or role in LEVEL_MEMBERS
    if who == "nobody":
        return False
    return role in EDITORS


def may_edit(role, obj):
    """May change the content (save, restore, share links)."""
    return role in EDITORS or (
        role == obj.author and obj.status in (Status.DRAFT, Status.CHANGES_REQUESTED)
    )


# Outcomes
OK = "200"  # shown, nothing changed
DONE = "done"  # the action happened (checked per action)
LOGIN = "login"  # 302 to the admin login, nothing changed
FORBIDDEN = "403"
REFUSED = "refused"  # 302 back (or the list again) with an error or warning; nothing changed
METHOD = "405"
CONFLICT = "409"  # stale save: the conflict page, nothing saved
REDIRECT = "redirect"  # 302 to a declared place, nothing changed
NOT_FOUND = "404"
GONE = "410"

BULK_ACTIONS = {"approve_selected": "approve", "publish_selected": "publish"}


@dataclass(frozen=True)
class Action:
    key: str
    kind: str
    method: str = "GET"
    post_only: bool = False
    arg: str = ""  # the transition or bulk action's name


def expected(role, action, obj):
    """The declared outcome of ``role`` doing ``action`` on ``obj``."""
    kind = action.kind
    # Public pages: the same for everyone, logged in or not.
    if kind == "public_detail":
        if obj.public:
            return OK
        return GONE if obj.status == Status.WITHDRAWN else NOT_FOUND
    if kind == "shared_preview":
        if obj.status == Status.WITHDRAWN:
            return GONE  # a takedown also ends every outstanding preview link
        return REDIRECT if obj.public else OK
    # Everything below is the admin.
    if role in NOT_STAFF:
        return LOGIN
    if action.post_only and action.method == "GET":
        return METHOD
    if kind == "old_change_url":
        return REDIRECT  # to the change page, which checks again
    if role == MODERATOR:
        return FORBIDDEN
    if kind in ("change_get", "history", "revision_diff", "revision_preview", "preview",
                "view_on_site"):
        return REDIRECT if kind == "view_on_site" else OK
    if kind == "change_post":
        return DONE if may_edit(role, obj) else FORBIDDEN
    if kind == "change_post_stale":
        return CONFLICT
    if kind == "delete_get":
        return OK if role == SUPERUSER else FORBIDDEN
    if kind == "delete_post":
        return DONE if role == SUPERUSER else FORBIDDEN
    if kind == "transition":
        return DONE if may_transition(role, action.arg, obj) else REFUSED
    if kind == "correct":
        return DONE if role in EDITORS and obj.status == Status.PUBLISHED else REFUSED
    if kind in ("restore", "share_revoke"):
        return DONE if may_edit(role, obj) else FORBIDDEN
    if kind in ("autosave", "form_preview"):
        # Neither changes the article (the state check below holds them to it).
        return OK if may_edit(role, obj) else FORBIDDEN
    if kind == "autosave_discard":
        return "302" if may_edit(role, obj) else FORBIDDEN
    if kind == "share_create":
        if not may_edit(role, obj):
            return FORBIDDEN
        return REFUSED if obj.public else DONE  # a public article is shared by its URL
    if kind == "bulk":
        if action.arg == "delete_selected":
            allowed = role == SUPERUSER
        else:
            allowed = may_transition(role, BULK_ACTIONS[action.arg], obj)
        return DONE if allowed else REFUSED
    raise AssertionError(f"no rule for {kind}")


def build_actions():
    actions = [
        Action("change_get", "change_get"),
        Action("change_post", "change_post", "POST"),
        Action("change_post_stale", "change_post_stale", "POST"),
        Action("old_change_url", "old_change_url"),
        Action("delete_get", "delete_get"),
        Action("delete_post", "delete_post", "POST"),
        Action("history", "history"),
        Action("correct", "correct", "POST", post_only=True),
        Action("correct_get", "correct", "GET", post_only=True),
        Action("revision_diff", "revision_diff"),
        Action("revision_preview", "revision_preview"),
        Action("restore", "restore", "POST", post_only=True),
        Action("restore_get", "restore", "GET", post_only=True),
        Action("preview", "preview"),
        Action("share_create", "share_create", "POST", post_only=True),
        Action("share_create_get", "share_create", "GET", post_only=True),
        Action("share_revoke", "share_revoke", "POST", post_only=True),
        Action("share_revoke_get", "share_revoke", "GET", post_only=True),
        Action("autosave", "autosave", "POST", post_only=True),
        Action("autosave_get", "autosave", "GET", post_only=True),
        Action("autosave_discard", "autosave_discard", "POST", post_only=True),
        Action("autosave_discard_get", "autosave_discard", "GET", post_only=True),
        Action("form_preview", "form_preview", "POST", post_only=True),
        Action("form_preview_get", "form_preview", "GET", post_only=True),
        Action("view_on_site", "view_on_site"),
        Action("public_detail", "public_detail"),
        Action("shared_preview", "shared_preview"),
    ]
    for name in workflow.transitions():
        actions.append(Action(name, "transition", "POST", post_only=True, arg=name))
        actions.append(Action(f"{name}_get", "transition", "GET", post_only=True, arg=name))
    for name in [*BULK_ACTIONS, "delete_selected"]:
        actions.append(Action(f"bulk_{name}", "bulk", "POST", arg=name))
    return actions


# Every pattern of the article admin (route below admin/articles/article/) and the action
# kinds that cover it. "" and "add/" take no article: see CollectionTests and ForgedPostTests.
ADMIN_URL_RULES = {
    "": {"bulk", "changelist"},
    "add/": {"add"},
    "add/autosave/": {"add"},
    "add/autosave/discard/": {"add"},
    "add/preview-form/": {"add"},
    "photos/upload/": {"add"},  # takes no article: tests/articles/test_photo_desk.py
    "<path:object_id>/autosave/": {"autosave"},
    "<path:object_id>/autosave/discard/": {"autosave_discard"},
    "<path:object_id>/preview-form/": {"form_preview"},
    "<path:object_id>/history/": {"history"},
    "<path:object_id>/delete/": {"delete_get", "delete_post"},
    "<path:object_id>/change/": {"change_get", "change_post", "change_post_stale"},
    "<path:object_id>/": {"old_change_url"},
    "<path:object_id>/transition/<str:name>/": {"transition"},
    "<path:object_id>/correct/": {"correct"},
    "<path:object_id>/revisions/<int:number>/diff/": {"revision_diff"},
    "<path:object_id>/revisions/<int:number>/preview/": {"revision_preview"},
    "<path:object_id>/revisions/<int:number>/restore/": {"restore"},
    "<path:object_id>/preview/": {"preview"},
    "<path:object_id>/share-links/create/": {"share_create"},
    "<path:object_id>/share-links/<int:link_id>/revoke/": {"share_revoke"},
}

# Every public URL of the articles app. The listings take no article: ListingTests checks
# that they show only public articles, to everyone.
PUBLIC_URL_RULES = {
    "detail": {"public_detail"},
    "shared_preview": {"shared_preview"},
    "home": {"listing"},
    "section": {"listing"},
    "tag": {"listing"},
    "contributor": {"listing"},
    "section_feed": {"listing"},  # feeds: tests/articles/test_discovery.py
    "tag_feed": {"listing"},
    "search": {"listing"},  # tests/articles/test_search.py: non-public never found
    "latest": {"listing"},
    # The read beacon: 204 for any id, shows nothing, writes only a counter in the
    # cache; the flush ranks public articles only (tests/articles/test_reads.py).
    "read": {"listing"},
}

# What a refused request must not change: these rows, and these tables' sizes.
STATE_ROWS = {
    "articles": (Article, [
        "id", "status", "version", "headline", "slug", "kicker", "lead", "body", "section",
        "kind", "created_by", "last_editor", "published_at", "first_published_at", "updated_at",
        "approved_by", "approved_hash", "approved_at", "published_by", "announced_at",
        "withdrawal_reason", "import_key", "is_sensitive",
    ]),
    "share_links": (ShareLink, ["id", "article", "revision", "revoked_at", "expires_at"]),
    "credits": (Credit, ["id", "article", "contributor", "name", "role", "order"]),
    "photo_uses": (ArticlePhoto, [
        "id", "article", "photo", "is_lead", "after_paragraph", "caption", "alt_text", "order",
    ]),
    "tags": (TaggedArticle, ["id", "content_object", "tag"]),
}
STATE_COUNTS = {
    "events": Event, "revisions": Revision, "corrections": Correction, "log": LogEntry,
    "approvals": ArticleApproval,
}

# Admin URLs outside any model admin that take an object: Django's "view on site" shortcut
# (admin/r/<content type>/<object>/) redirects to an object's public URL, which names the
# article's slug. Declared as a regular expression over the route.
SITE_URL_RULES = {
    r"^admin/r/<(int|path):content_type_id>/<path:object_id>/$": {"view_on_site"},
}

ADMIN_PREFIX = "admin/articles/article/"
NEW_HEADLINE = "Tít sửa qua ma trận quyền"
NOTE = "Ghi chú của ma trận quyền."


# Forms as a browser submits them --------------------------------------------------------------


# Test data -----------------------------------------------------------------------------------


class MatrixTestCase(RoleRequests, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.users = {
            NONSTAFF: make_user("docgia", is_staff=False),
            MODERATOR: make_user("kiemduyet"),
            REPORTER_A: make_reporter("phongvien_a", first_name="Trần Quốc"),
            REPORTER_B: make_reporter("phongvien_b", first_name="Lê Bình"),
            EDITOR: make_editor("bientap", first_name="Nguyễn Hà"),
            EDITOR_AUTHOR: make_editor("bientap_viet", first_name="Phạm Minh"),
            SUPERUSER: make_user("tongbientap", is_superuser=True),
            SECTION_HEAD: make_member(roles.SECTION_HEADS, "truongban"),
            MANAGING_EDITOR: make_member(roles.MANAGING_EDITORS, "thuky"),
            CHIEF: make_member(roles.EDITORS_IN_CHIEF, "tbt"),
        }
        cls.users[MODERATOR].groups.add(Group.objects.get(name=roles.MODERATORS))
        cls.section = section = make_section("Thời sự")
        cls.contributor = make_contributor("Trần Quốc")
        photo = make_photo()
        now = timezone.now()
        times = {
            Status.PUBLISHED: now - timedelta(hours=2),
            Status.SCHEDULED: now + timedelta(days=1),
            Status.WITHDRAWN: now - timedelta(days=1),
        }
        cls.articles, cls.links, cls.tokens, cls.first_headlines = {}, {}, {}, {}
        for obj in OBJECTS:
            headline = f"Bài {obj.key} của ma trận"
            first = f"{headline} (bản đầu)"
            article = make_article(
                headline=first, status=Status.DRAFT, published_at=None, section=section,
                created_by=cls.users[obj.author], tags=["Thời sự"],
            )
            add_credit(article, cls.contributor)
            add_photo(article, photo, is_lead=True)
            article.record_revision(cls.users[obj.author])
            Article.objects.filter(pk=article.pk).update(headline=headline)
            article.refresh_from_db()
            latest = article.record_revision(cls.users[obj.last_editor])
            updates = {"status": obj.status, "version": 3}
            if obj.status in (Status.APPROVED, Status.PUBLISHED, Status.SCHEDULED,
                              Status.WITHDRAWN):
                updates |= {"approved_hash": latest.content_hash,
                            "approved_by": cls.users[EDITOR], "approved_at": now}
            if obj.status in times:
                updates |= {"published_at": times[obj.status],
                            "published_by": cls.users[EDITOR]}
            if obj.status in (Status.PUBLISHED, Status.WITHDRAWN):
                updates |= {"first_published_at": times[obj.status],
                            "announced_at": times[obj.status]}
            if obj.status == Status.WITHDRAWN:
                updates["withdrawal_reason"] = "legal"
            Article.objects.filter(pk=article.pk).update(**updates)
            article.refresh_from_db()
            token = f"matrix-token-{obj.key}"
            cls.links[obj.key] = ShareLink.objects.create(
                article=article, revision=latest, token_hash=ShareLink.hash_token(token),
                created_by=cls.users[obj.author], expires_at=now + timedelta(days=7),
            )
            cls.articles[obj.key], cls.tokens[obj.key] = article, token
            cls.first_headlines[obj.key] = first

    def setUp(self):
        self.clients = {ANONYMOUS: Client()}
        for role, user in self.users.items():
            self.clients[role] = Client()
            self.clients[role].force_login(user)

    # Helpers

    def article(self, key):
        return self.articles[key]

    def admin_url(self, view, key, *args):
        return reverse(f"admin:articles_article_{view}", args=[self.article(key).pk, *args])

    def change_data(self, key):
        """The article's change form as the superuser's browser would post it."""
        cache = type(self).__dict__.get("_change_data")
        if cache is None:
            cache = type(self)._change_data = {}
        if key not in cache:
            response = self.clients[SUPERUSER].get(self.admin_url("change", key))
            cache[key] = form_data(response)
        return dict(cache[key])

    @staticmethod
    def state():
        """Everything a refused request must leave as it was, read with plain SQL
        (the matrix reads it once a cell; the ORM's query building would double
        the run time)."""
        quote = connection.ops.quote_name
        state = {}
        with connection.cursor() as cursor:
            for name, (model, fields) in STATE_ROWS.items():
                columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
                cursor.execute(
                    f"SELECT {columns} FROM {quote(model._meta.db_table)} ORDER BY 1"  # noqa: S608
                )
                state[name] = cursor.fetchall()
            counts = ", ".join(
                f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})"  # noqa: S608
                for model in STATE_COUNTS.values()
            )
            cursor.execute(f"SELECT {counts}")
            state |= dict(zip(STATE_COUNTS, cursor.fetchone(), strict=True))
        return state



# The matrix ----------------------------------------------------------------------------------


class PermissionMatrixTests(MatrixTestCase):
    def test_every_article_url_is_declared(self):
        admin_routes, public_names = set(), set()
        for route, namespace, pattern in leaf_patterns(get_resolver().url_patterns):
            if route.startswith(ADMIN_PREFIX):
                admin_routes.add(route.removeprefix(ADMIN_PREFIX))
            elif namespace == "articles":
                public_names.add(pattern.name)
        self.assertEqual(admin_routes, set(ADMIN_URL_RULES), "an article admin URL has no rule")
        # Admin URLs that take an object but belong to no model admin.
        model_prefixes = tuple(
            f"admin/{model._meta.app_label}/{model._meta.model_name}/"
            for model in admin.site._registry
        )
        for route, _namespace, _pattern in leaf_patterns(get_resolver().url_patterns):
            if route.startswith("admin/") and "object_id" in route and not route.startswith(
                model_prefixes
            ):
                with self.subTest(route):
                    self.assertTrue(any(re.match(rule, route) for rule in SITE_URL_RULES),
                                    f"{route} has no rule")
        self.assertEqual(public_names, set(PUBLIC_URL_RULES), "a public URL has no rule")
        # The resolver's list is the model admin's own.
        model_admin = admin.site._registry[Article]
        self.assertEqual({str(p.pattern) for p in model_admin.urls}, set(ADMIN_URL_RULES))
        # Every kind of per-article action the matrix runs covers a declared URL, and back.
        matrix_kinds = {action.kind for action in build_actions()}
        declared = set().union(*ADMIN_URL_RULES.values(), *PUBLIC_URL_RULES.values())
        self.assertLessEqual(matrix_kinds - {"view_on_site"}, declared)
        self.assertEqual(declared - matrix_kinds, {"changelist", "add", "listing"})

    def test_transitions_and_bulk_actions_are_declared(self):
        self.assertEqual(set(workflow.transitions()), set(TRANSITION_RULES))
        for name, spec in workflow.transitions().items():
            self.assertEqual(set(spec.sources), TRANSITION_RULES[name][0], name)
        request = RequestFactory().get("/")
        request.user = self.users[SUPERUSER]
        actions = admin.site._registry[Article].get_actions(request)
        self.assertEqual(set(actions), {*BULK_ACTIONS, "delete_selected"})

    # The matrix is one test per role (``test_matrix_<role>``, generated below the
    # class), so that the cells of the eight roles can run on parallel workers.

    def test_every_role_has_its_matrix_test(self):
        generated = {name for name in dir(type(self)) if name.startswith("test_matrix_")}
        self.assertEqual(generated, {f"test_matrix_{role}" for role in ROLES})

    def run_matrix(self, role):
        """Every action on every article, as ``role``: one subtest a cell."""
        actions = build_actions()
        self.baseline = self.state()
        cells = 0
        for action in actions:
            for obj in OBJECTS:
                outcome = expected(role, action, obj)
                with self.subTest(f"{role} × {action.key} × {obj.key}", expect=outcome):
                    self.in_savepoint(
                        lambda r=role, a=action, o=obj, e=outcome: self.run_cell(r, a, o, e)
                    )
                cells += 1
        self.assertEqual(cells, len(actions) * len(OBJECTS))

    # One cell

    def cell_request(self, role, action, obj):
        key, kind = obj.key, action.kind
        data = {}
        if kind in ("change_get", "change_post", "change_post_stale"):
            url = self.admin_url("change", key)
            if kind != "change_get":
                data = self.change_data(key) | {"headline": NEW_HEADLINE}
                if kind == "change_post_stale":
                    data[VERSION_FIELD] = str(int(data[VERSION_FIELD]) - 1)
        elif kind == "old_change_url":
            url = reverse("admin:articles_article_change", args=[self.article(key).pk])
            url = url.removesuffix("change/")
        elif kind in ("delete_get", "delete_post"):
            url, data = self.admin_url("delete", key), {"post": "yes"}
        elif kind == "history":
            url = self.admin_url("history", key)
        elif kind == "transition":
            url = self.admin_url("transition", key, action.arg)
            data = {"note": NOTE, "reason": "legal", "at": ""}
        elif kind == "correct":
            url, data = self.admin_url("correct", key), {"kind": "correction", "text": NOTE}
        elif kind in ("revision_diff", "revision_preview"):
            url = self.admin_url(kind, key, 1)
        elif kind == "restore":
            url = self.admin_url("revision_restore", key, 1)
        elif kind == "preview":
            url = self.admin_url("preview", key)
        elif kind in ("autosave", "autosave_discard", "form_preview"):
            url, data = self.admin_url(kind, key), {"headline": NEW_HEADLINE}
        elif kind == "share_create":
            url, data = self.admin_url("sharelink_create", key), {"days": "7"}
        elif kind == "share_revoke":
            url = self.admin_url("sharelink_revoke", key, self.links[key].pk)
        elif kind == "view_on_site":
            content_type = ContentType.objects.get_for_model(Article)
            url = reverse("admin:view_on_site", args=[content_type.pk, self.article(key).pk])
        elif kind == "public_detail":
            url = self.article(key).get_absolute_url()
        elif kind == "shared_preview":
            url = reverse("articles:shared_preview", args=[self.tokens[key]])
        elif kind == "bulk":
            url = reverse("admin:articles_article_changelist")
            data = {"action": action.arg, "_selected_action": [self.article(key).pk],
                    "index": "0", "post": "yes"}
        else:
            raise AssertionError(kind)
        return self.request(role, action.method, url, data)

    def run_cell(self, role, action, obj, outcome):
        before = self.baseline  # every cell starts from the same, rolled-back state
        response = self.cell_request(role, action, obj)
        after = self.state()
        code = response.status_code
        if outcome == DONE:
            self.check_done(role, action, obj, response, before, after)
            return
        self.assertEqual(after, before, f"refused or read-only, yet something changed ({code})")
        if outcome == LOGIN:
            self.assert_login(response)
        elif outcome == REDIRECT:
            self.assertEqual(code, 302)
            location = response["Location"]
            if action.kind == "old_change_url":
                self.assertEqual(location, self.admin_url("change", obj.key))
            else:
                self.assertTrue(location.endswith(self.article(obj.key).get_absolute_url()),
                                location)
        elif outcome == REFUSED:
            self.assertIn(code, (200, 302))
            levels = self.levels(response)
            self.assertNotIn(messages.SUCCESS, levels)
            if action.kind == "bulk" and role in (REPORTER_A, REPORTER_B):
                # Reporters have no bulk action at all: the list comes back, nothing run.
                self.assertEqual(code, 200)
            else:
                self.assertEqual(code, 302)
                self.assertTrue({messages.WARNING, messages.ERROR} & set(levels), levels)
        else:
            self.assertEqual(str(code), outcome)

    def check_done(self, role, action, obj, response, before, after):
        kind, code = action.kind, response.status_code
        pk = self.article(obj.key).pk
        article = Article.objects.filter(pk=pk).first()
        self.assertNotEqual(after, before, "allowed, yet nothing changed")
        if kind in ("delete_post",) or (kind == "bulk" and action.arg == "delete_selected"):
            self.assertEqual(code, 302)
            self.assertIsNone(article)
            return
        self.assertEqual(article.created_by, self.users[obj.author])
        if kind == "change_post":
            self.assertEqual(code, 302, response.content.decode()[-2000:])
            self.assertEqual(article.headline, NEW_HEADLINE)
            self.assertEqual(after["revisions"], before["revisions"] + 1)
        elif kind in ("transition", "bulk"):
            name = action.arg if kind == "transition" else BULK_ACTIONS[action.arg]
            self.assertEqual(code, 302)
            self.assertIn(messages.SUCCESS, self.levels(response))
            self.assertEqual(article.status, target_of(name, obj))
            self.assertEqual(article.events.filter(action=name).count(), 1)
        elif kind == "correct":
            self.assertEqual(code, 302)
            self.assertEqual(after["corrections"], before["corrections"] + 1)
        elif kind == "restore":
            self.assertEqual(code, 302)
            self.assertEqual(article.headline, self.first_headlines[obj.key])
            self.assertEqual(after["revisions"], before["revisions"] + 1)
        elif kind == "share_create":
            self.assertEqual(code, 200)  # the history page, showing the new link once
            self.assertEqual(len(after["share_links"]), len(before["share_links"]) + 1)
        elif kind == "share_revoke":
            self.assertEqual(code, 302)
            self.assertIsNotNone(ShareLink.objects.get(pk=self.links[obj.key].pk).revoked_at)
        else:
            raise AssertionError(f"no check for {kind}")

    def test_the_declared_table_says_what_the_issue_says(self):
        """Spot checks of the table against the issue's sentences, and proof that
        every state-changing kind has allowed and refused cells (no vacuous rule)."""
        obj = {o.key: o for o in OBJECTS}
        act = {a.key: a for a in build_actions()}
        cases = [
            (REPORTER_A, "change_get", "b_draft", OK),  # reporters see everything…
            (REPORTER_A, "change_post", "b_draft", FORBIDDEN),  # …read-only
            (REPORTER_A, "change_post", "a_draft", DONE),
            (REPORTER_A, "change_post", "a_changes_requested", DONE),
            (REPORTER_A, "change_post", "a_in_review", FORBIDDEN),
            (REPORTER_A, "submit", "a_draft", DONE),
            (REPORTER_B, "submit", "a_draft", REFUSED),
            (REPORTER_A, "pull_back", "a_in_review", DONE),
            (REPORTER_A, "approve", "a_in_review", REFUSED),
            (REPORTER_A, "publish", "a_approved", REFUSED),
            (REPORTER_A, "withdraw", "a_published", REFUSED),
            (REPORTER_A, "correct", "a_published", REFUSED),
            (REPORTER_A, "delete_post", "a_draft", FORBIDDEN),
            (REPORTER_A, "restore", "b_draft", FORBIDDEN),
            (REPORTER_A, "share_create", "b_draft", FORBIDDEN),
            (REPORTER_A, "bulk_publish_selected", "a_approved", REFUSED),
            (EDITOR, "approve", "a_in_review", DONE),
            (EDITOR_AUTHOR, "approve", "a_in_review", REFUSED),  # four eyes
            (EDITOR_AUTHOR, "bulk_approve_selected", "a_in_review", REFUSED),
            (EDITOR_AUTHOR, "publish", "a_approved", DONE),
            (EDITOR, "delete_post", "a_draft", FORBIDDEN),
            (SECTION_HEAD, "approve", "a_in_review", REFUSED),  # not a level of this chain
            (SECTION_HEAD, "request_changes", "a_in_review", REFUSED),
            (CHIEF, "change_post", "a_draft", FORBIDDEN),
            (CHIEF, "publish", "a_approved", REFUSED),
            (MANAGING_EDITOR, "mark_sensitive", "a_approved", DONE),
            (EDITOR, "send_back", "a_in_review", REFUSED),  # one level: none before it
            (SUPERUSER, "delete_post", "a_draft", DONE),
            (MODERATOR, "history", "a_published", FORBIDDEN),
            (MODERATOR, "preview", "a_draft", FORBIDDEN),
            (NONSTAFF, "preview", "a_draft", LOGIN),
            (ANONYMOUS, "share_revoke", "a_draft", LOGIN),
            (ANONYMOUS, "public_detail", "a_draft", NOT_FOUND),
            (ANONYMOUS, "public_detail", "a_withdrawn", GONE),
        ]
        for role, action, key, outcome in cases:
            with self.subTest(f"{role} × {action} × {key}"):
                self.assertEqual(expected(role, act[action], obj[key]), outcome)
        for kind in ("change_post", "delete_post", "transition", "correct", "restore",
                     "share_create", "share_revoke", "bulk"):
            outcomes = {
                expected(role, action, o)
                for role in ROLES for action in build_actions() if action.kind == kind
                for o in OBJECTS
            }
            with self.subTest(kind):
                self.assertIn(DONE, outcomes)
                self.assertTrue(outcomes - {DONE, LOGIN, METHOD}, outcomes)


def matrix_test(role):
    def test(self):
        self.run_matrix(role)

    test.__name__ = test.__qualname__ = f"test_matrix_{role}"
    test.__doc__ = f"The permission matrix's cells for {role}: every action on every article."
    return test


for _role in ROLES:
    setattr(PermissionMatrixTests, f"test_matrix_{_role}", matrix_test(_role))


# The changelist and the add form ---------------------------------------------------------------


class CollectionTests(MatrixTestCase):
    """The two article admin URLs that name no article: the list and the add form."""

    def test_list_and_add_form_by_role(self):
        for role in ROLES:
            for url in (reverse("admin:articles_article_changelist"),
                        reverse("admin:articles_article_add")):
                with self.subTest(f"{role} × GET {url}"):
                    response = self.request(role, "GET", url)
                    if role in NOT_STAFF:
                        self.assert_login(response)
                    elif role == MODERATOR or (role in LEVEL_MEMBERS and url.endswith("add/")):
                        self.assertEqual(response.status_code, 403)  # levels approve, not write
                    else:
                        self.assertEqual(response.status_code, 200)

    def test_no_list_editable(self):
        model_admin = admin.site._registry[Article]
        self.assertFalse(model_admin.list_editable)
        for role in VIEWERS:
            with self.subTest(role):
                response = self.request(role, "GET", reverse("admin:articles_article_changelist"))
                self.assertFalse(response.context["cl"].list_editable)
                self.assertNotContains(response, 'name="form-TOTAL_FORMS"')

    def test_list_editable_style_post_changes_nothing(self):
        articles = list(self.articles.values())
        data = {
            "form-TOTAL_FORMS": str(len(articles)),
            "form-INITIAL_FORMS": str(len(articles)),
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "_save": "Lưu",
        }
        for i, article in enumerate(articles):
            data |= {
                f"form-{i}-id": str(article.pk),
                f"form-{i}-status": Status.PUBLISHED,
                f"form-{i}-published_at": "2020-01-01 08:00:00",
                f"form-{i}-headline": "Sửa qua danh sách",
                f"form-{i}-created_by": str(self.users[REPORTER_B].pk),
            }
        baseline = self.state()
        for role in ROLES:
            with self.subTest(role):
                response = self.in_savepoint(lambda role=role: self.request(
                    role, "POST", reverse("admin:articles_article_changelist"), data
                ))
                self.assertEqual(self.state(), baseline)
                if role in NOT_STAFF:
                    self.assert_login(response)
                else:
                    self.assertEqual(response.status_code, 403 if role == MODERATOR else 200)


# Forged posts (security.md B4) -------------------------------------------------------------------


class ForgedPostTests(MatrixTestCase):
    """A reporter's POSTs carrying what their form does not offer. None publishes
    anything or changes a protected field."""

    PROTECTED = [
        "status", "created_by_id", "published_at", "first_published_at", "updated_at",
        "approved_by_id", "approved_hash", "approved_at", "published_by_id", "announced_at",
        "withdrawal_reason", "import_key",
    ]

    def setUp(self):
        super().setUp()
        self.baseline = self.state()
        self.posts = 0

    def forged(self):
        """Every protected field, as a form might carry it (plain and split widgets)."""
        editor, other = self.users[EDITOR].pk, self.users[REPORTER_B].pk
        return {
            "status": Status.PUBLISHED,
            "created_by": other, "created_by_id": other,
            "last_editor": editor, "approved_by": editor, "published_by": editor,
            "approved_hash": "f" * 64, "withdrawal_reason": "legal", "import_key": "forged",
            "version": "999", "headline_folded": "forged",
            **{
                f"{name}{suffix}": value
                for name in ("published_at", "first_published_at", "updated_at",
                             "approved_at", "announced_at")
                for suffix, value in (("", "2020-01-01 08:00:00"), ("_0", "01/01/2020"),
                                      ("_1", "08:00"))
            },
        }

    def protected(self, key):
        return Article.objects.filter(pk=self.article(key).pk).values(*self.PROTECTED).get()

    def post(self, role, url, data):
        self.posts += 1
        return self.request(role, "POST", url, data)

    def assert_nothing_changed(self):
        self.assertEqual(self.state(), self.baseline)

    def test_own_article_saves_content_but_no_protected_field(self):
        for key in ("a_draft", "a_changes_requested"):
            with self.subTest(key), transaction.atomic():
                before = self.protected(key)
                version = self.article(key).version
                data = self.change_data(key) | self.forged() | {"headline": NEW_HEADLINE}
                response = self.post(REPORTER_A, self.admin_url("change", key), data)
                self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
                article = Article.objects.get(pk=self.article(key).pk)
                self.assertEqual(article.headline, NEW_HEADLINE)
                self.assertEqual(self.protected(key), before)
                self.assertEqual(article.version, version + 1)
                self.assertEqual(article.last_editor, self.users[REPORTER_A])
                self.assertFalse(Event.objects.exists())
                transaction.set_rollback(True)
        self.assert_nothing_changed()

    def test_save_of_an_article_not_theirs_or_not_editable_is_refused(self):
        for role in (REPORTER_A, REPORTER_B):
            for obj in OBJECTS:
                if may_edit(role, obj):
                    continue
                data = self.change_data(obj.key) | self.forged() | {"headline": NEW_HEADLINE}
                with self.subTest(f"{role} × {obj.key}"):
                    response = self.in_savepoint(
                        lambda data=data, obj=obj, role=role: self.post(
                            role, self.admin_url("change", obj.key), data
                        )
                    )
                    self.assertEqual(response.status_code, 403)
                    self.assert_nothing_changed()
        self.assertEqual(self.posts, 13)  # 6 of A's, 7 of B's

    def test_add_form_creates_only_a_draft_of_ones_own(self):
        response = self.request(REPORTER_A, "GET", reverse("admin:articles_article_add"))
        data = form_data(response) | self.forged() | {
            "headline": "Bài mới có trường giả", "section": str(self.section.pk),
        }
        with transaction.atomic():
            response = self.post(REPORTER_A, reverse("admin:articles_article_add"), data)
            self.assertEqual(response.status_code, 302, response.content.decode()[-2000:])
            article = Article.objects.get(headline="Bài mới có trường giả")
            self.assertEqual(article.status, Status.DRAFT)
            self.assertEqual(article.created_by, self.users[REPORTER_A])
            for name in ("published_at", "first_published_at", "updated_at", "approved_by",
                         "approved_at", "published_by", "announced_at"):
                self.assertIsNone(getattr(article, name), name)
            self.assertEqual((article.approved_hash, article.withdrawal_reason,
                              article.import_key), ("", "", ""))
            self.assertFalse(Event.objects.exists())
            transaction.set_rollback(True)
        self.assert_nothing_changed()

    def test_save_as_new_of_someone_elses_article_copies_nothing_protected(self):
        """A "_saveasnew" POST turns a change into an add: the source article
        stays as it was, and any copy is a draft of the poster's own."""
        for key in ("a_in_review", "a_approved", "a_published"):
            with self.subTest(key), transaction.atomic():
                before = {a.pk for a in Article.objects.all()}
                protected = self.protected(key)
                data = self.change_data(key) | self.forged() | {
                    "headline": "Bản sao", "_saveasnew": "Lưu thành bài mới",
                }
                response = self.post(REPORTER_B, self.admin_url("change", key), data)
                self.assertIn(response.status_code, (302, 403))
                self.assertEqual(self.protected(key), protected)
                copies = list(Article.objects.exclude(pk__in=before))
                self.assertLessEqual(len(copies), 1)
                for copy in copies:
                    self.assertEqual(
                        (copy.status, copy.created_by, copy.published_at, copy.approved_by,
                         copy.approved_hash, copy.published_by, copy.first_published_at),
                        (Status.DRAFT, self.users[REPORTER_B], None, None, "", None, None),
                    )
                self.assertFalse(Event.objects.exists())
                transaction.set_rollback(True)
        self.assert_nothing_changed()

    def test_inline_rows_of_another_article_cannot_be_taken_over(self):
        """The credit and photo rows of B's draft, named in A's own form."""
        b_draft = self.article("b_draft")
        credit = b_draft.credits.get()
        use = b_draft.photo_uses.get()
        for prefix, row in (("credits", credit), ("photo_uses", use)):
            data = self.change_data("a_draft") | {
                f"{prefix}-0-id": str(row.pk),
                f"{prefix}-0-article": str(b_draft.pk),
                f"{prefix}-0-caption": "Chiếm dòng của bài khác",
                f"{prefix}-0-name": "Chiếm dòng của bài khác",
            }
            with self.subTest(prefix):
                response = self.in_savepoint(
                    lambda data=data: self.post(REPORTER_A, self.admin_url("change", "a_draft"),
                                                data)
                )
                self.assertEqual(response.status_code, 200)  # the form again, with an error
                self.assertTrue(response.context["errors"])
                self.assert_nothing_changed()

    def test_forged_transition_posts(self):
        """Extra fields on a workflow button change nothing but the transition's own."""
        cases = [
            # (role, transition, article, allowed)
            (REPORTER_A, "submit", "a_draft", True),
            (REPORTER_A, "publish", "a_approved", False),
            (REPORTER_A, "publish", "a_scheduled", False),
            (REPORTER_A, "approve", "a_in_review", False),
            (REPORTER_A, "withdraw", "a_published", False),
            (REPORTER_A, "unschedule", "a_scheduled", False),
            (REPORTER_A, "reopen", "a_withdrawn", False),
            (REPORTER_A, "submit", "b_draft", False),
            (REPORTER_B, "pull_back", "a_in_review", False),
            (REPORTER_B, "request_changes", "a_approved", False),
        ]
        for role, name, key, allowed in cases:
            data = self.forged() | {"note": NOTE, "reason": "legal",
                                    "at": "01/01/2099 08:00"}
            with self.subTest(f"{role} × {name} × {key}"), transaction.atomic():
                before = self.protected(key)
                response = self.post(role, self.admin_url("transition", key, name), data)
                self.assertEqual(response.status_code, 302)
                self.assertEqual(response["Location"], self.admin_url("change", key))
                after = self.protected(key)
                if allowed:
                    self.assertEqual(after, before | {"status": TRANSITION_RULES[name][2]})
                    self.assertEqual(Event.objects.get().action, name)
                else:
                    self.assertEqual(self.state(), self.baseline)
                transaction.set_rollback(True)
        self.assert_nothing_changed()

    def test_bulk_actions(self):
        """Every bulk action with every article selected, one by one and all at
        once (select_across). Reporters have no bulk action; a moderator no list;
        an editor's approval of what they wrote is refused."""
        ids = [str(article.pk) for article in self.articles.values()]
        url = reverse("admin:articles_article_changelist")
        for role in (REPORTER_A, REPORTER_B, MODERATOR, EDITOR_AUTHOR):
            names = ["approve_selected"] if role == EDITOR_AUTHOR else [
                *BULK_ACTIONS, "delete_selected"]
            for name in names:
                for extra in ({}, {"select_across": "1"}):
                    data = {"action": name, "_selected_action": ids, "index": "0",
                            "post": "yes", **extra}
                    if role == EDITOR_AUTHOR:  # only what the four-eyes rule stops
                        data["_selected_action"] = [str(self.article("a_in_review").pk)]
                    with self.subTest(f"{role} × {name} {extra}"):
                        response = self.in_savepoint(
                            lambda role=role, data=data: self.post(role, url, data)
                        )
                        self.assert_nothing_changed()
                        self.assertNotIn(messages.SUCCESS, self.levels(response))
                        self.assertEqual(response.status_code,
                                         {MODERATOR: 403, EDITOR_AUTHOR: 302}.get(role, 200))
        # The actions a reporter is offered: none.
        request = RequestFactory().get(url)
        request.user = self.users[REPORTER_A]
        self.assertEqual(admin.site._registry[Article].get_actions(request), {})


# Public listings --------------------------------------------------------------------------------


class ListingTests(MatrixTestCase):
    """The public pages that list articles show only the public one, to everyone."""

    def test_listings_show_only_public_articles(self):
        tag = Article.objects.get(pk=self.article("a_published").pk).tags.get()
        urls = [
            reverse("articles:home"),
            reverse("articles:section", args=[self.section.slug]),
            reverse("articles:tag", args=[tag.slug]),
            reverse("articles:contributor", args=[self.contributor.slug]),
            reverse("articles:latest"),
        ]
        hidden = [self.article(obj.key).headline for obj in OBJECTS if not obj.public]
        for role in (ANONYMOUS, REPORTER_A, EDITOR, SUPERUSER):
            for url in urls:
                with self.subTest(f"{role} × {url}"):
                    response = self.request(role, "GET", url)
                    self.assertContains(response, self.article("a_published").headline)
                    for headline in hidden:
                        self.assertNotContains(response, headline)
