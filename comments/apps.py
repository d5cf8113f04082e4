from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Bình luận")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from articles import caching
        from newsroom import cache
        from newsroom.text import normalize_models_on_save

        from . import default_words, reading, rules
        from .models import Word

        normalize_models_on_save(self)
        # A reader holding it sees their own held comments: pages differ for them.
        caching.register_reader_cookie(reading.PENDING_COOKIE)
        # Housekeeping: a changed word list rebuilds the rules' cached lexicon.
        for signal in (post_save, post_delete):
            signal.connect(rules.words_changed, sender=Word, dispatch_uid="comments-word-lexicon")
        # A default word a moderator deletes or renames is never loaded again.
        post_delete.connect(
            default_words.remember_removal, sender=Word, dispatch_uid="comments-word-removed"
        )
        pre_save.connect(
            default_words.remember_rename, sender=Word, dispatch_uid="comments-word-renamed"
        )
        # A word changed while the shared cache was down told no other process.
        cache.on_recovery(rules.words_changed_during_outage)
