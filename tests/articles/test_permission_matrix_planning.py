"""The permission matrix of the plan (issue 15, part 2): every URL of the plan's
admin (entries and slots), taken from the URL resolver, requested by every role
on entries in every state, compared with a table declared here from the issue:

* anonymous visitors and non-staff users are sent to the admin login;
* a comment moderator (staff, no plan permission) is refused everything;
* reporters read the whole plan (the list, the day, the week, every entry),
  propose, and edit their own proposal while it is one; the assigned reporter
  presses "Viết bài" on an approved entry; nothing else;
* editors approve, assign, edit and cancel any entry not cancelled, and keep
  the slots; they do not write an entry assigned to someone else;
* deleting an entry or a slot is the superuser's (entries are cancelled).

A refused request changes nothing: every plan row, slot, article, credit and the
admin log are compared before and after. Each cell runs in a savepoint that is
rolled back. A URL under admin/planning/ the table does not declare fails.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import Client, TestCase
from django.urls import get_resolver, reverse
from django.utils import timezone

from articles import roles
from articles.models import Article, Credit
from articles.planning.models import PlanEntry, PlanSlot, Stage
from tests.factories import make_article, make_editor, make_reporter, make_section, make_user
from tests.forms import form_data
from tests.matrix import RoleRequests, leaf_patterns
from tests.planning.factories import make_entry

Status = Article.Status

ANONYMOUS, NONSTAFF, MODERATOR = "anonymous", "nonstaff", "moderator"
REPORTER_A, REPORTER_B = "reporter_a", "reporter_b"
EDITOR, SUPERUSER = "editor", "superuser"
ROLES = [ANONYMOUS, NONSTAFF, MODERATOR, REPORTER_A, REPORTER_B, EDITOR, SUPERUSER]
NOT_STAFF = {ANONYMOUS, NONSTAFF}
VIEWERS = {REPORTER_A, REPORTER_B, EDITOR, SUPERUSER}
PLANNERS = {EDITOR, SUPERUSER}

# The plan's model permissions of each role, as the README's table states them
# (migration planning 0002). test_declared_permissions_are_the_real_ones ties them.
MODEL_PERMS = {
    REPORTER_A: {"planentry": {"view", "add", "change"}, "planslot": {"view"}},
    EDITOR: {"planentry": {"view", "add", "change", "approve"},
             "planslot": {"view", "add", "change"}},
}
MODEL_PERMS[REPORTER_B] = MODEL_PERMS[REPORTER_A]


@dataclass(frozen=True)
class Entry:
    key: str
    stage: str
    proposer: str
    article_status: str = ""


# Reporter A proposed each and is assigned (reporter B shoots the photos).
ENTRIES = [
    Entry("a_proposed", Stage.PROPOSED, REPORTER_A),
    Entry("b_proposed", Stage.PROPOSED, REPORTER_B),
    Entry("a_approved", Stage.APPROVED, REPORTER_A),
    Entry("a_writing", Stage.WRITING, REPORTER_A, Status.DRAFT),
    Entry("a_filed", Stage.FILED, REPORTER_A, Status.IN_REVIEW),
    Entry("a_cancelled", Stage.CANCELLED, REPORTER_A),
]
ASSIGNED = REPORTER_A  # the reporter of every entry but b_proposed
TRANSITIONS = {  # name: (stages it starts from, who, the stored state it ends in)
    "approve": ({Stage.PROPOSED}, "planner", Stage.APPROVED),
    "cancel": ({Stage.PROPOSED, Stage.APPROVED, Stage.WRITING, Stage.FILED}, "planner",
               Stage.CANCELLED),
    "write": ({Stage.APPROVED}, "assigned", Stage.WRITING),
}

# Every pattern below admin/planning/<model>/ and the kinds of request covering it.
ENTRY_URL_RULES = {
    "": {"changelist"},
    "add/": {"add_get", "add_post"},
    "day/": {"day"},
    "week/": {"week"},
    "<path:object_id>/transition/<str:name>/": {"transition", "transition_get", "unknown"},
    "<path:object_id>/history/": {"history"},
    "<path:object_id>/delete/": {"delete_get", "delete_post"},
    "<path:object_id>/change/": {"change_get", "change_post"},
    "<path:object_id>/": {"old_change_url"},
}
SLOT_URL_RULES = {
    "": {"changelist"},
    "add/": {"add_get", "add_post"},
    "<path:object_id>/history/": {"history"},
    "<path:object_id>/delete/": {"delete_get", "delete_post"},
    "<path:object_id>/change/": {"change_get", "change_post"},
    "<path:object_id>/": {"old_change_url"},
}

OK, EDIT, VIEW, DONE = "200", "edit", "view", "done"
LOGIN, FORBIDDEN, METHOD, REFUSED, REDIRECT = "login", "403", "405", "refused", "redirect"


def may_edit(role, entry):
    if entry.stage == Stage.CANCELLED:
        return False
    return role in PLANNERS or (role == entry.proposer and entry.stage == Stage.PROPOSED)


def may_transition(role, name, entry):
    sources, who, _target = TRANSITIONS[name]
    if entry.stage not in sources:
        return False
    if who == "assigned":
        assigned = entry.proposer  # every entry's reporter is its proposer
        return role == assigned
    return role in PLANNERS


def expected_entry(role, kind, entry=None, name=""):
    if role in NOT_STAFF:
        return LOGIN
    if kind == "transition_get":
        return METHOD
    if kind == "old_change_url":
        return REDIRECT
    if role == MODERATOR:
        return FORBIDDEN
    if kind in ("changelist", "day", "week", "history", "add_get"):
        return OK
    if kind == "add_post":
        return DONE
    if kind == "change_get":
        return EDIT if may_edit(role, entry) else VIEW
    if kind == "change_post":
        return DONE if may_edit(role, entry) else FORBIDDEN
    if kind in ("delete_get", "delete_post"):
        return (OK if kind == "delete_get" else DONE) if role == SUPERUSER else FORBIDDEN
    if kind == "transition":
        return DONE if may_transition(role, name, entry) else REFUSED
    if kind == "unknown":
        return REFUSED
    raise AssertionError(f"no rule for {kind}")


def expected_slot(role, kind):
    if role in NOT_STAFF:
        return LOGIN
    if kind == "old_change_url":
        return REDIRECT
    if role == MODERATOR:
        return FORBIDDEN
    if kind in ("changelist", "history"):
        return OK
    if kind in ("add_get", "add_post", "change_post"):
        if role not in PLANNERS:
            return FORBIDDEN
        return OK if kind == "add_get" else DONE
    if kind == "change_get":
        return EDIT if role in PLANNERS else VIEW
    if kind in ("delete_get", "delete_post"):
        return (OK if kind == "delete_get" else DONE) if role == SUPERUSER else FORBIDDEN
    raise AssertionError(f"no rule for {kind}")


class PlanMatrixTests(RoleRequests, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.users = {
            NONSTAFF: make_user("bandoc", is_staff=False),
            MODERATOR: make_user("kiemduyet"),
            REPORTER_A: make_reporter("phongvien_a"),
            REPORTER_B: make_reporter("phongvien_b"),
            EDITOR: make_editor("bientap"),
            SUPERUSER: make_user("tongbientap", is_superuser=True),
        }
        cls.users[MODERATOR].groups.add(Group.objects.get(name=roles.MODERATORS))
        cls.section = make_section("Thời sự")
        cls.entries = {}
        for entry in ENTRIES:
            stored = Stage.WRITING if entry.stage == Stage.FILED else entry.stage
            proposer = cls.users[entry.proposer]
            article = entry.article_status and make_article(
                status=entry.article_status, created_by=proposer, section=cls.section,
                headline=f"Bài {entry.key}",
            )
            cls.entries[entry.key] = make_entry(
                title=f"Đề tài {entry.key}", state=stored, proposed_by=proposer,
                reporter=proposer, photographer=cls.users[REPORTER_B], section=cls.section,
                article=article or None, deadline=timezone.now() + timedelta(hours=2),
            )
        cls.slot = PlanSlot.objects.create(name="Trang thử", order=99)

    def setUp(self):
        self.clients = {ANONYMOUS: Client()}
        for role, user in self.users.items():
            self.clients[role] = Client()
            self.clients[role].force_login(user)

    @staticmethod
    def url(model, view, *args):
        return reverse(f"admin:planning_{model}_{view}", args=args)

    @staticmethod
    def state():
        """Every row a refused request must leave as it was."""
        entry_fields = [f.attname for f in PlanEntry._meta.concrete_fields]
        return {
            "entries": list(PlanEntry.objects.order_by("pk").values_list(*entry_fields)),
            "slots": list(PlanSlot.objects.order_by("pk").values_list()),
            "articles": list(Article.objects.order_by("pk").values_list("pk", "status",
                                                                       "version")),
            "credits": Credit.objects.count(),
            "log": LogEntry.objects.count(),
        }

    def entry_form(self, entry):
        response = self.clients[SUPERUSER].get(self.url("planentry", "change", entry.pk))
        return form_data(response, "planentry_form") | {"title": "Đổi tên"}

    def assert_outcome(self, outcome, response, before, done):
        if outcome == LOGIN:
            self.assert_login(response)
        elif outcome in (OK, EDIT, VIEW):
            self.assertEqual(response.status_code, 200)
            if outcome in (EDIT, VIEW):
                self.assertEqual('name="title"' in response.content.decode()
                                 or 'name="name"' in response.content.decode(), outcome == EDIT)
        elif outcome == FORBIDDEN:
            self.assertEqual(response.status_code, 403)
        elif outcome == METHOD:
            self.assertEqual(response.status_code, 405)
        elif outcome == REDIRECT:
            self.assertIn(response.status_code, (301, 302))
        elif outcome == REFUSED:
            self.assertEqual(response.status_code, 302)
            self.assertIn(messages.ERROR, self.levels(response))
        elif outcome == DONE:
            self.assertIn(response.status_code, (302,), response.content[:300])
            done()
            return
        self.assertEqual(self.state(), before, "a refused request changed something")

    def cell(self, role, method, url, outcome, data=None, done=lambda: None):
        def run():
            before = self.state()
            response = self.request(role, method, url, data)
            self.assert_outcome(outcome, response, before, done)
        self.in_savepoint(run)

    def test_every_url_of_the_plan_is_declared(self):
        routes = {"planentry": set(), "planslot": set()}
        for route, _namespace, _pattern in leaf_patterns(get_resolver().url_patterns):
            if route.startswith("admin/planning/") and route != "admin/planning/":
                model, _slash, rest = route.removeprefix("admin/planning/").partition("/")
                routes[model].add(rest)
        self.assertEqual(routes["planentry"], set(ENTRY_URL_RULES))
        self.assertEqual(routes["planslot"], set(SLOT_URL_RULES))
        request = self.clients[SUPERUSER].get("/").wsgi_request
        request.user = self.users[SUPERUSER]
        for model in (PlanEntry, PlanSlot):
            # The only bulk action is Django's delete (superuser only, covered by delete).
            self.assertEqual(set(admin.site._registry[model].get_actions(request)),
                             {"delete_selected"})

    def test_declared_permissions_are_the_real_ones(self):
        for role, perms in MODEL_PERMS.items():
            user = type(self.users[role]).objects.get(pk=self.users[role].pk)
            for model in ("planentry", "planslot"):
                for perm in ("view", "add", "change", "delete", "approve"):
                    if perm == "approve" and model == "planslot":
                        continue
                    with self.subTest(role=role, perm=f"{perm}_{model}"):
                        self.assertEqual(user.has_perm(f"planning.{perm}_{model}"),
                                         perm in perms[model])
        self.assertTrue(Permission.objects.filter(codename="approve_planentry").exists())

    def test_entries(self):
        cells = 0
        for role in ROLES:
            for kind in ("changelist", "day", "week", "add_get"):
                with self.subTest(role=role, kind=kind):
                    url = self.url("planentry", {"add_get": "add"}.get(kind, kind)
                                   if kind != "changelist" else "changelist")
                    self.cell(role, "GET", url, expected_entry(role, kind))
                cells += 1
            with self.subTest(role=role, kind="add_post"):
                self.cell(role, "POST", self.url("planentry", "add"),
                          expected_entry(role, "add_post"), self.new_entry_data(),
                          done=lambda role=role: self.assert_added(role))
            cells += 1
            for entry in ENTRIES:
                obj = self.entries[entry.key]
                for kind, method, view in [
                    ("change_get", "GET", "change"), ("change_post", "POST", "change"),
                    ("history", "GET", "history"), ("delete_get", "GET", "delete"),
                    ("delete_post", "POST", "delete"),
                ]:
                    with self.subTest(role=role, entry=entry.key, kind=kind):
                        data = (self.entry_form(obj) if kind == "change_post"
                                else {"post": "yes"})
                        self.cell(role, method, self.url("planentry", view, obj.pk),
                                  expected_entry(role, kind, entry), data,
                                  done=lambda kind=kind, obj=obj: self.assert_changed(kind, obj))
                    cells += 1
                with self.subTest(role=role, entry=entry.key, kind="old_change_url"):
                    self.cell(role, "GET", f"/admin/planning/planentry/{obj.pk}/",
                              expected_entry(role, "old_change_url", entry))
                cells += 1
                for name in [*TRANSITIONS, "unknown"]:
                    url = self.url("planentry", "transition", obj.pk, name)
                    kind = "unknown" if name == "unknown" else "transition"
                    with self.subTest(role=role, entry=entry.key, transition=name):
                        self.cell(role, "POST", url, expected_entry(role, kind, entry, name),
                                  done=lambda name=name, obj=obj: self.assert_moved(name, obj))
                    with self.subTest(role=role, entry=entry.key, transition=f"GET {name}"):
                        self.cell(role, "GET", url, expected_entry(role, "transition_get"))
                    cells += 2
        self.assertEqual(cells, len(ROLES) * (5 + len(ENTRIES) * (6 + 2 * 4)))

    def new_entry_data(self):
        return {"title": "Đề tài mới", "section": self.section.pk,
                "planned_for": timezone.localdate().strftime("%d/%m/%Y"), "slot": "",
                "deadline_0": "", "deadline_1": "", "reporter": self.users[REPORTER_B].pk,
                "photographer": "", "notes": "", "_save": "Lưu"}

    def assert_added(self, role):
        added = PlanEntry.objects.get(title="Đề tài mới")
        planner = role in PLANNERS
        self.assertEqual(added.state, Stage.APPROVED if planner else Stage.PROPOSED)
        self.assertEqual(added.reporter, self.users[REPORTER_B if planner else role])

    def assert_changed(self, kind, obj):
        if kind == "change_post":
            self.assertEqual(PlanEntry.objects.get(pk=obj.pk).title, "Đổi tên")
        else:
            self.assertFalse(PlanEntry.objects.filter(pk=obj.pk).exists())

    def assert_moved(self, name, obj):
        moved = PlanEntry.objects.get(pk=obj.pk)
        self.assertEqual(moved.state, TRANSITIONS[name][2])
        if name == "write":
            self.assertEqual(moved.article.headline, obj.title)

    def test_slots(self):
        for role in ROLES:
            cases = [
                ("changelist", "GET", self.url("planslot", "changelist"), None),
                ("add_get", "GET", self.url("planslot", "add"), None),
                ("add_post", "POST", self.url("planslot", "add"),
                 {"name": "Trang mới", "order": "5", "_save": "Lưu"}),
                ("change_get", "GET", self.url("planslot", "change", self.slot.pk), None),
                ("change_post", "POST", self.url("planslot", "change", self.slot.pk),
                 {"name": "Trang đổi tên", "order": "5", "_save": "Lưu"}),
                ("history", "GET", self.url("planslot", "history", self.slot.pk), None),
                ("delete_get", "GET", self.url("planslot", "delete", self.slot.pk), None),
                ("delete_post", "POST", self.url("planslot", "delete", self.slot.pk),
                 {"post": "yes"}),
                ("old_change_url", "GET", f"/admin/planning/planslot/{self.slot.pk}/", None),
            ]
            for kind, method, url, data in cases:
                with self.subTest(role=role, kind=kind):
                    self.cell(role, method, url, expected_slot(role, kind), data,
                              done=lambda kind=kind: self.assert_slot_done(kind))

    def assert_slot_done(self, kind):
        names = set(PlanSlot.objects.values_list("name", flat=True))
        expected = {"add_post": "Trang mới" in names, "change_post": "Trang đổi tên" in names,
                    "delete_post": "Trang thử" not in names}
        self.assertTrue(expected[kind], kind)
