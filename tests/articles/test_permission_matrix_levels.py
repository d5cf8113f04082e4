"""The permission matrix of a chain of three levels (duyệt nhiều cấp).

Every role makes every workflow transition, through the admin's buttons, on an
article at each point of the chain "Trưởng ban → Thư ký tòa soạn → Tổng biên
tập", and the answer is compared with rules declared here from the issue:

* in review, only the level the article waits at approves, sends back to the
  previous level or to the reporter; nobody approves content they wrote nor
  two levels of one article (four eyes at every level);
* once approved, any level of its chain may still send it back to the reporter;
  only who may publish publishes;
* anyone who approves may mark an article sensitive.

A refused cell changes nothing (the article, its approvals, its events); each
cell runs in a savepoint that is rolled back. The chains' own admin is for
superusers only (ChainAdminMatrixTests), with every URL of it declared.
"""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django.urls import get_resolver, reverse

from articles import roles, workflow
from articles.models import ApprovalChain, Article, ArticleApproval, Event
from tests.factories import (
    add_credit,
    add_photo,
    make_article,
    make_editor,
    make_member,
    make_photo,
    make_reporter,
    make_section,
    make_user,
)
from tests.matrix import RoleRequests, leaf_patterns

Status = Article.Status

REPORTER, HEAD, MANAGING, CHIEF = "reporter", "section_head", "managing_editor", "chief"
BOTH, EDITOR, SUPERUSER = "head_and_managing", "editor", "superuser"
ROLES = [REPORTER, HEAD, MANAGING, CHIEF, BOTH, EDITOR, SUPERUSER]
LEVELS = ["Trưởng ban", "Thư ký tòa soạn", "Tổng biên tập"]
# The roles holding each level (the superuser holds every one).
HOLDERS = {
    "Trưởng ban": {HEAD, BOTH, SUPERUSER},
    "Thư ký tòa soạn": {MANAGING, BOTH, SUPERUSER},
    "Tổng biên tập": {CHIEF, SUPERUSER},
}
APPROVERS = {HEAD, MANAGING, CHIEF, BOTH, EDITOR, SUPERUSER}  # the permission "Duyệt bài"
PUBLISHERS = {EDITOR, SUPERUSER}

# key: (status, the levels approved, by whom)
OBJECTS = {
    "at_head": (Status.IN_REVIEW, []),
    "at_managing": (Status.IN_REVIEW, [("Trưởng ban", BOTH)]),
    "at_chief": (Status.IN_REVIEW, [("Trưởng ban", HEAD), ("Thư ký tòa soạn", MANAGING)]),
    "approved": (Status.APPROVED, [("Trưởng ban", HEAD), ("Thư ký tòa soạn", MANAGING),
                                   ("Tổng biên tập", CHIEF)]),
}
TRANSITIONS = ["approve", "send_back", "request_changes", "publish", "mark_sensitive"]


def waiting_level(key):
    status, approved = OBJECTS[key]
    return LEVELS[len(approved)] if status == Status.IN_REVIEW else None


def expected(role, name, key):
    """(allowed, the status after) for ``role`` making ``name`` on ``key``."""
    status, approved = OBJECTS[key]
    level = waiting_level(key)
    approvers_here = {who for _label, who in approved}
    if name == "approve":
        allowed = (
            level is not None and role in HOLDERS[level] and role not in approvers_here
        )
        last = level == LEVELS[-1]
        return allowed, Status.APPROVED if last else Status.IN_REVIEW
    if name == "send_back":
        return level not in (None, LEVELS[0]) and role in HOLDERS[level], Status.IN_REVIEW
    if name == "request_changes":
        holders = HOLDERS[level] if level else set().union(*HOLDERS.values())
        return role in holders, Status.CHANGES_REQUESTED
    if name == "publish":
        return status == Status.APPROVED and role in PUBLISHERS, Status.PUBLISHED
    if name == "mark_sensitive":
        return role in APPROVERS, status  # the top level is in this chain already
    raise AssertionError(name)


class LevelTestCase(RoleRequests, TestCase):
    """The chain, a user for each role, and an article at each point of the chain."""

    @classmethod
    def setUpTestData(cls):
        groups = {name: Group.objects.get(name=name) for name in
                  (roles.SECTION_HEADS, roles.MANAGING_EDITORS, roles.EDITORS_IN_CHIEF)}
        section = make_section("Thời sự")
        chain = ApprovalChain.objects.create(name="Thời sự")
        chain.sections.add(section)
        for position, (name, label) in enumerate(zip(groups, LEVELS, strict=True), start=1):
            chain.levels.create(position=position, group=groups[name], label=label)
        cls.users = {
            REPORTER: make_reporter("phongvien"),
            HEAD: make_member(roles.SECTION_HEADS, "truongban"),
            MANAGING: make_member(roles.MANAGING_EDITORS, "thuky"),
            CHIEF: make_member(roles.EDITORS_IN_CHIEF, "tongbientap"),
            BOTH: make_member(roles.SECTION_HEADS, "kiemnhiem"),
            EDITOR: make_editor("bientap"),
            SUPERUSER: make_user("admin", is_superuser=True),
        }
        cls.users[BOTH].groups.add(groups[roles.MANAGING_EDITORS])
        label_group = dict(zip(LEVELS, groups.values(), strict=True))
        photo = make_photo()
        cls.articles = {}
        for key, (status, approved) in OBJECTS.items():
            article = make_article(
                headline=f"Bài {key}", status=Status.DRAFT, published_at=None, section=section,
                created_by=cls.users[REPORTER], tags=["Thời sự"],
            )
            add_credit(article, name="Trần Quốc")
            add_photo(article, photo, is_lead=True)
            revision = article.record_revision(cls.users[REPORTER])
            for label, who in approved:
                article.approvals.create(group=label_group[label], label=label,
                                         approved_by=cls.users[who],
                                         content_hash=revision.content_hash)
            updates = {"status": status}
            if status == Status.APPROVED:
                updates |= {"approved_hash": revision.content_hash,
                            "approved_by": cls.users[CHIEF]}
            Article.objects.filter(pk=article.pk).update(**updates)
            cls.articles[key] = article

    def setUp(self):
        self.clients = {"anonymous": Client()}
        for role, user in self.users.items():
            self.clients[role] = Client()
            self.clients[role].force_login(user)


class LevelMatrixTests(LevelTestCase):
    def state(self, key):
        article = Article.objects.get(pk=self.articles[key].pk)
        approvals = list(ArticleApproval.objects.filter(article=article)
                         .values_list("label", "approved_by", "content_hash"))
        return (article.status, article.version, article.is_sensitive, approvals,
                Event.objects.filter(article=article).count())

    def test_the_transitions_of_the_matrix_are_the_workflows(self):
        self.assertLessEqual(set(TRANSITIONS), set(workflow.transitions()))

    def test_the_declared_table_says_what_the_issue_says(self):
        cases = [
            (HEAD, "approve", "at_head", True),
            (MANAGING, "approve", "at_head", False),  # not its level yet
            (BOTH, "approve", "at_managing", False),  # approved the level before
            (MANAGING, "approve", "at_managing", True),
            (EDITOR, "approve", "at_head", False),  # the editors are no level here
            (CHIEF, "send_back", "at_chief", True),
            (HEAD, "send_back", "at_head", False),
            (EDITOR, "publish", "at_chief", False),  # refused until every level
            (EDITOR, "publish", "approved", True),
            (CHIEF, "publish", "approved", False),
            (HEAD, "request_changes", "approved", True),
            (REPORTER, "mark_sensitive", "at_head", False),
        ]
        for role, name, key, allowed in cases:
            with self.subTest(f"{role} × {name} × {key}"):
                self.assertEqual(expected(role, name, key)[0], allowed)

    def test_matrix(self):
        for role in ROLES:
            for name in TRANSITIONS:
                for key in OBJECTS:
                    allowed, after_status = expected(role, name, key)
                    with self.subTest(f"{role} × {name} × {key}", allowed=allowed):
                        self.in_savepoint(
                            lambda r=role, n=name, k=key, a=allowed, s=after_status:
                            self.run_cell(r, n, k, a, s)
                        )

    def run_cell(self, role, name, key, allowed, after_status):
        before = self.state(key)
        url = reverse("admin:articles_article_transition", args=[self.articles[key].pk, name])
        response = self.request(role, "POST", url, {"note": "Ghi chú của ma trận.", "at": ""})
        self.assertEqual(response.status_code, 302)
        levels = self.levels(response)
        after = self.state(key)
        if not allowed:
            self.assertEqual(after, before, "refused, yet something changed")
            self.assertNotIn(messages.SUCCESS, levels)
            self.assertIn(messages.ERROR, levels)
            return
        self.assertIn(messages.SUCCESS, levels)
        self.assertEqual(after[0], after_status)
        self.assertEqual(after[4], before[4] + 1)  # one Event
        if name == "approve":
            self.assertEqual(len(after[3]), len(before[3]) + 1)
        elif name == "send_back":
            self.assertEqual(len(after[3]), len(before[3]) - 1)
        elif name == "request_changes":
            self.assertEqual(after[3], [])
        elif name == "mark_sensitive":
            self.assertTrue(after[2])

    def test_the_change_page_shows_each_role_where_the_article_waits(self):
        for role in ROLES:
            with self.subTest(role):
                response = self.clients[role].get(
                    reverse("admin:articles_article_change", args=[self.articles["at_chief"].pk])
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Chờ tổng biên tập duyệt")


# The chains' own admin ---------------------------------------------------------------------------

CHAIN_PREFIX = "admin/articles/approvalchain/"
# Every URL of the chains' admin, and what it does; only superusers (or a group given the
# permissions on chains) change chains: the levels' members and the editors are refused.
CHAIN_URLS = {
    "": "changelist",
    "add/": "add",
    "<path:object_id>/history/": "history",
    "<path:object_id>/delete/": "delete",
    "<path:object_id>/change/": "change",
    "<path:object_id>/": "old_change_url",
}


class ChainAdminMatrixTests(LevelTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.chain = ApprovalChain.objects.get(name="Thời sự")

    def test_every_chain_admin_url_is_declared(self):
        routes = {
            route.removeprefix(CHAIN_PREFIX)
            for route, _namespace, _pattern in leaf_patterns(get_resolver().url_patterns)
            if route.startswith(CHAIN_PREFIX)
        }
        self.assertEqual(routes, set(CHAIN_URLS))

    def test_only_the_superuser_changes_chains(self):
        urls = {
            "changelist": reverse("admin:articles_approvalchain_changelist"),
            "add": reverse("admin:articles_approvalchain_add"),
            "history": reverse("admin:articles_approvalchain_history", args=[self.chain.pk]),
            "delete": reverse("admin:articles_approvalchain_delete", args=[self.chain.pk]),
            "change": reverse("admin:articles_approvalchain_change", args=[self.chain.pk]),
        }
        levels_before = list(self.chain.levels.values_list("group", "position"))
        for role in [*ROLES, "anonymous"]:
            for kind, url in urls.items():
                for method in ("GET", "POST"):
                    with self.subTest(f"{role} × {method} {kind}"):
                        response = self.in_savepoint(
                            lambda r=role, m=method, u=url: self.request(r, m, u, {"post": "yes"})
                        )
                        if role == "anonymous":
                            self.assert_login(response)
                        elif role == SUPERUSER:
                            self.assertIn(response.status_code, (200, 302))
                        else:
                            self.assertEqual(response.status_code, 403)
        self.assertEqual(list(self.chain.levels.values_list("group", "position")), levels_before)
        self.assertTrue(ApprovalChain.objects.filter(pk=self.chain.pk).exists())
