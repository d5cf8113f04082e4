from django import template

from articles.admin import photos

register = template.Library()


@register.simple_tag
def photo_dimensions(photo):
    """``{% photo_dimensions photo %}``: "1600 × 1067", marked when narrow (the library grid)."""
    return photos.dimensions(photo)
