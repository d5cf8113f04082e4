"""No import cycle inside ``articles`` or ``comments`` (DESIGN: ``models.py``
imports nothing that imports it).

The test reads the source of every module of both apps (pkgutil finds them,
ast parses them; nothing is imported), resolves relative imports, and builds
the graph of imports between modules of the two apps. Every import counts,
function-level ones included: a lazy ``from .models import`` inside a
function is still a dependency, only hidden from Python's import machinery
(it is how the old ``workflow`` ↔ ``models`` cycle lived). Imports under
``if TYPE_CHECKING:`` do not count, and neither do migrations, which Django
loads by itself and nothing imports.
"""

import ast
import importlib.util
import pkgutil
from pathlib import Path

from django.test import SimpleTestCase

APPS = ["articles", "comments"]

# Known edges that may close a cycle, each with the reason it is allowed (none).
ALLOWED_EDGES = set()


def modules():
    """{module name: path} of every module of the apps, migrations left out."""
    found = {}
    for app in APPS:
        package = importlib.util.find_spec(app)
        root = Path(package.origin).parent
        found[app] = Path(package.origin)
        for info in pkgutil.walk_packages([str(root)], prefix=f"{app}."):
            if ".migrations" in info.name:
                continue
            spec = importlib.util.find_spec(info.name)
            found[info.name] = Path(spec.origin)
    return found


def _type_checking_blocks(tree):
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imports_of(name, path, known):
    """The modules of ``known`` that module ``name`` (at ``path``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skipped = _type_checking_blocks(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module
            # "from . import workflow" imports a module; "from .models import X" a name.
            candidates = [f"{module}.{alias.name}" for alias in node.names] + [module]
        else:
            continue
        for candidate in candidates:
            # "import articles.models.x" depends on the deepest module that exists.
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def import_graph():
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    for source, target in ALLOWED_EDGES:
        graph.get(source, set()).discard(target)
    # A package's __init__ imported for a submodule ("from articles import x"
    # names articles.x, resolved above) is not an edge of its own.
    for name in graph:
        graph[name] = {t for t in graph[name] if t not in APPS}
    return graph


def find_cycle(graph):
    """One cycle of ``graph`` as a list of modules (first repeated last), or None."""
    state = {}  # module -> "open" while on the path, "done" after

    def visit(node, path):
        state[node] = "open"
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target):], target]
            if target not in state:
                cycle = visit(target, path)
                if cycle:
                    return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return None


class ImportCycleTests(SimpleTestCase):
    def test_the_walk_sees_the_apps_modules_and_their_lazy_imports(self):
        graph = import_graph()
        self.assertIn("articles.workflow", graph)
        self.assertIn("comments.moderation", graph)
        self.assertIn("articles.models", graph["comments.models"])
        # Function-level imports count: bylines is imported inside Article.byline().
        self.assertIn("articles.bylines", graph["articles.models"])

    def test_no_import_cycle_inside_articles_or_comments(self):
        cycle = find_cycle(import_graph())
        self.assertIsNone(cycle, "import cycle: " + " → ".join(cycle or []))

    def test_the_cycle_finder_names_a_cycle(self):
        graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
        self.assertEqual(find_cycle(graph), ["a", "b", "c", "a"])
