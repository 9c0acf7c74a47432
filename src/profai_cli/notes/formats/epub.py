"""EPUB to markdown: the chapters in reading order, each a section.

An EPUB is a ZIP of XHTML chapters listed, in order, by its package file (the "spine");
the standard library reads both, and each chapter goes to markdown whole (markdownify).
(ebooklib would do the reading, but it is AGPL.)
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

from profai_cli.core.errors import InputError

_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_XHTML = ("application/xhtml+xml", "text/html")


def epub_to_markdown(data: bytes, source: str) -> str:
    from profai_cli.notes.formats.html import whole_html_to_markdown

    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        container = ElementTree.fromstring(book.read("META-INF/container.xml"))
        rootfile = container.find(".//c:rootfile", _NS)
        if rootfile is None:
            raise KeyError("no rootfile")
        opf_path = rootfile.attrib["full-path"]
        package = ElementTree.fromstring(book.read(opf_path))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise InputError(f"{source} is not a readable EPUB ({exc}); re-save it") from None
    if package.find(".//opf:manifest", _NS) is None:
        raise InputError(f"{source} is not a readable EPUB (no manifest); re-save it")
    if any(name.startswith("META-INF/encryption.xml") for name in book.namelist()):
        raise InputError(f"{source} is protected (DRM); pass a copy without it")
    base = posixpath.dirname(opf_path)
    items = {
        item.attrib["id"]: item.attrib
        for item in package.iterfind(".//opf:manifest/opf:item", _NS)
        if "id" in item.attrib
    }
    title_node = package.find(".//dc:title", _NS)
    title = " ".join((title_node.text or "").split()) if title_node is not None else ""
    out = [f"# {title}"] if title else []
    for ref in package.iterfind(".//opf:spine/opf:itemref", _NS):
        item = items.get(ref.attrib.get("idref", ""))
        if item is None or item.get("media-type") not in _XHTML:
            continue
        try:
            chapter = book.read(posixpath.normpath(posixpath.join(base, item["href"])))
        except KeyError:
            continue
        text = whole_html_to_markdown(chapter)
        if not text:
            continue
        # Chapters are sections: their headings go one level down under the book's title.
        if title:
            text = re.sub(r"^(#{1,5})(?=\s)", r"#\1", text, flags=re.M)
        out.append(text)
    return "\n\n".join(out) + "\n"
