"""One entry point for every status change (issue 10): every admin button and
bulk action, the scheduler and the importer make their change through the
Article's transition methods, and each leaves an Event."""

from datetime import timedelta
from io import StringIO
from unittest import mock

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from articles import roles, workflow
from articles.models import ApprovalChain, Article, Event
from tests.articles.test_import import ARCHIVE_GATES, MAIN, ImportTestCase
from tests.articles.test_workflow_admin import (
    CHANGELIST,
    AdminWorkflowTestCase,
    correct_url,
    transition_url,
)

Status = Article.Status

# What each button posts besides its name.
BUTTON_DATA = {"note": "Ghi chú của tòa soạn.", "reason": "editorial"}


def spy(name):
    """Article.<name>, still doing its work, recording its calls."""
    return mock.patch.object(Article, name, autospec=True, side_effect=getattr(Article, name))


class AdminEntryPointTests(AdminWorkflowTestCase):
    def test_every_button_goes_through_its_transition_method(self):
        for name, spec in workflow.TRANSITIONS.items():
            with self.subTest(name):
                # Pulling back is the author's own; approving is never one's own.
                author = self.superuser if name == "pull_back" else self.reporter
                article = self.article(spec.sources[0], created_by=author)
                self.make_applicable(name, article)
                self.login(self.superuser)
                with spy(name) as method:
                    self.client.post(transition_url(article, name), BUTTON_DATA)
                method.assert_called_once()
                self.assertEqual(method.call_args.args[0].pk, article.pk)
                event = Event.objects.filter(article=article).latest("pk")
                self.assertEqual((event.action, event.actor), (name, self.superuser))

    def make_applicable(self, name, article):
        """The state a level's button needs besides the status: a level approved
        before the current one (send back), the sensitive mark (lift it)."""
        if name == "send_back":
            chain = ApprovalChain.objects.create(name="Hai cấp")
            chain.sections.set([article.section])
            chain.levels.create(position=1, group=Group.objects.get(name=roles.EDITORS),
                                label="Biên tập viên")
            chain.levels.create(position=2, group=Group.objects.get(name=roles.MANAGING_EDITORS),
                                label="Thư ký tòa soạn")
            article.approve(by=self.editor)
        elif name == "unmark_sensitive":
            Article.objects.filter(pk=article.pk).update(is_sensitive=True)
        article.refresh_from_db()

    def test_the_correction_button_goes_through_article_correct(self):
        article = self.article(Status.PUBLISHED, published_at=timezone.now())
        self.login(self.superuser)
        with spy("correct") as method:
            self.client.post(correct_url(article), {"kind": "correction", "text": "Sửa số."})
        method.assert_called_once()
        self.assertEqual(Event.objects.get(article=article).action, "correct")

    def test_bulk_actions_go_through_the_transition_methods(self):
        for action, name, status in [
            ("approve_selected", "approve", Status.IN_REVIEW),
            ("publish_selected", "publish", Status.APPROVED),
        ]:
            with self.subTest(action):
                articles = [self.article(status) for _ in range(2)]
                self.login(self.superuser)
                with spy(name) as method:
                    self.client.post(
                        CHANGELIST,
                        {"action": action, "_selected_action": [a.pk for a in articles]},
                    )
                self.assertEqual(method.call_count, 2)
                self.assertEqual(
                    Event.objects.filter(article__in=articles, action=name).count(), 2
                )


class CommandEntryPointTests(ImportTestCase):
    @ARCHIVE_GATES
    def test_the_importer_publishes_through_publish_by_command(self):
        with spy("publish_by_command") as method:
            self.run_import(MAIN, section="nong-nghiep", publish=True, photo=self.photo())
        method.assert_called_once()
        article = Article.objects.get()
        self.assertEqual(
            list(article.events.order_by("id").values_list("action", flat=True)),
            ["submit", "approve", "publish"],
        )

    def test_the_scheduler_publishes_through_publish_scheduled(self):
        article = self.scheduled()
        with spy("publish_scheduled") as method:
            call_command("publish_scheduled", stdout=StringIO())
        method.assert_called_once()
        self.assertEqual(method.call_args.args[0].pk, article.pk)
        event = Event.objects.get(article=article)
        self.assertEqual((event.action, event.to_status), ("publish_scheduled", Status.PUBLISHED))

    def scheduled(self):
        article = Article.objects.create(headline="Bài hẹn giờ", section=self.section)
        Article.objects.filter(pk=article.pk).update(
            status=Status.SCHEDULED, published_at=timezone.now() - timedelta(minutes=1)
        )
        return article
