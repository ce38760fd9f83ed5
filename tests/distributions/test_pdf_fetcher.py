import pytest

from reintegration.pdf import RefusedURL, StaticOnlyFetcher, render_pdf


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/font.woff2",
        "https://127.0.0.1:8000/static/x.css",
        "file:///etc/passwd",
        "static:../../../../etc/passwd",
        "static:",
        "data:text/plain,hello",
        "ftp://example.com/x",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_projects_fonts():
    response = StaticOnlyFetcher().fetch(
        "static:vendor/fonts/ibm-plex-sans-arabic-complete/IBMPlexSansArabic-Regular.woff2"
    )
    assert response.content_type == "font/woff2"
    assert response.read()[:4] == b"wOF2"


def test_a_document_pointing_elsewhere_renders_without_fetching_it(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the network was asked for")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    html = '<html><body><img src="http://example.com/x.png"><img src="file:///etc/passwd"><p>ok</p></body></html>'
    assert render_pdf(html).startswith(b"%PDF")
