"""Responsive photo renditions: focal-point crops at fixed ratios and widths,
in WebP and JPEG, generated once with Pillow and kept in ``default_storage``.

A rendition's name is computed from the photo alone (image name, focal point,
ratio, width, format), without touching the disk or the database, so a page
only asks the cache whether the files exist. They are built after a photo is
saved (``articles.tasks``), by ``manage.py build_renditions``, and, as a safety
net when tasks run in the request, on first use (once; then they stay stored).
``prune`` deletes the ones a photo no longer uses, with the Storage API only
(any storage works).

Renditions are drawn onto a fresh Pillow image and saved without ``exif`` or
``icc_profile``, so they never carry EXIF/GPS even if the stored photo did.
"""

import contextlib
import hashlib
import io
import logging
from dataclasses import dataclass
from fractions import Fraction

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import task_backends
from django.tasks.backends.immediate import ImmediateBackend
from PIL import Image

from newsroom.media import S3_ERRORS, STORAGE_ERRORS

logger = logging.getLogger(__name__)

# Bump to regenerate every rendition after a change in cropping or encoding.
VERSION = 1

RATIOS = {"16x9": Fraction(16, 9), "4x3": Fraction(4, 3), "1x1": Fraction(1, 1)}
ORIGINAL = "original"  # the whole photo, resized only
WIDTHS = (320, 480, 640, 960, 1200, 1600)
THUMBNAIL_WIDTHS = (320, 480, 640)  # list thumbnails: 7.5–11rem, up to 3x screens
WIDTH_SETS = {"full": WIDTHS, "thumbnail": THUMBNAIL_WIDTHS}
FALLBACK_WIDTH = 960
FORMATS = {"webp": "webp", "jpeg": "jpg"}
PIL_FORMATS = {"webp": "WEBP", "jpeg": "JPEG"}
SAVE_OPTIONS = {
    "webp": {"quality": 80, "method": 4},
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
}
CACHE_TIMEOUT = 60 * 60 * 24  # existence of a file; a deleted file heals in a day
SOURCE_FORMATS = ["JPEG", "PNG", "WEBP"]
# After the media storage failed (down, refusing), pages do not ask it again
# for this long: they link to the original, as for an unreadable photo.
STORAGE_DOWN_KEY = "rendition:storage-down"
STORAGE_DOWN_SECONDS = 30


class StorageUnavailable(OSError):
    """The media storage failed less than ``STORAGE_DOWN_SECONDS`` ago."""


@dataclass(frozen=True)
class Rendition:
    name: str  # storage name
    url: str
    width: int
    height: int
    fmt: str  # "webp" or "jpeg"
    ratio: str

    @property
    def mime_type(self):
        return f"image/{self.fmt}"


@dataclass(frozen=True)
class Picture:
    """Everything a ``<picture>`` needs: two srcsets and the fallback image."""

    webp: tuple
    jpeg: tuple

    @property
    def fallback(self):
        """The ``src`` JPEG for browsers without srcset: at most 960 px wide."""
        fitting = [r for r in self.jpeg if r.width <= FALLBACK_WIDTH]
        return fitting[-1] if fitting else self.jpeg[0]

    @property
    def width(self):
        return self.fallback.width

    @property
    def height(self):
        return self.fallback.height

    @property
    def webp_srcset(self):
        return ", ".join(f"{r.url} {r.width}w" for r in self.webp)

    @property
    def jpeg_srcset(self):
        return ", ".join(f"{r.url} {r.width}w" for r in self.jpeg)


# --- Geometry (pure: no I/O) -------------------------------------------------


def _check(ratio, fmt):
    if ratio != ORIGINAL and ratio not in RATIOS:
        raise ValueError(f"unknown ratio {ratio!r}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")


def crop_size(photo, ratio):
    """The largest (width, height) of ``ratio`` that fits inside the photo."""
    w, h = photo.width, photo.height
    if ratio == ORIGINAL:
        return w, h
    r = RATIOS[ratio]
    if Fraction(w, h) > r:  # wider than the ratio: full height
        return max(1, min(w, round(h * r))), h
    return w, max(1, min(h, round(w / r)))


def crop_box(photo, ratio):
    """(left, top, right, bottom) of the crop centred on the focal point,
    shifted so that it stays inside the image."""
    w, h = photo.width, photo.height
    cw, ch = crop_size(photo, ratio)
    fx = min(max(float(photo.focal_x if photo.focal_x is not None else 0.5), 0.0), 1.0)
    fy = min(max(float(photo.focal_y if photo.focal_y is not None else 0.5), 0.0), 1.0)
    left = min(max(round(fx * w - cw / 2), 0), w - cw)
    top = min(max(round(fy * h - ch / 2), 0), h - ch)
    return left, top, left + cw, top + ch


def output_size(photo, ratio, width):
    """(width, height) of a rendition: never wider than the crop (no upscaling)."""
    cw, ch = crop_size(photo, ratio)
    width = max(1, min(int(width), cw))
    if ratio == ORIGINAL:
        return width, max(1, round(width * ch / cw))
    r = RATIOS[ratio]
    return width, max(1, round(width / r))


def widths_for(photo, ratio, widths=WIDTHS):
    """The srcset widths for a photo: the standard ones below the crop's width,
    plus the crop's own width when it is smaller than the largest standard one."""
    cw, _ch = crop_size(photo, ratio)
    top = min(cw, max(widths))
    return sorted({w for w in widths if w < top} | {top})


def rendition_name(photo, ratio, width, fmt):
    width, _height = output_size(photo, ratio, width)
    key = "|".join(
        [
            str(VERSION),
            photo.image.name,
            f"{photo.focal_x:.4f}",
            f"{photo.focal_y:.4f}",
            ratio,
            str(width),
            fmt,
        ]
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"renditions/{photo.pk}/{ratio}-{width}w-{digest}.{FORMATS[fmt]}"


def _describe(photo, ratio, width, fmt):
    name = rendition_name(photo, ratio, width, fmt)
    w, h = output_size(photo, ratio, width)
    return Rendition(name, default_storage.url(name), w, h, fmt, ratio)


def renderable(photo):
    """Whether renditions can be made of ``photo``: a saved photo with a file
    and known dimensions (else pages fall back to the original, or nothing)."""
    return bool(photo is not None and photo.pk and photo.image and photo.width and photo.height)


# --- Generation --------------------------------------------------------------


def _open_source(photo):
    with photo.image.open("rb") as source:
        data = source.read()
    image = Image.open(io.BytesIO(data), formats=SOURCE_FORMATS)
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    image.load()
    return image


def _encode(source, photo, ratio, width, fmt):
    """Bytes of one rendition, drawn on a fresh image: no EXIF, XMP or ICC."""
    size = output_size(photo, ratio, width)
    box = crop_box(photo, ratio) if ratio != ORIGINAL else (0, 0, photo.width, photo.height)
    if source.size != (photo.width, photo.height):  # the stored file changed under us
        sx, sy = source.width / photo.width, source.height / photo.height
        box = (box[0] * sx, box[1] * sy, box[2] * sx, box[3] * sy)
    image = source
    if fmt == "jpeg":
        if image.mode in ("RGBA", "LA", "P", "PA"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    resized = image.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    clean = Image.new(resized.mode, resized.size)
    clean.paste(resized)
    out = io.BytesIO()
    clean.save(out, format=PIL_FORMATS[fmt], **SAVE_OPTIONS[fmt])
    return out.getvalue()


def _write(name, data):
    """Write ``data`` under exactly ``name``, through the storage API only (the
    local disk and a bucket alike). Two processes racing write the same bytes:
    if the name was taken meanwhile, the storage saved ours under another name,
    which is deleted, and theirs is kept."""
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        default_storage.delete(saved)


def _cache_key(name):
    return f"rendition:{name}"


def built_on_pages():
    """Whether a page builds a missing rendition itself: only when tasks run in
    the request (the immediate backend, development). With a worker, a page shows
    the original until the worker has built the renditions: a burst of readers
    never encodes images, and a worker that is down only delays them."""
    return isinstance(task_backends["default"], ImmediateBackend)


def ensure(photo, specs, use_cache=True, build=True):
    """Make sure the renditions ``specs`` [(ratio, width, fmt)…] of ``photo``
    exist. Returns (renditions, number generated). One cache round trip when
    everything exists; the source is decoded at most once. ``use_cache=False``
    asks the storage itself (the build command: a file deleted by hand is rebuilt).
    ``build=False`` builds nothing: (None, 0) when one is missing."""
    renditions = [_describe(photo, *spec) for spec in specs]
    keys = {_cache_key(r.name): r for r in renditions}
    known = cache.get_many([*keys, STORAGE_DOWN_KEY]) if use_cache else {}
    missing = [r for key, r in keys.items() if key not in known]
    if not missing:
        return renditions, 0
    if known.get(STORAGE_DOWN_KEY):
        raise StorageUnavailable("the media storage failed a moment ago")
    try:
        built = _build_missing(photo, missing, build)
    except S3_ERRORS:
        # Unreachable or refusing: the next pages fall back at once instead of
        # each waiting for the timeout (README "Object storage for media").
        cache.set(STORAGE_DOWN_KEY, True, STORAGE_DOWN_SECONDS)
        raise
    return (None, 0) if built is None else (renditions, built)


def _build_missing(photo, missing, build=True):
    """Ask the storage about the renditions the cache does not know; build the
    absent ones. Returns how many were built; None when one is absent and
    ``build`` is false."""
    present = {}
    to_build = []
    for r in missing:
        if default_storage.exists(r.name):
            present[_cache_key(r.name)] = True
        else:
            to_build.append(r)
    built = 0
    if to_build and not build:
        cache.set_many(present, CACHE_TIMEOUT)
        return None
    if to_build:
        source = _open_source(photo)
        for r in to_build:
            _write(r.name, _encode(source, photo, r.ratio, r.width, r.fmt))
            present[_cache_key(r.name)] = True
            built += 1
    cache.set_many(present, CACHE_TIMEOUT)
    return built


def standard_specs(photo, ratios=None):
    """Every rendition the site uses for ``photo``: each ratio × width × format."""
    specs = []
    for ratio in ratios or [*RATIOS, ORIGINAL]:
        for width in widths_for(photo, ratio):
            for fmt in FORMATS:
                specs.append((ratio, width, fmt))
    return specs


def standard_names(photo):
    """The storage names of every rendition the site uses for ``photo``."""
    return {rendition_name(photo, *spec) for spec in standard_specs(photo)}


def prune(photo_id, keep=()):
    """Delete the files in ``renditions/<photo_id>/`` whose names are not in
    ``keep`` (storage names), and the folder itself when nothing is kept.
    Returns how many files were deleted."""
    folder = f"renditions/{photo_id}"
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return 0
    stale = [f"{folder}/{name}" for name in files if f"{folder}/{name}" not in keep]
    for name in stale:
        default_storage.delete(name)
    # A name that comes back (focal point set back) must not be taken as existing.
    cache.delete_many([_cache_key(name) for name in stale])
    if not keep and not directories:
        # The empty folder, where folders exist; left if a file appeared meanwhile.
        with contextlib.suppress(OSError):
            default_storage.delete(folder)
    return len(stale)


# --- Public API --------------------------------------------------------------


def rendition(photo, ratio, width, fmt="jpeg"):
    """One rendition of ``photo``: ``ratio`` is "16x9", "4x3", "1x1" or
    "original"; ``fmt`` "jpeg" or "webp". Returns a ``Rendition`` (``url``,
    ``width``, ``height``, ``name``), generating the file if it is missing.

    Never upscales: if the crop at ``ratio`` is narrower than ``width``, the
    rendition is the crop at its full size (the largest possible at that ratio),
    so check ``.width`` when a minimum matters (e.g. 1200 px for Google).

    If the stored file cannot be read (missing, broken), a warning is logged
    and the stored original is returned as a ``Rendition`` (``ratio`` is then
    "original"), so a page never fails because of one broken photo. Raises
    ``ValueError`` for an unknown ratio or format, or a photo without a file.
    """
    _check(ratio, fmt)
    if not renderable(photo):
        raise ValueError("photo has no stored image or no dimensions")
    try:
        renditions, _built = ensure(photo, [(ratio, width, fmt)], build=built_on_pages())
    except (*STORAGE_ERRORS, ValueError, Image.DecompressionBombError) as error:
        logger.warning("Cannot render photo %s: %s", photo.pk, error)
        return _original(photo)
    return renditions[0] if renditions else _original(photo)


def _original(photo):
    name = photo.image.name
    fmt = (
        "webp"
        if name.lower().endswith(".webp")
        else "png"
        if name.lower().endswith(".png")
        else "jpeg"
    )
    return Rendition(name, photo.image.url, photo.width, photo.height, fmt, ORIGINAL)


def picture(photo, ratio=ORIGINAL, widths=WIDTHS):
    """The WebP and JPEG srcsets of ``photo`` at ``ratio`` (a ``Picture``), or
    ``None`` when the photo cannot be rendered (no file, unreadable file): the
    template then falls back to the original image."""
    _check(ratio, "jpeg")
    if not renderable(photo):
        return None
    sizes = widths_for(photo, ratio, widths)
    specs = [(ratio, w, fmt) for fmt in ("webp", "jpeg") for w in sizes]
    try:
        renditions, _built = ensure(photo, specs, build=built_on_pages())
    except (*STORAGE_ERRORS, ValueError, Image.DecompressionBombError) as error:
        logger.warning("Cannot render photo %s: %s", photo.pk, error)
        return None
    if renditions is None:  # the worker has not built them yet: the original
        return None
    n = len(sizes)
    return Picture(webp=tuple(renditions[:n]), jpeg=tuple(renditions[n:]))
