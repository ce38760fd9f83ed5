"""A renderer for the PDF workers' test: module-level, so that the workers can import it."""

from reintegration.pdf import render_template_pdf


def letterheads(names: list[str]) -> bytes:
    """One letterhead per name, one per page."""
    from reintegration.pdf import join_pdfs

    return join_pdfs(
        [
            render_template_pdf("distributions/_letterhead.html", {"foundation_fr": name, "foundation_ar": ""})
            for name in names
        ]
    )
