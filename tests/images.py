"""Small real images for upload tests: uploads are decoded and encoded again, so a bare magic number is refused."""

import io

from PIL import Image


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
