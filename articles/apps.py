from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Bài viết")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

        from newsroom import cache
        from newsroom.text import normalize_models_on_save

        from . import caching, navigation, purges, tasks
        from .search import terms

        normalize_models_on_save(self)
        post_delete.connect(
            tasks.photo_deleted, sender=self.get_model("Photo"), dispatch_uid="photo-files"
        )
        checks.register(caching.check_middleware, checks.Tags.caches)
        checks.register(caching.check_shared_cache, checks.Tags.caches, deploy=True)
        navigation.connect()
        # Purges lost while the shared cache was down (newsroom/cache.py).
        cache.on_recovery(caching.forget_every_page)
        cache.on_recovery(navigation.forget_menu_after_outage)
        # Housekeeping: a library row's change purges the pages showing it.
        for model in ("Section", "Tag", "Contributor", "Role", "Photo"):
            for signal in (post_save, post_delete):
                signal.connect(
                    purges.library_row_changed,
                    sender=self.get_model(model),
                    dispatch_uid=f"purge-{model}-{signal is post_save}",
                )
        # Housekeeping: the search document follows an article's tags and credits.
        credit = self.get_model("Credit")
        post_save.connect(terms.credit_changed, sender=credit, dispatch_uid="search-credit-saved")
        post_delete.connect(terms.credit_changed, sender=credit, dispatch_uid="search-credit-gone")
        m2m_changed.connect(
            terms.tags_changed, sender=self.get_model("TaggedArticle"), dispatch_uid="search-tags"
        )
        pre_delete.connect(
            terms.article_deleted, sender=self.get_model("Article"), dispatch_uid="search-article"
        )
