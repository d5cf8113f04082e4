"""Two "Viết bài" clicks at once make one article (PostgreSQL: real row locks)."""

import threading
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase

from articles.models import Article
from articles.planning.models import PlanEntry, Stage
from articles.workflow import InvalidTransition
from tests.factories import make_editor, make_reporter

from .factories import make_entry


@skipUnless(connection.vendor == "postgresql", "SQLite has no row locks; needs PostgreSQL")
class ConcurrentWriteTests(TransactionTestCase):
    # No serialized_rollback: after a browser test's flush, restoring the migrations'
    # content types collides with the ones made again (see test_app_servers.py).
    # The groups the plan's permissions go to are made again here.

    def setUp(self):
        from tests.e2e.test_journeys import ensure_groups
        from tests.e2e.test_planning_journey import ensure_plan_permissions

        ensure_groups()
        ensure_plan_permissions()

    def test_two_clicks_at_once_make_one_article(self):
        reporter = make_reporter()
        entry = make_entry(proposed_by=reporter, reporter=reporter)
        entry.approve(make_editor())
        barrier = threading.Barrier(2)
        outcomes = []

        def click():
            stale = PlanEntry.objects.get(pk=entry.pk)  # each tab read it approved
            try:
                barrier.wait()
                outcomes.append(stale.start_writing(reporter).pk)
            except InvalidTransition:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=click) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(len(outcomes), 2)
        self.assertEqual(outcomes.count("refused"), 1)
        entry.refresh_from_db()
        self.assertEqual(entry.state, Stage.WRITING)
        self.assertEqual(list(Article.objects.values_list("pk", flat=True)), [entry.article_id])
