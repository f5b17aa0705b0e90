"""Images re-encoded from their pixels alone: no EXIF (with its GPS position), XMP, ICC
profile, text or comment survives. Guarded against decompression bombs: an image that would
unpack to more than `MAX_PIXELS` pixels is refused before its pixels are decoded. Before the
metadata goes, `capture_facts` reads the capture time and place for the chain of custody."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, features

from .types import JPEG, PNG, WEBP, FileType, damaged_image

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATE_TIME_ORIGINAL = 0x9003
_GPS_LATITUDE_REF, _GPS_LATITUDE, _GPS_LONGITUDE_REF, _GPS_LONGITUDE = 1, 2, 3, 4

# Photos larger than this many pixels are refused (a phone's 200-megapixel mode is not needed
# to document a cell, and it guards against decompression bombs). Pillow's own guard
# (`Image.MAX_IMAGE_PIXELS`, about 89 million) is higher: past it, Pillow refuses to open the
# image at all, and the same message is given.
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 90


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "The image is too large (%(width)s × %(height)s pixels); "
            "the largest accepted has %(megapixels)s million pixels."
        )
        % {"width": width, "height": height, "megapixels": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _bomb() -> ValidationError:
    return ValidationError(
        _(
            "The image has too many pixels to be opened safely; "
            "the largest accepted has %(megapixels)s million pixels."
        )
        % {"megapixels": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def reencode(data: bytes, *, transpose: bool) -> tuple[bytes, FileType]:
    """The image's pixels alone, encoded again in its own format (WebP: PNG where Pillow
    lacks WebP). `transpose` first turns the pixels as the EXIF orientation says."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                source_format = probe.format or ""
                width, height = probe.size
                probe.verify()
            if width * height > MAX_PIXELS:
                raise _too_many_pixels(width, height)
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                target = _target_type(source_format)
                upright = ImageOps.exif_transpose(image) if transpose else image
                pixels = _plain_pixels(upright, target)
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _bomb() from exc
        except Exception as exc:  # malformed images raise all sorts (OSError, struct.error, ...)
            raise damaged_image() from exc
    out = io.BytesIO()
    if target is JPEG:
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif target is WEBP:
        pixels.save(out, "WEBP", quality=JPEG_QUALITY)
    else:
        pixels.save(out, "PNG", optimize=True)
    return out.getvalue(), target


def _target_type(source_format: str) -> FileType:
    if source_format in ("JPEG", "MPO"):
        return JPEG
    if source_format == "PNG":
        return PNG
    if source_format == "WEBP":
        return WEBP if features.check("webp") else PNG
    raise damaged_image()


def _plain_pixels(image: Image.Image, target: FileType) -> Image.Image:
    """A new image holding only the pixels: no EXIF, GPS, XMP, ICC profile, text or comment
    can come along, whatever the encoder would otherwise copy from `image.info`."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if target is JPEG:
        mode = "L" if image.mode in ("1", "L") else "RGB"
    elif has_alpha:
        mode = "RGBA"
    else:
        mode = "L" if image.mode in ("1", "L") else "RGB"
    converted = image if image.mode == mode else image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def capture_facts(data: bytes) -> tuple[str | None, float | None, float | None]:
    """The EXIF capture time (DateTimeOriginal, "YYYY-MM-DD HH:MM:SS") and GPS position
    (decimal degrees) of a photo, each None when absent or unreadable. Called on an image the
    check has already opened safely."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
            when = exif.get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL)
            gps = exif.get_ifd(_GPS_IFD)
    except Exception:  # a photo without readable EXIF simply has no capture facts
        return None, None, None
    captured_at = _exif_time(when)
    latitude = _degrees(gps.get(_GPS_LATITUDE), gps.get(_GPS_LATITUDE_REF), "S")
    longitude = _degrees(gps.get(_GPS_LONGITUDE), gps.get(_GPS_LONGITUDE_REF), "W")
    if latitude is None or longitude is None:
        latitude = longitude = None
    return captured_at, latitude, longitude


def _exif_time(value: object) -> str | None:
    """ "2024:03:05 14:22:01" as "2024-03-05 14:22:01"; None for anything else."""
    text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
    if not isinstance(text, str) or len(text.strip("\x00 ")) < 19:
        return None
    text = text.strip("\x00 ")[:19]
    date, _sep, time = text.partition(" ")
    if len(date) != 10 or len(time) != 8:
        return None
    return f"{date.replace(':', '-')} {time}"


def _degrees(value: object, ref: object, negative: str) -> float | None:
    """Degrees, minutes and seconds as a signed decimal (south and west negative)."""
    try:
        d, m, s = (float(part) for part in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    sign = -1.0 if str(ref or "").strip().upper().startswith(negative) else 1.0
    return round(sign * (d + m / 60 + s / 3600), 7)
