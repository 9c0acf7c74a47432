"""The hostile-input probe's cases: nothing overwritten, nothing truncated taken as whole,
nothing hung, no traceback, no secret shown. Driven through the loopback fake (its fault
knobs) and small loopback page servers, with the documents made here."""

from __future__ import annotations

import base64
import io
import json
import signal
import subprocess
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, PROFAI, clean_env, run_here
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.serving import serving

NOTES = "# Tides\n\nThe moon pulls the sea. Tides rise twice a day.\n"


def _notes(home: Path, text: str = NOTES, name: str = "notes.md") -> Path:
    path = home / name
    path.write_text(text)
    return path


def _one_line_error(err: str) -> None:
    assert "Traceback" not in err and "unexpected" not in err, err
    assert [line for line in err.splitlines() if line.startswith("error:")], err


# -- outputs ----------------------------------------------------------------------------


def test_stats_json_onto_the_notes_is_refused_and_the_notes_stay(home: Path) -> None:
    notes = _notes(home)
    r = run_here(
        ["teach", str(notes), "--no-audio", "--llm", "none", "--stats-json", str(notes)], home
    )
    assert r.code == 2 and "one of the inputs" in r.err, r.err
    assert notes.read_text() == NOTES


def test_two_sidecars_with_one_name_are_refused_before_any_work(
    fake: FakeOpenAI, home: Path
) -> None:
    notes = _notes(home)
    side = home / "a.srt"
    r = run_here(
        ["export", str(home / "a.wav"), str(notes), "--llm", "none", "--tts", "openai",
         "--tts-base-url", fake.base_url, "--transcript", str(side), "--subtitles", str(side)],
        home,
    )  # fmt: skip
    assert r.code == 2 and "the same file" in r.err, r.err
    assert not fake.requests("/audio/speech") and not side.exists()


def test_force_onto_a_device_is_refused_and_the_device_stays(fake: FakeOpenAI, home: Path) -> None:
    import os
    import stat

    notes = _notes(home)
    r = run_here(
        ["export", "/dev/null", str(notes), "--force", "--llm", "none", "--tts", "openai",
         "--tts-base-url", fake.base_url],
        home,
    )  # fmt: skip
    assert r.code == 2, r.err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    r = run_here(
        ["teach", str(notes), "--no-audio", "--llm", "none", "--stats-json", "/dev/null"], home
    )
    assert r.code == 2 and "not a regular file" in r.err, r.err


# -- truncation --------------------------------------------------------------------------


def test_a_content_filter_stop_is_a_failure_and_nothing_is_kept(
    fake: FakeOpenAI, home: Path
) -> None:
    fake.knobs.lecture = "# Tides\n\n" + "The moon pulls the sea every day. " * 20
    fake.knobs.chat_fault = "content_filter"
    notes = _notes(home)
    out = home / "t.wav"
    args = ["export", str(out), str(notes), "--base-url", fake.base_url, "--tts", "openai"]
    r = run_here(args, home)
    assert r.code == 3 and "content filter" in r.err, r.err
    assert not out.exists()
    fake.knobs.chat_fault = None
    again = run_here(args, home)
    assert again.code == 0, again.err
    assert len(fake.requests("/chat/completions")) == 2  # nothing was kept for reuse


@pytest.mark.parametrize("fault", ["junk", "bad_utf8"])
def test_junk_in_the_chat_stream_is_one_line_not_a_traceback(
    fake: FakeOpenAI, home: Path, fault: str
) -> None:
    fake.knobs.chat_fault = fault
    notes = _notes(home)
    r = run_here(["teach", str(notes), "--no-audio", "--base-url", fake.base_url], home)
    assert r.code == 3, r.err
    _one_line_error(r.err)


def test_a_lecture_is_bounded_by_what_minutes_asks(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.lecture = "# Tides\n\n" + "The moon pulls the sea. " * 40_000  # 200,000 words
    fake.knobs.one_delta = True
    notes = _notes(home)
    r = run_here(
        ["teach", str(notes), "--no-audio", "--base-url", fake.base_url, "--minutes", "2"], home
    )
    assert r.code == 0, r.err
    assert "far more than --minutes 2 asks" in r.err
    assert len(r.out.split()) <= 3000 + 10


# -- pages -------------------------------------------------------------------------------


class _Pages(BaseHTTPRequestHandler):
    mode = "ok"
    body = (
        b"<html><head><title>Tides</title></head><body><h1>Tides</h1>"
        + (b"<p>The moon pulls the sea, and the tides rise twice a day.</p>" * 30)
        + b"</body></html>"
    )

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        mode = self.server.mode  # type: ignore[attr-defined]
        if mode == "auth":
            expected = "Basic " + base64.b64encode(b"user:s3cret").decode()
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.end_headers()
                return
        if mode == "loop":
            self.send_response(302)
            self.send_header("Location", self.path)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if mode == "chunked_cut":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n" % 5000 + self.body[:1000])
            self.wfile.flush()
            self.connection.shutdown(2)
            return
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        if mode == "short":
            self.wfile.write(self.body[: len(self.body) // 2])
            self.wfile.flush()
            self.connection.shutdown(2)
        elif mode == "slow":
            for byte in self.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(1)
        else:
            self.wfile.write(self.body)


@contextmanager
def _page_server(mode: str) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.mode = mode  # type: ignore[attr-defined]
    server.daemon_threads = True
    with serving(server):
        yield f"127.0.0.1:{server.server_address[1]}"


@pytest.mark.parametrize(
    ("mode", "said"),
    [
        ("short", "ended after"),
        ("chunked_cut", "cut off"),
        ("loop", "redirects in a loop"),
    ],
)
def test_a_page_that_is_not_whole_is_one_line(home: Path, mode: str, said: str) -> None:
    with _page_server(mode) as host:
        r = run_here(["notes", f"http://{host}/page.html"], home, timeout=60)
    assert r.code == 2 and said in r.err, r.err
    _one_line_error(r.err)


def test_a_page_served_a_byte_a_second_is_given_up_on_in_time(home: Path) -> None:
    with _page_server("slow") as host:
        started = time.monotonic()
        r = run_here(["notes", f"http://{host}/page.html"], home, PROFAI_TIMEOUT="3")
        took = time.monotonic() - started
    assert r.code == 2 and "longer than 3 s" in r.err, r.err
    assert took < 10


def test_url_credentials_are_sent_and_never_shown(home: Path) -> None:
    with _page_server("auth") as host:
        r = run_here(["notes", f"http://user:s3cret@{host}/page.html"], home)
        assert r.code == 0, r.err
        assert "The moon pulls the sea" in r.out
        assert "s3cret" not in r.out + r.err
        bad = run_here(["notes", f"http://user:wrong@{host}/page.html"], home)
    assert bad.code == 2 and "wrong" not in bad.err and "***@" in bad.err, bad.err


def test_html_nested_deeper_than_the_parser_keeps_is_flattened_not_cut(home: Path) -> None:
    deep = (
        "<html><body>" + "<div>" * 600 + "<p>Tides rise twice a day because the moon pulls.</p>"
        + "</div>" * 600 + "<p>The last paragraph of the notes is kept too.</p></body></html>"
    )  # fmt: skip
    page = home / "deep.html"
    page.write_text(deep)
    r = run_here(["notes", str(page)], home)
    assert r.code == 0, r.err
    assert "moon pulls" in r.out and "last paragraph" in r.out


def test_numbered_headings_at_the_top_of_pages_are_headings(home: Path) -> None:
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = []
    for n in range(1, 5):
        story += [
            Paragraph(f"Problem {n}", styles["Heading2"]),
            *[
                Paragraph(f"Step {k} of problem {n}: factor the quadratic and read off its "
                          f"roots, then check them by substitution.", styles["BodyText"])
                for k in range(1, 6)
            ],
            PageBreak(),
        ]  # fmt: skip
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, topMargin=20).build(story)
    pdf = home / "problems.pdf"
    pdf.write_bytes(out.getvalue())
    r = run_here(["notes", str(pdf)], home)
    assert r.code == 0, r.err
    for n in range(1, 5):
        assert f"Problem {n}" in r.out, r.out


# -- bombs -------------------------------------------------------------------------------


def test_a_docx_that_inflates_to_gigabytes_is_refused_quickly(home: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    bomb = home / "bomb.docx"
    bomb.write_bytes(buf.getvalue())
    started = time.monotonic()
    r = run_here(["notes", str(bomb)], home)
    assert r.code == 2 and "compression bomb" in r.err, r.err
    assert time.monotonic() - started < 10


def test_a_pdf_flate_bomb_is_refused_within_bounded_memory(home: Path) -> None:
    inflater = zlib.compressobj()
    stream = b"".join(inflater.compress(b"\0" * (1 << 20)) for _ in range(1024)) + inflater.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % (i + 1) + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    bomb = home / "bomb.pdf"
    bomb.write_bytes(body)
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", PROFAI, "notes", str(bomb)],
        capture_output=True,
        env=clean_env(home),
        timeout=60,
    )
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "compression bomb" in err, err
    peak_kb = int(err.strip().splitlines()[-1])
    assert peak_kb < 400_000, f"{peak_kb // 1024} MB"


# -- voices ------------------------------------------------------------------------------


def test_speech_that_is_json_is_no_audio_and_never_cached(fake: FakeOpenAI, home: Path) -> None:
    fake.knobs.tts_fault = "json"
    notes = _notes(home)
    out = home / "t.wav"
    args = ["export", str(out), str(notes), "--llm", "none", "--tts", "openai"]
    args += ["--tts-base-url", fake.base_url, "--force"]
    r = run_here(args, home, timeout=120)
    assert "not audio" in r.err or "answered with" in r.err, r.err
    assert any("application/json" in line for line in r.err.splitlines()), r.err
    asked = len(fake.requests("/audio/speech"))
    fake.knobs.tts_fault = None
    again = run_here(args, home, timeout=120)
    assert again.code == 0, again.err
    assert len(fake.requests("/audio/speech")) > asked  # nothing of the JSON was cached


def test_a_speech_answer_that_stalls_after_its_headers_is_given_up_on(
    fake: FakeOpenAI, home: Path
) -> None:
    fake.knobs.tts_fault = "stall"
    notes = _notes(home)
    started = time.monotonic()
    r = run_here(
        ["export", str(home / "t.wav"), str(notes), "--llm", "none", "--tts", "openai",
         "--tts-base-url", fake.base_url],
        home,
        timeout=120,
        PROFAI_IDLE_TIMEOUT="2",
    )  # fmt: skip
    assert time.monotonic() - started < 60
    assert "sent no audio for 2 s" in r.err, r.err
    assert "Traceback" not in r.err


# -- signals -----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["teach", "export"])
def test_sigterm_stops_the_work_when_sigint_is_ignored(
    fake: FakeOpenAI, home: Path, command: str
) -> None:
    fake.knobs.lecture = "# Tides\n\n" + "The moon pulls the sea. " * 100
    fake.knobs.tokens_per_second = 10  # a lecture that takes a minute to write
    out = home / "long.wav"
    args = [command, str(EXAMPLES / "cpu-scheduling.md"), "--base-url", fake.base_url]
    args = ["export", str(out), *args[1:]] if command == "export" else [*args, "--no-audio"]
    proc = subprocess.Popen(
        [PROFAI, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=clean_env(home, PROFAI_TTS="piper"),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),  # as under nohup or &
    )
    deadline = time.monotonic() + 30  # the lecture asked for: the handlers are in place
    while not fake.requests("/chat/completions") and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 143, err.decode()[-300:]
    assert time.monotonic() - sent < 8  # at once, not at the end of the long export
    assert not out.exists() and not list(home.glob(".long.wav.*"))


# -- state and settings ------------------------------------------------------------------


def test_bad_state_and_settings_files_are_one_line(home: Path) -> None:
    config = home / "bad.toml"
    config.write_bytes(b'level = "beginner"\xff\n')
    r = run_here(["config", "show"], home, PROFAI_CONFIG=str(config))
    assert r.code == 2 and "not UTF-8" in r.err, r.err
    for line, said in (("lookahead = 2.7", "whole number"), ("speed = true", "number"),
                       ("focus = { a = 1 }", "text")):  # fmt: skip
        config.write_text(line + "\n")
        r = run_here(["config", "show"], home, PROFAI_CONFIG=str(config))
        assert r.code == 2 and said in r.err, (line, r.err)
    notes = _notes(home)
    big = run_here(["notes", str(notes), "--max-chars", "10000000000"], home)
    assert big.code == 0 and "Tides" in big.out, big.err
    newline = run_here(["teach", str(notes), "--no-audio", "--base-url", "http://x\n/v1"], home)
    assert newline.code == 2 and "line break" in newline.err, newline.err
    focus = run_here(["teach", str(notes), "--no-audio", "--focus", "x" * 20_000], home)
    assert focus.code == 2 and "at most 500" in focus.err, focus.err


def test_a_damaged_saved_position_is_ignored(home: Path) -> None:
    from profai_cli.core.config import resolve
    from profai_cli.lecture import store

    notes = _notes(home)
    env = clean_env(home)
    settings, _ = resolve({"llm": "none"}, env={}, file_values={})
    key = store.lecture_key(NOTES, settings, "your notes, narrated (no LLM)")
    folder = Path(env["XDG_DATA_HOME"]) / "profai" / "lectures"
    folder.mkdir(parents=True, exist_ok=True)
    record = {"text": NOTES, "complete": True, "position": {
        "text": NOTES, "complete": True, "chunk": 1, "chunks": 3, "offset": "12",
        "seconds": 1.0, "total": 3.0, "title": "Tides"}}  # fmt: skip
    (folder / f"{key}.json").write_text(json.dumps(record))
    r = run_here(["teach", str(notes), "--no-audio", "--llm", "none"], home)
    assert r.code == 0, r.err
    assert "Traceback" not in r.err


def test_utf16_without_a_bom_is_text(home: Path) -> None:
    notes = home / "u16.md"
    notes.write_bytes(NOTES.encode("utf-16-le"))
    r = run_here(["notes", str(notes)], home)
    assert r.code == 0 and "The moon pulls the sea" in r.out, r.err


# -- courses -----------------------------------------------------------------------------


def test_a_course_goes_on_past_a_bad_lecture(fake: FakeOpenAI, home: Path) -> None:
    course = home / "course"
    course.mkdir()
    (course / "week1.md").write_text("# Week 1\n\nThe moon pulls the sea.\n")
    (course / "week2.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf at all\n")
    (course / "week3.md").write_text("# Week 3\n\nWaves carry energy, not water.\n")
    taught = run_here(["teach", str(course), "--no-audio", "--llm", "none"], home)
    assert taught.code == 2, taught.err
    assert "Week 1" in taught.out and "Week 3" in taught.out
    assert "week2.pdf" in taught.err
    out = home / "out"
    made = run_here(
        ["export", f"{out}/", str(course), "--llm", "none", "--tts", "openai",
         "--tts-base-url", fake.base_url, "--format", "wav"],
        home,
        timeout=120,
    )  # fmt: skip
    assert made.code == 2, made.err
    assert (out / "week1.wav").exists() and (out / "week3.wav").exists()
    assert not (out / "week2.wav").exists()
    playlist = (out / "out.m3u").read_text()
    assert "week1.wav" in playlist and "week3.wav" in playlist and "week2" not in playlist
