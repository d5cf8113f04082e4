"""The article body's rich text: one configuration for the admin editor and
for the allow-list that sanitises every body on save."""

from django_prose_editor.fields import create_sanitizer

BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
    "History": True,
}

sanitize_body = create_sanitizer(BODY_EXTENSIONS)
