"""Course material as students have it: PDF, slides, Word, web pages, EPUB, folders."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from profai_cli.notes.formats import Kind, detect
from profai_cli.notes.ingest import natural_key, notes_files, read_notes
from tests import documents
from tests.conftest import Run, run_here, run_profai
from tests.fakes.serving import serving

pytest.importorskip("pdfminer")

MAKERS = {
    "pdf": documents.pdf,
    "docx": documents.docx,
    "pptx": documents.pptx,
    "epub": documents.epub,
    "html": documents.html,
}


def _lines(markdown: str) -> list[str]:
    return [line.strip() for line in markdown.splitlines() if line.strip()]


@pytest.mark.parametrize("kind", list(MAKERS))
def test_each_format_keeps_the_headings_the_list_and_the_table(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"plates.{kind}"
    path.write_bytes(MAKERS[kind]())
    text = read_notes(str(path)).text
    lines = _lines(text)
    assert lines[0] == f"# {documents.TITLE}"
    for section in documents.SECTIONS:
        assert f"## {section}" in lines, text
    for item in documents.ITEMS:
        assert f"- {item}" in lines, text
    header, *rows = documents.TABLE
    table = [line for line in lines if line.startswith("|")]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in table]
    assert cells[0] == header
    assert [c for c in cells if not set("".join(c)) <= set("-: ")][1:] == rows
    assert "Shop the store" not in text and "Privacy" not in text  # a page's menus and footer


def test_the_format_is_told_by_the_content_not_the_name(tmp_path: Path) -> None:
    for kind, make in MAKERS.items():
        for name in (f"notes-{kind}.txt", f"notes-{kind}"):
            path = tmp_path / name
            path.write_bytes(make())
            assert detect(path.read_bytes()).value == kind
            assert f"## {documents.SECTIONS[1]}" in read_notes(str(path)).text
    markdown = tmp_path / "notes.pdf"
    markdown.write_text(documents.markdown())
    assert detect(markdown.read_bytes()) is Kind.TEXT
    assert read_notes(str(markdown)).text == documents.markdown()


def test_pages_and_section_teach_part_of_a_document(tmp_path: Path) -> None:
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(documents.pdf(pages_of_padding=4))
    text = read_notes(str(pdf), pages="3-4").text
    assert "Extra topic 2" in text and "Extra topic 3" in text
    assert "Extra topic 1" not in text and "Extra topic 4" not in text
    assert documents.TITLE not in text
    slides = tmp_path / "deck.pptx"
    slides.write_bytes(documents.pptx(extra_slides=3))
    text = read_notes(str(slides), pages="2").text
    assert _lines(text)[0] == f"## {documents.SECTIONS[0]}" and "Extra slide" not in text
    text = read_notes(str(pdf), section="earthquakes").text
    assert _lines(text) == [f"## {documents.SECTIONS[1]}", documents.QUAKES]


@pytest.mark.parametrize(
    ("make", "args", "said"),
    [
        ("encrypted", [], "is encrypted"),
        ("scanned", [], "no text layer"),
        ("corrupt", [], "not a readable PDF"),
        ("zip", [], "ZIP file of a kind"),
        ("pdf", ["--pages", "5-9"], "has 1 page; pick pages from 1 to 1"),
        ("docx", ["--pages", "1"], "--pages works on PDF and PowerPoint"),
        ("pdf", ["--section", "Volcanoes"], "no such heading; its headings: Plate Tectonics"),
        ("emptydoc", [], "has no text to teach from"),
    ],
)
def test_each_bad_document_is_one_line_and_exit_2(
    home: Path, make: str, args: list[str], said: str
) -> None:
    path = home / "bad.pdf"
    path.write_bytes(_bad(make))
    for command in (["notes"], ["teach", "--llm", "none", "--no-audio"]):
        r = run_here([*command, str(path), *args], home)
        assert r.code == 2, r.err
        assert r.err.count("\n") == 1 and said in r.err, r.err
        assert "Traceback" not in r.err


def _bad(make: str) -> bytes:
    import io
    import zipfile

    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    if make == "encrypted":
        page = canvas.Canvas(out, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
        page.drawString(100, 700, "Secret plates")
        page.save()
    elif make == "scanned":  # pictures only: no text layer
        page = canvas.Canvas(out)
        page.rect(100, 100, 300, 300, fill=1)
        page.save()
    elif make == "corrupt":
        return b"%PDF-1.4\n1 0 obj garbage\n%%EOF"
    elif make == "zip":
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("photo.jpg", "not a lecture")
    elif make == "emptydoc":
        import docx

        docx.Document().save(out)
    else:
        return MAKERS[make]()
    return out.getvalue()


@pytest.fixture
def site() -> Iterator[str]:
    """A web server on loopback: /lecture is the page, anything else 404."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/lecture":
                body = documents.html()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
            else:
                body = b"<html><body>Not here</body></html>"
                self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with serving(server):
        yield f"http://127.0.0.1:{server.server_address[1]}"


def test_a_web_page_is_fetched_and_only_its_main_content_taught(home: Path, site: str) -> None:
    r = run_here(["teach", f"{site}/lecture", "--llm", "none", "--no-audio"], home)
    assert r.code == 0, r.err
    assert documents.QUAKES in r.out and "Shop the store" not in r.out
    r = run_here(["notes", f"{site}/missing"], home)
    assert r.code == 2 and "HTTP 404" in r.err and r.err.count("\n") == 1
    r = run_here(["notes", "http://127.0.0.1:9/nothing-listens"], home)
    assert r.code == 2 and "cannot fetch" in r.err and r.err.count("\n") == 1


def test_without_the_formats_extra_a_document_names_the_extra(home: Path) -> None:
    blocker = home / "blocked"
    for name in ("pdfminer", "docx", "pptx", "trafilatura"):
        (blocker / name).mkdir(parents=True)
        message = f"No module named {name}"
        (blocker / name / "__init__.py").write_text(
            f"raise ImportError({message!r}, name={name!r})\n"
        )
    path = home / "plates.pdf"
    path.write_bytes(documents.pdf())
    r = run_profai(["notes", str(path)], home, PYTHONPATH=str(blocker))  # a new sys.path
    assert r.code == 2
    assert "pip install 'profai-cli[formats]'" in r.err and r.err.count("\n") == 1


def test_a_course_folder_is_its_notes_in_natural_order(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / ".drafts").mkdir(parents=True)
    for name in ("week10.md", "week2.pdf", "week1.md", "notes.log", ".drafts/old.md"):
        (course / name).write_bytes(b"# W\n\nText.\n" if name.endswith(".md") else b"x")
    names = [Path(f).name for f in notes_files([str(course)])]
    assert names == ["week1.md", "week2.pdf", "week10.md"]
    assert sorted(["b10", "b9", "a"], key=natural_key) == ["a", "b9", "b10"]


def test_a_courses_stats_are_each_lectures_own(home: Path, profai: Callable[..., Run]) -> None:
    """Lecture 2's numbers are its own: a slow first lecture does not show in them."""
    import json

    from profai_cli.lecture.engines import Engines
    from profai_cli.lecture.lecturers import Chosen
    from tests.fakes.engines import ScriptedLLM

    course = home / "course"
    course.mkdir()
    (course / "week1.md").write_text("# Week one\n\nRocks.\n")
    (course / "week2.md").write_text("# Week two\n\nRivers.\n")
    lecturers = iter(
        [
            ScriptedLLM(["# Week one\n\n", "Rocks form slowly over time."], first_after=2.0),
            ScriptedLLM(["# Week two\n\n", "Rivers carry sand to the sea, and more."]),
        ]
    )
    engines = Engines(lecturer=lambda settings: Chosen(next(lecturers), "Using a script."))
    stats = home / "stats.json"
    r = profai(["teach", str(course), "--no-audio", "--stats-json", str(stats)], engines=engines)
    assert r.code == 0, r.err
    one, two = json.loads(stats.read_text())
    assert (one["lecture"], two["lecture"]) == ("week1.md", "week2.md")
    assert one["first_token"] >= 2.0 and two["first_token"] < 1.0  # not the first's wait
    assert (one["words"], two["words"]) == (7, 10)
    assert "arguments parsed" in one["timeline"]
    assert list(two["timeline"]) == ["lecture request sent"]  # no start-up of its own


def test_teach_plays_a_course_in_order_and_export_writes_a_playlist(home: Path) -> None:
    course = home / "course"
    course.mkdir()
    (course / "week10.md").write_text("# Week ten\n\nThe last week is about review.\n")
    (course / "week2.docx").write_bytes(documents.docx())
    (course / "week1.md").write_text("# Week one\n\nThe first week is about rocks.\n")
    r = run_here(["teach", str(course), "--llm", "none", "--no-audio"], home)
    assert r.code == 0, r.err
    said = [line for line in r.err.splitlines() if line.startswith("Lecture ") and " of " in line]
    assert said == [
        "Lecture 1 of 3: week1.md",
        "Lecture 2 of 3: week2.docx",
        "Lecture 3 of 3: week10.md",
    ]
    assert r.out.index("Week one") < r.out.index(documents.TITLE) < r.out.index("Week ten")
    pytest.importorskip("piper")
    out = home / "out"
    r = run_here(["export", str(out), str(course), "--llm", "none", "--format", "flac"], home)
    assert r.code == 0, r.err
    playlist = (out / "out.m3u").read_text().splitlines()
    assert [line for line in playlist if not line.startswith("#")] == [
        "week1.flac",
        "week2.flac",
        "week10.flac",
    ]
    assert all((out / name).stat().st_size > 1000 for name in ("week1.flac", "week10.flac"))
