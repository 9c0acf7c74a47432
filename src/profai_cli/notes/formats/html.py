"""HTML pages and web addresses to markdown: the main content, not menus and footers.

trafilatura (Apache-2.0) finds the page's main text and keeps its headings, lists and
tables; the page's title becomes the lecture's when the text has no heading of its
own. Addresses are fetched with the standard library (no cookies, no scripts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from profai_cli.core.errors import InputError

FETCH_TIMEOUT = 20.0  # seconds for each read
FETCH_TOTAL = 60.0  # seconds for the whole page
MAX_DOWNLOAD = 50_000_000  # bytes


def html_to_markdown(data: bytes, source: str) -> str:
    """A web page's main content as markdown, its title the lecture's."""
    import trafilatura

    html = flattened(_decode(data))
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


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
_VOID = frozenset("br hr img input meta link area base col embed source track wbr".split())
_WRAPPERS = re.compile(
    r"</?(?:div|span|section|article|main|aside|font|center|small|big|nav|header|footer|"
    r"figure|figcaption|b|i|u|em|strong)\b[^>]*>",
    re.IGNORECASE,
)
MAX_DEPTH = 200  # libxml2 keeps 256 levels and drops everything deeper


def flattened(html: str) -> str:
    """A page nested deeper than the parser keeps, with its wrapper tags taken out (their
    text stays): deep HTML is flattened, not cut."""
    depth = deepest = 0
    for m in _TAG.finditer(html):
        if m.group(3) or m.group(2).lower() in _VOID:
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return _WRAPPERS.sub(" ", html)
    return html


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


def fetch(url: str, total: float | None = None) -> Fetched:
    """The document at ``url``, whole; one line for every way that fails.

    Credentials in the address are sent as basic auth, to its host only (a redirect
    elsewhere drops them), and never shown. The page must come within FETCH_TOTAL
    seconds and MAX_DOWNLOAD bytes, each read within FETCH_TIMEOUT, and be as long as it
    said it was.
    """
    import http.client
    import time
    import urllib.error
    import urllib.request

    from profai_cli.core.safe_text import mask_url, redact
    from profai_cli.core.urls import OffOrigin, opener, parse_address

    address = parse_address(url, "the notes' address")
    shown = address.shown
    headers = {"User-Agent": "profai (lecture notes)"}
    if address.basic_auth is not None:
        headers["Authorization"] = address.basic_auth
    request = urllib.request.Request(address.url, headers=headers)
    total = FETCH_TOTAL if total is None else total
    deadline = time.monotonic() + total
    try:
        with opener(address).open(request, timeout=min(FETCH_TIMEOUT, total)) as response:
            expected = response.headers.get("Content-Length")
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise InputError(
                        f"cannot fetch {shown}: it took longer than {total:g} s (--timeout); "
                        "save the page and pass the file"
                    )
                piece = response.read1(65536)
                if not piece:
                    break
                chunks.append(piece)
                size += len(piece)
                if size > MAX_DOWNLOAD:
                    break
            data = b"".join(chunks)
            final = mask_url(response.geturl())
    except OffOrigin as exc:
        raise InputError(
            f"cannot fetch {shown}: it redirects to {exc.target[:80]}, which is not a web "
            "address; check the address, or save the page and pass the file"
        ) from None
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise InputError(
                f"cannot fetch {shown}: it redirects in a loop (HTTP {exc.code}); check the address"
            ) from None
        raise InputError(
            f"cannot fetch {shown}: HTTP {exc.code} {exc.reason}; check the address"
        ) from None
    except TimeoutError:
        raise InputError(
            f"cannot fetch {shown}: no answer within {FETCH_TIMEOUT:g} s; try again or save "
            "the page and pass the file"
        ) from None
    except http.client.IncompleteRead as exc:
        raise InputError(
            f"cannot fetch {shown}: the page was cut off after {len(exc.partial):,} bytes; "
            "try again"
        ) from None
    except http.client.HTTPException as exc:
        raise InputError(
            f"cannot fetch {shown}: the server broke the page off ({type(exc).__name__}); try again"
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason if not isinstance(exc.reason, OSError) else exc.reason.strerror
        raise InputError(
            f"cannot fetch {shown}: {reason}; check the address and the network"
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot fetch {shown}: {redact(str(exc))}; check the address") from None
    if len(data) > MAX_DOWNLOAD:
        raise InputError(f"cannot fetch {shown}: larger than {MAX_DOWNLOAD // 1_000_000} MB")
    if expected is not None and expected.isdigit() and len(data) < int(expected):
        raise InputError(
            f"cannot fetch {shown}: the page ended after {len(data):,} of its "
            f"{int(expected):,} bytes; try again"
        )
    if not data.strip():
        raise InputError(f"{shown} sent an empty page; check the address")
    return Fetched(data, final)
