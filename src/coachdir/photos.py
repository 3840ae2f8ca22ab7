"""Coach photos: checked by their content, published without their metadata.

A photo is accepted when its bytes decode as a still JPEG, PNG or WebP image of the kind its
extension says, within the programme's size and pixel caps (``photos`` in ``programme.yml``).
The caps are checked before anything is decoded: the file size from the file system (or the
git object), the width and height from the image header, so a small file that would expand
into a huge bitmap (a decompression bomb) is refused without being decoded.

The published copy is re-encoded from the pixels (orientation applied), so EXIF (GPS, camera,
dates), XMP, IPTC, text chunks and ICC profiles never reach the site.

Messages never quote the file's content; they name the file, what is wrong and how to fix it.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PIXELS",
    "FORMATS",
    "PhotoIssue",
    "PhotoLimits",
    "check_bytes",
    "check_file",
    "publish",
]

#: file extension -> the Pillow format its content must have
FORMATS: dict[str, str] = {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}
_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
_EXTENSION = {fmt: ext for ext, fmt in FORMATS.items()}

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_MAX_PIXELS = 25_000_000
#: the problem ids this module reports
PROBLEM_IDS = (
    "file.unreadable",
    "photo.format",
    "photo.extension",
    "photo.too-large",
    "photo.too-many-pixels",
    "photo.animated",
    "photo.damaged",
)


@dataclass(frozen=True)
class PhotoLimits:
    """The caps a photo must respect (``photos.max_bytes``, ``photos.max_pixels``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_pixels: int = DEFAULT_MAX_PIXELS

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any] | None) -> PhotoLimits:
        """The limits of a ``photos`` mapping (missing or non-integer values: the defaults)."""
        settings = settings if isinstance(settings, Mapping) else {}
        return cls(
            _positive_int(settings.get("max_bytes"), DEFAULT_MAX_BYTES),
            _positive_int(settings.get("max_pixels"), DEFAULT_MAX_PIXELS),
        )


def _positive_int(value: object, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default


@dataclass(frozen=True)
class PhotoIssue:
    """Why a photo is refused: a message (without the file's content), a rule id, a hint."""

    message: str
    rule: str
    hint: str


def _megabytes(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1000:
        return f"{size / 1000:.1f} kB"
    return f"{size} bytes"


def _megapixels(pixels: int) -> str:
    return f"{pixels:,} pixels"


def check_file(path: Path, name: str, limits: PhotoLimits) -> PhotoIssue | None:
    """Check the photo file ``path``; ``name`` (``photos/<id>.<ext>``) is how messages call it."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return _too_large(name, size, limits)
        with open(path, "rb") as handle:
            raw = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        return PhotoIssue(
            f"photo: {name} cannot be read: {exc.strerror}",
            "file.unreadable",
            "Check that the picture file is readable, then commit it again.",
        )
    return check_bytes(raw, name, limits)


def _too_large(name: str, size: int, limits: PhotoLimits) -> PhotoIssue:
    return PhotoIssue(
        f"photo: {name} is {_megabytes(size)}; photos may be at most "
        f"{_megabytes(limits.max_bytes)}",
        "photo.too-large",
        "Export a smaller copy (a portrait of about 800 × 800 pixels is plenty).",
    )


def check_bytes(raw: bytes, name: str, limits: PhotoLimits) -> PhotoIssue | None:
    """Check a photo's bytes against its name's extension and the limits; None when valid."""
    if len(raw) > limits.max_bytes:
        return _too_large(name, len(raw), limits)
    extension = name.rpartition(".")[2].lower()
    expected = FORMATS.get(extension)
    not_an_image = PhotoIssue(
        f"photo: {name} is not a JPEG, PNG or WebP image",
        "photo.format",
        "Export the picture as JPEG, PNG or WebP from an image editor; renaming a file does "
        "not change its format.",
    )
    if expected is None:
        return not_an_image
    damaged = PhotoIssue(
        f"photo: {name} cannot be decoded: the image is damaged or incomplete",
        "photo.damaged",
        "Export the picture again from an image editor and replace the file.",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the header is read here: format, width and height, nothing decoded.
            with Image.open(io.BytesIO(raw), formats=list(FORMATS.values())) as image:
                found = image.format or ""
                width, height = image.size
                frames = int(getattr(image, "n_frames", 1))
                if found not in _EXTENSION:  # pragma: no cover - formats= restricts it
                    return not_an_image
                if width * height > limits.max_pixels:
                    return _too_many_pixels(name, width, height, limits)
                if found != expected:
                    right = f"{name.rpartition('.')[0]}.{_EXTENSION[found]}"
                    return PhotoIssue(
                        f"photo: {name} is a {_NAMES[found]} image, but its name ends in "
                        f".{extension}",
                        "photo.extension",
                        f"Rename the file to {right} and write photo: {right}, or export it "
                        f"as {_NAMES[expected]}.",
                    )
                if frames > 1:
                    return PhotoIssue(
                        f"photo: {name} is animated ({frames} frames)",
                        "photo.animated",
                        "Use a still picture.",
                    )
                image.verify()
            # verify() leaves the image unusable; decode it fully (its size is now known to be
            # within the limits) to catch truncated or corrupt pixel data.
            with Image.open(io.BytesIO(raw), formats=[expected]) as image:
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return PhotoIssue(
            f"photo: {name} has too many pixels; photos may have at most "
            f"{_megapixels(limits.max_pixels)}",
            "photo.too-many-pixels",
            "Export a smaller copy (a portrait of about 800 × 800 pixels is plenty).",
        )
    except UnidentifiedImageError:
        return not_an_image
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError):
        return damaged
    return None


def _too_many_pixels(name: str, width: int, height: int, limits: PhotoLimits) -> PhotoIssue:
    return PhotoIssue(
        f"photo: {name} is {width} × {height} pixels ({width * height:,}); photos "
        f"may have at most {_megapixels(limits.max_pixels)}",
        "photo.too-many-pixels",
        "Export a smaller copy (a portrait of about 800 × 800 pixels is plenty).",
    )


def publish(source: Path) -> bytes:
    """The published copy of a validated photo: its pixels re-encoded, without metadata.

    The EXIF orientation is applied to the pixels first, then every metadata block is left
    out: EXIF (GPS, camera, dates), XMP, IPTC, PNG text chunks, ICC profiles, comments.
    Raises OSError (or a Pillow error) if the file cannot be read or decoded.
    """
    with Image.open(source, formats=list(FORMATS.values())) as image:
        fmt = image.format or ""
        image.load()
        upright = ImageOps.exif_transpose(image)
    transparency = upright.info.get("transparency") if fmt == "PNG" else None
    upright.info.clear()
    out = io.BytesIO()
    if fmt == "JPEG":
        upright.save(out, "JPEG", quality=90, exif=b"", icc_profile=None)
    elif fmt == "PNG":
        extra: dict[str, Any] = {}
        if transparency is not None:
            extra["transparency"] = transparency
        upright.save(out, "PNG", exif=b"", icc_profile=None, **extra)
    else:
        upright.save(out, "WEBP", quality=90, exif=b"", icc_profile=None, xmp=b"")
    return out.getvalue()
