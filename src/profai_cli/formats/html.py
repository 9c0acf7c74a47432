"""HTML pages and web addresses to markdown: the main content, not menus and footers.

trafilatura (Apache-2.0) finds the page's main text and keeps its headings, lists and
tables; the page's title becomes the lecture's when the text has no heading of its
own. Addresses are fetched with the standard library (no cookies, no scripts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from profai_cli.errors import InputError

FETCH_TIMEOUT = 20.0  # seconds
MAX_DOWNLOAD = 50_000_000  # bytes


def html_to_markdown(data: bytes, source: str) -> str:
    """A web page's main content as markdown, its title the lecture's."""
    import trafilatura

    html = _decode(data)
    text = trafilatura.extract(
        html,
        output_format="markdown",
        include_tables=True,
        include_formatting=True,
        include_links=False,
        include_images=False,
        include_comments=False,
        deduplicate=False,
    )
    text = (text or "").strip() or whole_html_to_markdown(data)  # too short to tell apart
    title = _title(html)
    if title and not re.search(r"^#\s", text, re.M):
        text = f"# {title}\n\n{text}"
    return text + "\n"


def whole_html_to_markdown(data: bytes) -> str:
    """All of a document's body as markdown (markdownify, MIT): nothing is boilerplate in
    an EPUB chapter or a handout."""
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
    from markdownify import MarkdownConverter

    with warnings.catch_warnings():  # XHTML is HTML enough for this
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(_decode(data), "lxml")
    for junk in soup(["script", "style", "head", "nav"]):
        junk.decompose()
    body = soup.body or soup
    converter = MarkdownConverter(heading_style="ATX", bullets="-", strip=["a", "img"])
    return str(converter.convert_soup(body)).strip()


def _decode(data: bytes) -> str:
    head = data[:2048].decode("ascii", "replace")
    m = re.search(r"charset=[\"']?([A-Za-z0-9_\-]+)", head)
    for codec in ([m.group(1)] if m else []) + ["utf-8", "cp1252"]:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def _title(html: str) -> str:
    m = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
    if not m:
        return ""
    import html as entities

    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())[:120]


@dataclass(frozen=True)
class Fetched:
    data: bytes
    url: str


def fetch(url: str) -> Fetched:
    """The document at ``url``; one line for every way that fails."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "profai (lecture notes)"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            data = response.read(MAX_DOWNLOAD + 1)
            final = response.geturl()
    except urllib.error.HTTPError as exc:
        raise InputError(
            f"cannot fetch {url}: HTTP {exc.code} {exc.reason}; check the address"
        ) from None
    except TimeoutError:
        raise InputError(
            f"cannot fetch {url}: no answer within {FETCH_TIMEOUT:g} s; try again or save the "
            "page and pass the file"
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason if not isinstance(exc.reason, OSError) else exc.reason.strerror
        raise InputError(
            f"cannot fetch {url}: {reason}; check the address and the network"
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot fetch {url}: {exc}; check the address") from None
    if len(data) > MAX_DOWNLOAD:
        raise InputError(f"cannot fetch {url}: larger than {MAX_DOWNLOAD // 1_000_000} MB")
    if not data.strip():
        raise InputError(f"{url} sent an empty page; check the address")
    return Fetched(data, final)
