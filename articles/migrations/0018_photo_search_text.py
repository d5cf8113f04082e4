from django.db import migrations, models

from newsroom.text import fold


def fill_search_text(apps, schema_editor):
    Photo = apps.get_model("articles", "Photo")
    photos = Photo.objects.only("alt_text", "caption", "creator", "credit_line", "image")
    for photo in photos.iterator():
        parts = [photo.alt_text, photo.caption, photo.creator, photo.credit_line,
                 (photo.image.name or "").rsplit("/", 1)[-1]]
        photo.search_text = fold(" ".join(part for part in parts if part))
        photo.save(update_fields=["search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0017_contributor_default_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
