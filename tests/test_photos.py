"""Photos: checked by content before anything is decoded, published without metadata."""

from __future__ import annotations

import io
import shutil
import struct
import time
import zlib
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from coachdir.model.coach import build_coaches
from coachdir.photos import PhotoLimits, check_bytes, check_file, publish
from coachdir.site.render import Renderer
from coachdir.validation.engine import validate
from conftest import ROOT, copy_programme

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE] = "SecretCamMaker"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)}
    return exif


def _image(fmt: str, size: tuple[int, int] = (40, 20), **extra: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **extra)
    return out.getvalue()


def _with_metadata(fmt: str, orientation: int = 1) -> bytes:
    extra: dict[str, object] = {"exif": _exif(orientation), "icc_profile": b"SecretICC" * 20}
    if fmt == "JPEG":
        extra["comment"] = b"SecretComment"
    if fmt == "WEBP":
        extra["xmp"] = b"<x:xmpmeta>SecretXMP</x:xmpmeta>"
    return _image(fmt, **extra)


@pytest.mark.parametrize(("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_published_copy_has_no_metadata_and_is_upright(fmt: str, ext: str, tmp_path: Path) -> None:
    source = tmp_path / f"x.{ext}"
    source.write_bytes(_with_metadata(fmt, orientation=6))
    assert b"SecretCamMaker" in source.read_bytes()  # the test input does carry metadata
    assert check_file(source, f"photos/x.{ext}", PhotoLimits()) is None
    published = publish(source)
    for secret in (b"SecretCamMaker", b"SecretICC", b"SecretComment", b"SecretXMP", b"Exif"):
        assert secret not in published
    with Image.open(io.BytesIO(published)) as image:
        assert image.format == fmt
        assert image.size == (20, 40)  # orientation 6 (rotated 90°) applied to the pixels
        assert not image.getexif()
        assert "icc_profile" not in image.info and "exif" not in image.info


def test_png_transparency_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "x.png"
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(source, "PNG")
    with Image.open(io.BytesIO(publish(source))) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0)) == (0, 0, 0, 0)


def test_the_site_build_publishes_the_stripped_copy(tmp_path: Path) -> None:
    prog = copy_programme(tmp_path / "prog", coaches=False)
    shutil.rmtree(prog / "coaches")
    shutil.copytree(ROOT / "tests" / "golden" / "input" / "coaches", prog / "coaches")
    shutil.copy(ROOT / "mkdocs.yml", prog / "mkdocs.yml")
    (prog / "coaches" / "photos" / "yann-caradec.png").write_bytes(_with_metadata("PNG"))
    today = date(2026, 11, 22)
    report = validate(prog, today=today, full=True)
    assert report.ok and report.programme is not None, report.problems
    coaches = build_coaches(report.profiles, report.programme, today.isoformat())
    Renderer(prog, report.programme, coaches).render(tmp_path / "build")
    for lang in ("fr", "en"):
        published = (tmp_path / "build" / lang / "photos" / "yann-caradec.png").read_bytes()
        assert b"SecretCamMaker" not in published and b"SecretICC" not in published
        assert Image.open(io.BytesIO(published)).size == (40, 20)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a tiny (wrong) body: a would-be bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [6000, 60000])
def test_pixel_cap_is_checked_from_the_header_before_decoding(side: int) -> None:
    # 36 MP is over the default cap; 3.6 GP is past Pillow's own bomb limit too.
    start = time.perf_counter()
    issue = check_bytes(_png_header_only(side, side), "photos/x.png", PhotoLimits())
    assert issue is not None and issue.rule == "photo.too-many-pixels"
    assert time.perf_counter() - start < 1.0  # nothing was decoded


def test_limits_come_from_the_settings() -> None:
    jpeg = _image("JPEG", (100, 100))
    assert check_bytes(jpeg, "photos/x.jpg", PhotoLimits()) is None
    tight = PhotoLimits.from_settings({"max_pixels": 9999})
    issue = check_bytes(jpeg, "photos/x.jpg", tight)
    assert issue is not None and issue.rule == "photo.too-many-pixels"
    issue = check_bytes(jpeg, "photos/x.jpg", PhotoLimits.from_settings({"max_bytes": 100}))
    assert issue is not None and issue.rule == "photo.too-large"
    assert PhotoLimits.from_settings(None) == PhotoLimits()
    assert PhotoLimits.from_settings({"max_bytes": True}) == PhotoLimits()


def test_too_large_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    big = tmp_path / "x.webp"
    with open(big, "wb") as handle:  # a sparse 30 MB file of nothing
        handle.truncate(30_000_000)
    issue = check_file(big, "photos/x.webp", PhotoLimits())
    assert issue is not None and issue.rule == "photo.too-large"
    assert "30.0 MB" in issue.message


def test_messages_never_quote_the_content() -> None:
    issue = check_bytes(b"<script>SecretScript()</script>", "photos/x.jpg", PhotoLimits())
    assert issue is not None and issue.rule == "photo.format"
    assert "Secret" not in issue.message + issue.hint
