"""Credentials stay with their host: a password in any address goes as basic auth to that
host only, and is found in no output and no file profai writes (crash logs included)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import Run, run_here
from tests.fakes.openai_server import FakeOpenAI
from tests.fakes.serving import serving

SECRET = "s3cretPassw0rd"
NOTES = "# Tides\n\nThe moon pulls the sea. Tides rise twice a day.\n"
PAGE = b"<html><body><h1>Tides</h1><p>The moon pulls the sea, twice a day.</p></body></html>"


def _nowhere_holds(secret: str, home: Path, *runs: Run) -> None:
    """Not in any output, and not in any file under the private home (logs, caches)."""
    for r in runs:
        assert secret not in r.out + r.err, r.out + r.err
        assert "unexpected" not in r.err, r.err
    for path in home.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


class _Page(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        server = self.server
        server.seen.append(self.headers.get("Authorization"))  # type: ignore[attr-defined]
        target = server.redirect_to  # type: ignore[attr-defined]
        if target:
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)


@contextmanager
def _server(redirect_to: str = "") -> Iterator[tuple[str, list[str | None]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    server.seen = []  # type: ignore[attr-defined]
    server.redirect_to = redirect_to  # type: ignore[attr-defined]
    server.daemon_threads = True
    with serving(server):
        yield f"127.0.0.1:{server.server_address[1]}", server.seen  # type: ignore[attr-defined]


def test_a_redirect_to_another_host_gets_no_credentials(home: Path) -> None:
    with _server() as (other, other_saw), _server(f"http://{other}/page.html") as (first, saw):
        r = run_here(["notes", f"http://alice:{SECRET}@{first}/notes.html"], home)
    assert r.code == 0 and "The moon pulls the sea" in r.out, r.err
    assert saw == ["Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()]
    assert other_saw == [None]  # a redirect away from the host drops Authorization
    _nowhere_holds(SECRET, home, r)


def test_a_redirect_to_a_file_is_said_as_such(home: Path) -> None:
    with _server("file:///etc/passwd") as (host, _):
        r = run_here(["notes", f"http://{host}/notes.html"], home)
    assert r.code == 2 and "not a web address" in r.err and "loop" not in r.err, r.err


@pytest.mark.parametrize("command", ["teach", "export", "doctor"])
def test_a_password_in_the_base_url_is_sent_as_basic_auth_and_never_shown(
    fake: FakeOpenAI, home: Path, command: str
) -> None:
    fake.knobs.lecture = NOTES
    url = fake.base_url.replace("http://", f"http://bob:{SECRET}@")
    notes = home / "notes.md"
    notes.write_text(NOTES)
    args = {
        "teach": ["teach", str(notes), "--no-audio", "--base-url", url],
        "export": ["export", str(home / "t.wav"), str(notes), "--base-url", url,
                   "--tts", "openai"],
        "doctor": ["doctor", "--base-url", url],
    }[command]  # fmt: skip
    r = run_here(args, home, timeout=120)
    assert r.code in (0, 1) if command == "doctor" else r.code == 0, r.err
    assert "***@" in r.out + r.err or command == "export"
    sent = {q.authorization for q in fake.log}
    assert sent == {"Basic " + base64.b64encode(f"bob:{SECRET}".encode()).decode()}, sent
    _nowhere_holds(SECRET, home, r)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (f"http://bob:{SECRET}@localhost:9/v1", "cannot connect"),  # no server: refused
        (f"https://bob:{SECRET}@localhost/v1", "cannot connect"),  # no port given
        (f"http://bob:{SECRET}@127.0.0.1:99999/v1", "port must be a number"),
        ("/run/ollama.sock", "not a web address"),
        ("unix:/run/ollama.sock", "not a web address"),
    ],
    ids=["refused", "no-port", "port-too-big", "socket-path", "unix-socket"],
)
def test_a_bad_base_url_is_one_line_with_no_password(home: Path, url: str, said: str) -> None:
    notes = home / "notes.md"
    notes.write_text(NOTES)
    runs = [
        run_here(["teach", str(notes), "--no-audio", "--base-url", url], home, timeout=90),
        run_here(
            ["export", str(home / "t.wav"), str(notes), "--base-url", url, "--tts", "openai"],
            home,
            timeout=90,
        ),
    ]
    for r in runs:
        assert r.code in (2, 3), r.err
        assert said in r.err, r.err
        assert "Traceback" not in r.err
    _nowhere_holds(SECRET, home, *runs)


def test_config_show_masks_the_password_of_every_address(home: Path) -> None:
    r = run_here(
        ["config", "show"],
        home,
        OPENAI_BASE_URL=f"http://bob:{SECRET}@localhost/v1",
        PROFAI_TTS_BASE_URL=f"http://bob:{SECRET}@localhost:8000/v1",
    )
    assert r.code == 0, r.err
    assert r.out.count("***@localhost") == 2, r.out
    _nowhere_holds(SECRET, home, r)


def test_a_password_is_kept_out_of_the_crash_log(home: Path) -> None:
    """A bug whose message holds the password: the log has *** in its place."""
    from profai_cli.cli.runner import _unexpected
    from profai_cli.core.urls import parse_address
    from profai_cli.lecture.environment import Environment

    parse_address(f"http://bob:{SECRET}@localhost/v1")
    env = Environment.in_memory(width=100)
    import os

    saved = dict(os.environ)
    os.environ["XDG_STATE_HOME"] = str(home / "state")
    try:
        _unexpected(ValueError(f"nonnumeric port: '{SECRET}@localhost'"), env.stderr)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    logs = list(home.rglob("crash.log"))
    assert logs and "***@localhost" in logs[0].read_text()
    _nowhere_holds(SECRET, home)
