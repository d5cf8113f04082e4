"""The plan entry an article was written for, on the article's admin page."""

from django import template

from ..models import PlanEntry

register = template.Library()


@register.simple_tag
def plan_entry_of(article):
    """The entry ``article`` was written for, or None (one query; none for a new article)."""
    if article is None or article.pk is None:
        return None
    return PlanEntry.objects.filter(article=article).select_related("slot").first()
