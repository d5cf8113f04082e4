from django import template

from articles import renditions

register = template.Library()


@register.simple_tag
def picture_for(photo, ratio="original", widths="full"):
    """``{% picture_for photo "16x9" "thumbnail" as pic %}``: a ``Picture`` with
    the WebP and JPEG srcsets, or ``None`` to fall back to the original file."""
    return renditions.picture(photo, ratio or renditions.ORIGINAL, renditions.WIDTH_SETS[widths])
