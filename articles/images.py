"""Photo uploads: accept only real JPEG, PNG or WebP, within byte and pixel
caps, upright, re-encoded without any metadata (no EXIF, no GPS)."""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from newsroom.text import slugify

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _limits():
    return settings.NEWSROOM["PHOTO_MAX_BYTES"], settings.NEWSROOM["PHOTO_MAX_PIXELS"]


def _to_srgb(image):
    """Convert to sRGB using the embedded ICC profile, then drop the profile."""
    icc = image.info.get("icc_profile")
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
            )
        except (ImageCms.PyCMSError, OSError):
            pass  # a broken profile: keep the pixels as they are
    return image


def clean_photo(upload):
    """Validate an uploaded file and return a clean re-encoded ``ContentFile``.

    Raises ``ValidationError`` with a translated message for anything that is
    not a real, reasonably sized JPEG, PNG or WebP image.
    """
    max_bytes, max_pixels = _limits()
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > max_bytes:
        raise ValidationError(
            _("Tệp ảnh quá lớn (%(size)s). Giới hạn là %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            code="too_big",
        )
    upload.seek(0)
    data = upload.read()
    not_image = ValidationError(
        _("Tệp này không phải ảnh JPEG, PNG hoặc WebP hợp lệ."), code="invalid_image"
    )
    too_many_pixels = ValidationError(
        _("Ảnh có quá nhiều điểm ảnh (giới hạn %(max)s megapixel).")
        % {"max": max_pixels // 1_000_000},
        code="too_many_pixels",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Only our three decoders are tried: never EPS (Ghostscript), SVG…
            with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
                if probe.width * probe.height > max_pixels:
                    raise too_many_pixels
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
            fmt = image.format
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_image from None
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        save_kwargs = {"quality": 88, "optimize": True, "progressive": True}
    elif fmt == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        save_kwargs = {"quality": 85}
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        save_kwargs = {"optimize": True}
    # A fresh image carries no info dict: nothing of the original's EXIF, XMP,
    # ICC or comments is written.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format=fmt, **save_kwargs)
    stem = slugify(getattr(upload, "name", "").rsplit("/", 1)[-1].rsplit(".", 1)[0])[:60]
    return ContentFile(out.getvalue(), name=f"{stem or 'anh'}.{FORMATS[fmt]}")
