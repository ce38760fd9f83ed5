import base64
import io

import segno
from django import template
from django.utils.html import format_html
from PIL import Image

from reintegration.pdf import PNG_DATA

register = template.Library()

# A fiftieth of an inch per module (about half a millimetre), four modules of quiet zone as
# the standard asks, eight pixels per module: read by a scanner at 100 dpi and up.
MODULE_INCHES = 0.02
QUIET_ZONE = 4
PIXELS = 8


@register.filter
def qr_img(url: str) -> str:
    """The verification link as a QR code, an inline PNG image: WeasyPrint lays out and
    draws an image several times faster than an SVG path of every module.

    The PNG is grey (8 bits a pixel) and written by Pillow, pixel for pixel segno's: segno's own
    PNG has 1 bit a pixel, which WeasyPrint turned into colour before writing it into the PDF,
    and segno writes a PNG in twice Pillow's time."""
    code = segno.make(url, error="m")
    modules = code.symbol_size(scale=1, border=QUIET_ZONE)[0]
    pixels = bytes(0 if dark else 255 for row in code.matrix_iter(scale=1, border=QUIET_ZONE) for dark in row)
    image = Image.frombytes("L", (modules, modules), pixels).resize((modules * PIXELS,) * 2, Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    side = modules * MODULE_INCHES
    data = PNG_DATA + base64.b64encode(buffer.getvalue()).decode("ascii")
    return format_html('<img class="qr" src="{}" style="width: {}in; height: {}in" alt="">', data, side, side)
