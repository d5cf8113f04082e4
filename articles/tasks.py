"""Work done after a photo is saved or deleted, so that no reader waits for it.

``build_renditions`` runs on the task backend of ``settings.TASKS`` (in the
request by default, on ``manage.py run_worker`` with the database backend). The
hooks below queue it, and delete the files a photo no longer has, only once the
transaction commits: a rollback leaves every file where it was.

``Photo.save`` calls ``photo_changed`` here, so this module does not import
``models``: it looks the Photo model up in the app registry when it runs.
"""

import logging
from functools import partial

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import transaction
from django.tasks import task
from PIL import Image, UnidentifiedImageError

from newsroom.worker.retry import retrying

from . import purges, renditions

logger = logging.getLogger(__name__)


def _photos():
    return apps.get_model("articles", "Photo").objects


@task
def build_renditions(photo_id, attempt=1):
    """Delete the renditions the photo no longer uses (an earlier image or focal
    point) and build every one it does. Returns how many were built.

    Run twice, it builds nothing twice: ``ensure`` asks the storage what exists,
    and each file is renamed into place whole, so a run after a worker died
    mid-task builds only the files the dead one had not finished. An image that
    cannot be read is logged and not retried (pages keep the original); any other
    failure (storage, database) is retried later (``worker.retry``)."""
    with retrying(build_renditions, photo_id, attempt=attempt):
        photo = _photos().filter(pk=photo_id).first()
        if photo is None:  # deleted meanwhile: photo_deleted removes its files
            return 0
        usable = renditions.renderable(photo)
        renditions.prune(photo.pk, keep=renditions.standard_names(photo) if usable else ())
        if not usable:
            return 0
        try:
            _made, built = renditions.ensure(
                photo, renditions.standard_specs(photo), use_cache=False
            )
        except (UnidentifiedImageError, ValueError, Image.DecompressionBombError) as error:
            # Pages fall back to the original; build_renditions lists the photo too.
            logger.warning("Cannot build the renditions of photo %s: %s", photo.pk, error)
            return 0
    if built and not renditions.built_on_pages():
        # Pages cached while the worker was busy show the original: purge them.
        purges.library_row_changed(type(photo), photo)
    return built


def photo_changed(photo, replaced_image=""):
    """Called by ``Photo.save`` for a new photo, a new image or a new focal point."""
    transaction.on_commit(partial(_photo_committed, photo.pk, replaced_image), robust=True)


def _photo_committed(photo_id, replaced_image):
    # A photo replaced (e.g. for legal reasons) must not stay at its old address,
    # neither the original nor its renditions, even before a worker runs the task.
    if replaced_image:
        _delete_image(replaced_image)
        photo = _photos().filter(pk=photo_id).first()
        if photo is not None and renditions.renderable(photo):
            renditions.prune(photo_id, keep=renditions.standard_names(photo))
    build_renditions.enqueue(photo_id)


def photo_deleted(sender, instance, **kwargs):
    """``post_delete`` of Photo (also for queryset and admin bulk deletes)."""
    transaction.on_commit(
        partial(_photo_deleted_committed, instance.pk, instance.image.name), robust=True
    )


def _photo_deleted_committed(photo_id, image):
    _delete_image(image)
    renditions.prune(photo_id)


def _delete_image(name):
    if name and not _photos().filter(image=name).exists():
        default_storage.delete(name)
