"""HTML → PDF with WeasyPrint, in a Vietnamese-capable font that ships with dean06, never touching the network.

The font is DejaVu Sans (regular and bold, vendored under static/public_services/fonts/ with its LICENSE) under
the family name "Dean06 Sans", so a missing file cannot silently fall back to whatever the host has installed.
It is given as a user stylesheet: a document's own CSS still wins. Any resource other than a file under the
app's static directory (or `base_dir`) or a data: URI stops the rendering with RenderError.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML  # type: ignore[import-untyped]
from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # type: ignore[import-untyped]

STATIC_DIR: Final = Path(__file__).resolve().parent.parent / "static" / "public_services"
FONTS_DIR: Final = STATIC_DIR / "fonts"
FONT_FAMILY: Final = "Dean06 Sans"
_FONT_FILES: Final = (("DejaVuSans.ttf", "normal"), ("DejaVuSans-Bold.ttf", "bold"))


class RenderError(ValueError):
    """The HTML asked for something render_pdf() refuses to fetch, or a local file it needs is missing."""


class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """WeasyPrint's fetcher restricted to data: URIs and local files under `roots` (no http, ftp or file://host)."""

    def __init__(self, roots: Sequence[Path]) -> None:
        # fail_on_errors: a refused or missing resource ends the rendering instead of a quiet warning.
        super().__init__(fail_on_errors=True, allow_redirects=False)
        self._roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in {"", "localhost"}:
            path = Path(url2pathname(parts.path)).resolve()  # resolve(): no escaping the roots through ../ or links
            if any(path.is_relative_to(root) for root in self._roots):
                return super().fetch(path.as_uri(), headers)
        raise ValueError(f"refused (only local files and data: URIs are allowed): {url}")


def font_stylesheet() -> str:
    """@font-face rules for the vendored font, and the document default that uses it."""
    faces = "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{(FONTS_DIR / name).as_uri()}"); '
        f"font-weight: {weight}; }}\n"
        for name, weight in _FONT_FILES
    )
    return f'{faces}html {{ font-family: "{FONT_FAMILY}", sans-serif; }}\n'


def render_pdf(html: str, *, base_dir: Path | None = None) -> bytes:
    """Render an HTML document to PDF bytes.

    Relative URLs resolve against `base_dir` (default: the app's static/public_services directory); files may
    come from there and from the app's static directory only.
    """
    base = (base_dir or STATIC_DIR).resolve()
    fetcher = LocalOnlyFetcher([STATIC_DIR, base])
    fonts = FontConfiguration()
    try:
        stylesheet = CSS(string=font_stylesheet(), font_config=fonts, url_fetcher=fetcher)
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        pdf: bytes = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: turn it into an ordinary error
        raise RenderError(str(exc.__cause__ or exc)) from exc
    return pdf
