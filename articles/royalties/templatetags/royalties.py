from django import template

from ..statements import money

register = template.Library()


@register.filter
def dong(value):
    """An amount of đồng with the locale's grouping: 1.234.567."""
    return money(value)
