"""Structured data and sharing tags for the article page.

{% article_meta as meta %}
{% json_ld meta.json_ld %}
{% social_tags meta %}
"""

import json

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..meta import ArticleMeta

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the script.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def article_meta(context):
    """The page's ArticleMeta, built from the rows the view already loaded."""
    return ArticleMeta(
        context["article"],
        tags=context.get("tags"),
        lead_use=context.get("lead_use"),
        corrections=context.get("corrections"),
    )


@register.simple_tag
def json_ld(data):
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    # < > & are escaped above, as json_script does.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag
def social_tags(meta):
    return format_html_join(
        "\n  ", '<meta {}="{}" content="{}">', meta.social_tags()
    ) or format_html("")
