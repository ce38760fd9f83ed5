"""Checks every uploaded file passes, whatever it is attached to, and neutralises what it keeps.

The type is read from the file's first bytes, not from its name or the browser's claim, so a
renamed executable is refused; a right type under a wrong extension is renamed to the type
read. A PDF that runs anything when opened (JavaScript, a launched program, a form sent away)
is refused. An image is decoded and encoded again with Pillow, which drops its metadata
(EXIF, GPS position, comments) and anything hidden after the picture. On disk a file has a
random name; the name kept for display loses any folder, control character and direction
override.
"""

import io
import re
import unicodedata
import uuid
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

SCANS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
PHOTOS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}
SERVED = {**SCANS, **PHOTOS}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# A 50-megapixel phone photo passes; a "decompression bomb" (a small file opening to billions of pixels) does not.
MAX_PIXELS = 64_000_000
NAME_LENGTH = 100

# What makes a PDF act when opened: action types, and the keys that carry scripts.
PDF_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute"}
PDF_KEYS = {"/JS", "/JavaScript"}
PDF_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
PDF_OBJECT_LIMIT = 200_000


def stored_name(filename: str) -> str:
    """A random file name keeping only a known extension: the original (often a person's name) stays in the database."""
    suffix = Path(filename).suffix.lower()
    return f"{uuid.uuid4().hex}{suffix if suffix in SERVED.values() else ''}"


def photo_path(photo, filename: str) -> str:
    return f"{photo.upload_folder}/{stored_name(filename)}"


def display_name(filename: str, suffix: str) -> str:
    """The name shown for a file: no folder, no control or direction characters, the extension of its real type."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c == " " or unicodedata.category(c)[0] not in "CZ")
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 5:
        stem = name
    stem = stem.strip(" .")[:NAME_LENGTH].strip(" .")
    return f"{stem or 'document'}{suffix}"


def check_upload(upload, *, allowed: dict[str, str] = SCANS) -> str:
    """Validate size, real content type and content; returns the content type."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("This file is empty."), code="empty")
    upload.seek(0)
    kind = filetype.guess(upload.read(2048))
    upload.seek(0)
    if kind is None or kind.mime not in allowed:
        names = ", ".join(sorted(ext.lstrip(".").upper() for ext in set(allowed.values())))
        raise ValidationError(_("Only these kinds of file are accepted: %(kinds)s.") % {"kinds": names}, code="type")
    if kind.mime == "application/pdf":
        _check_pdf(upload)
    else:
        _decoded(upload, kind.mime).close()
    return kind.mime


def clean_upload(upload, *, allowed: dict[str, str] = SCANS) -> tuple[File, str]:
    """``check_upload``, then the file to keep: named for its real type, an image encoded again."""
    content_type = check_upload(upload, allowed=allowed)
    name = display_name(upload.name, allowed[content_type])
    if content_type == "application/pdf":
        upload.seek(0)
        return File(upload, name=name), content_type
    with _decoded(upload, content_type) as image:
        return ContentFile(_encoded(image, content_type), name=name), content_type


def clean_photo(upload) -> tuple[File, str]:
    """``clean_upload`` for photos, the error placed on the form's ``image`` field."""
    try:
        return clean_upload(upload, allowed=PHOTOS)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error


def file_response(stored, *, filename: str = "document") -> FileResponse:
    """Serve a stored upload as the type its bytes show: inline only if it is a type we accept, never sniffed."""
    handle = stored.open("rb")
    kind = filetype.guess(handle.read(2048))
    handle.seek(0)
    content_type = kind.mime if kind is not None and kind.mime in SERVED else None
    response = FileResponse(
        handle,
        as_attachment=content_type is None,
        filename=display_name(filename, SERVED.get(content_type, "")),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def delete_file_on_commit(stored) -> None:
    """Remove a stored file once the transaction that stops referring to it has committed."""
    if stored:
        transaction.on_commit(lambda: stored.storage.delete(stored.name))


# --- PDF --------------------------------------------------------------------------------


def _refuse_active_pdf() -> ValidationError:
    return ValidationError(
        _(
            "This PDF contains a script or an action that runs when it is opened; "
            "print it to a new PDF or scan the paper again, and upload that."
        ),
        code="pdf_active",
    )


def _check_pdf(upload) -> None:
    """Refuse a PDF that acts when opened.

    Two checks: every object reachable from the trailer, read with pypdf (so names written with
    ``#xx`` escapes and objects packed in compressed streams are seen), for a ``/JS`` or
    ``/JavaScript`` key (the document's names tree, an ``/OpenAction``, a page's or a field's
    ``/AA``) or an action of a running kind (``/Launch``, ``/SubmitForm``...); and a scan of the
    raw bytes for the same names, which also covers a file too damaged for pypdf to read.
    """
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    outside_streams = PDF_STREAM.sub(b" ", data)  # compressed bytes would match by chance; pypdf reads those
    names = {
        PDF_HEX.sub(lambda m: bytes.fromhex(m[1].decode()), name).decode("latin-1")
        for name in PDF_NAME.findall(outside_streams)
    }
    if names & (PDF_KEYS | PDF_ACTIONS):
        raise _refuse_active_pdf()
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("This PDF is protected by a password; upload a copy without it."), code="pdf_locked"
            )
        active = _pdf_acts(reader)
    except ValidationError:
        raise
    except Exception:
        return
    if active:
        raise _refuse_active_pdf()


def _pdf_acts(reader: PdfReader) -> bool:
    stack: list = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > PDF_OBJECT_LIMIT:
                return True  # no scan has that many objects; reading them all would be the attack
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if PDF_KEYS & set(item.keys()) or item.get("/S") in PDF_ACTIONS:
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


# --- Images -------------------------------------------------------------------------------


def _unreadable() -> ValidationError:
    return ValidationError(_("This image cannot be read; it may be damaged."), code="image_unreadable")


def _decoded(upload, content_type: str) -> Image.Image:
    """The image fully decoded, once its size in pixels is known to be reasonable."""
    upload.seek(0)
    data = io.BytesIO(upload.read())  # Pillow closes what it reads from: not the upload
    upload.seek(0)
    try:
        image = Image.open(data, formats=[PILLOW_FORMATS[content_type]])
        if image.width * image.height > MAX_PIXELS:
            image.close()
            raise ValidationError(
                _("This image is %(width)s × %(height)s pixels; take it at a lower resolution."),
                params={"width": image.width, "height": image.height},
                code="image_too_large",
            )
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise _unreadable() from error
    return image


def _encoded(image: Image.Image, content_type: str) -> bytes:
    """The picture alone, upright, with none of the original's metadata or trailing bytes."""
    image = ImageOps.exif_transpose(image)  # the EXIF orientation is applied, then EXIF is dropped
    image.info.clear()
    fmt = PILLOW_FORMATS[content_type]
    if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    elif fmt == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, format=fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    return out.getvalue()
