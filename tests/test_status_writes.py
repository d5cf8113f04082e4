"""Only the workflow modules write a status (issue 10: one entry point for
every status change).

Reads the source of every module of ``articles`` and ``comments`` (not
imported: parsed with ast) outside ``articles/workflow.py``,
``comments/moderation.py`` and the migrations, and fails on a write of a
``status``: ``x.status = …``, ``setattr(x, "status", …)``, a ``status=``
keyword of ``update()``, ``create()``, ``update_or_create()``,
``get_or_create()`` or ``bulk_update()``, or a model built with
``status=<Status value>``. Reading a status (``filter(status=…)``) is fine,
and so is handing one to the workflow modules (``moderation.create(status=…)``).
"""

import ast
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

APPS = ["articles", "comments"]
WORKFLOW_MODULES = {"articles/workflow.py", "comments/moderation.py"}
WRITE_METHODS = {"update", "create", "update_or_create", "get_or_create", "bulk_update"}

# Known writes outside the workflow modules, each with why it may stay, or
# which change removes it.
ALLOWED = {
    # Demo and benchmark data are stored rows, as the tests' factories store
    # them: seeded, not edited (like fixtures).
    ("articles/demo/__init__.py", "Article(status=…)"),
    ("articles/demo/__init__.py", "create(status=…)"),
}
# Calls into the workflow modules are the entry point, not a side door.
WORKFLOW_NAMES = {"workflow", "moderation"}
# Query expressions read a status; they never write one.
READERS = {"When", "Q", "Exists", "Case"}


def status_writes(path, source):
    """Descriptions of each status write in ``source``, one per line found."""
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
                found.append((node.lineno, ".status ="))
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") in (
            WORKFLOW_NAMES
        ):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", ""
        )
        if name == "setattr" and len(node.args) > 1:
            if isinstance(node.args[1], ast.Constant) and node.args[1].value == "status":
                found.append((node.lineno, 'setattr(…, "status", …)'))
        for keyword in node.keywords:
            if keyword.arg == "status" and name in WRITE_METHODS:
                found.append((node.lineno, f"{name}(status=…)"))
            elif (
                keyword.arg == "status"
                and name[:1].isupper()
                and name not in READERS
                and ".Status." in f".{ast.unparse(keyword.value)}"
            ):
                found.append((node.lineno, f"{name}(status=…)"))
            elif keyword.arg is None and isinstance(keyword.value, ast.Dict):
                keys = [k.value for k in keyword.value.keys if isinstance(k, ast.Constant)]
                if "status" in keys and name in WRITE_METHODS:
                    found.append((node.lineno, f"{name}(**{{'status': …}})"))
    return found


def all_status_writes():
    root = Path(settings.BASE_DIR)
    writes = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative in WORKFLOW_MODULES or "/migrations/" in relative:
                continue
            for line, what in status_writes(relative, path.read_text(encoding="utf-8")):
                writes.append((relative, line, what))
    return writes


class StatusWriteTests(SimpleTestCase):
    def test_only_the_workflow_modules_write_a_status(self):
        writes = [
            f"{path}:{line}: {what}"
            for path, line, what in all_status_writes()
            if (path, what) not in ALLOWED
        ]
        self.assertEqual(writes, [], "status written outside the workflow modules")

    def test_the_reader_finds_each_kind_of_write(self):
        source = "\n".join([
            "article.status = 'published'",
            "setattr(comment, 'status', 'spam')",
            "Article.objects.filter(pk=1).update(status=Article.Status.DRAFT)",
            "Comment.objects.create(status='published')",
            "Article(headline='x', status=Article.Status.PUBLISHED)",
            "Article.objects.filter(pk=1).update(**{'status': 'draft'})",
            "Article.objects.filter(status=Article.Status.DRAFT)",  # a read
            "Article(status=article.status)",  # an unsaved copy, as previews make
            "When(status=Comment.Status.PENDING, then=1)",  # a read
            "moderation.create(status=Comment.Status.PENDING)",  # the entry point
        ])
        self.assertEqual(
            [what for _line, what in status_writes("x.py", source)],
            [
                ".status =",
                'setattr(…, "status", …)',
                "update(status=…)",
                "create(status=…)",
                "Article(status=…)",
                "update(**{'status': …})",
            ],
        )
