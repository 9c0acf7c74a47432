"""Converting course material to markdown: time per document, and the extra's size.

Documents are made here with each format's own writer (tests/documents.py): a 100-page
PDF of text, a 60-slide PPTX, and the small lecture as DOCX, EPUB and HTML. The time
is the whole of `read_notes` (detect, convert, tidy), median of 3.

Run: python benchmarks/formats.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from importlib import metadata
from pathlib import Path

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import table
from profai_cli.notes.ingest import read_notes
from tests import documents

# The formats extra and what it pulls in that the core does not have.
EXTRA = [
    "pdfminer.six",
    "python-docx",
    "python-pptx",
    "trafilatura",
    "lxml_html_clean",
    "markdownify",
    "beautifulsoup4",
    "soupsieve",
    "lxml",
    "justext",
    "courlan",
    "htmldate",
    "dateparser",
    "tld",
    "babel",
    "pillow",
    "xlsxwriter",
    "cryptography",
    "cffi",
    "pycparser",
    "charset-normalizer",
]


def installed_size(name: str) -> int:
    try:
        files = metadata.files(name) or []
    except metadata.PackageNotFoundError:
        return 0
    total = 0
    for f in files:
        try:
            total += Path(str(f.locate())).stat().st_size
        except OSError:
            pass
    return total


def main() -> None:
    docs = {
        "PDF, 100 pages": ("pdf", documents.pdf(pages_of_padding=99)),
        "PPTX, 60 slides": ("pptx", documents.pptx(extra_slides=56)),
        "DOCX, 1 page": ("docx", documents.docx()),
        "EPUB, 2 chapters": ("epub", documents.epub()),
        "HTML page": ("html", documents.html()),
    }
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, (ext, data) in docs.items():
            path = Path(tmp) / f"doc.{ext}"
            path.write_bytes(data)
            times, chars = [], 0
            for _ in range(3):
                start = time.perf_counter()
                chars = len(read_notes(str(path)).text)
                times.append(time.perf_counter() - start)
            rows.append(
                [
                    label,
                    f"{len(data) / 1000:.0f} KB",
                    f"{chars:,}",
                    f"{statistics.median(times) * 1000:.0f} ms",
                ]
            )
    print(
        table(
            "Converting to markdown, median of 3",
            ["document", "size", "markdown chars", "time"],
            rows,
        )
    )
    sizes = [(name, installed_size(name)) for name in EXTRA]
    total = sum(s for _, s in sizes)
    print(
        f"\nThe formats extra installs {total / 1e6:.0f} MB here: "
        + ", ".join(
            f"{n} {s / 1e6:.1f}" for n, s in sorted(sizes, key=lambda x: -x[1]) if s > 500_000
        )
        + " (MB)."
    )


if __name__ == "__main__":
    main()
