import segno
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def qr_svg(url: str) -> str:
    """The verification link as an inline SVG QR code (drawn where the PDF is rendered)."""
    # The URL is drawn as modules, not written into the SVG as text: segno's markup has nothing of ours.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=2.4, border=0))  # nosec B308 B703
