"""An OpenAI-compatible HTTP server on 127.0.0.1 for tests: real sockets, real SSE.

The real ``openai`` SDK (and the ``profai`` subprocess) talk to it as they would to
OpenAI. Each test sets its knobs (text, timing, faults) and reads its request log.

Its speech endpoint answers each distinct input text with a pure tone of its own
frequency (the first text heard gets ``TONE_BASE_HZ``, the next ``TONE_STEP_HZ``
higher, ...), so a recording of what was played tells which chunk played when.
"""

from __future__ import annotations

import json
import math
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from tests.fakes.serving import POLL_SECONDS

PCM_RATE = 24_000
TONE_BASE_HZ = 300.0
TONE_STEP_HZ = 80.0
_TOKEN = re.compile(r"\s*\S{1,4}|\s+")


@dataclass
class Knobs:
    lecture: str = "# A lecture\n\nHello there. This is a lecture.\n"
    model: str = "gpt-4o-mini"
    known_models: tuple[str, ...] | None = None  # None: every model exists
    time_to_first_token: float = 0.0
    tokens_per_second: float = 0.0  # 0: as fast as the socket takes them
    # 401 404 429 500 drop refuse_stream stall; cut (the stream ends cleanly with no
    # finish_reason and no [DONE]); length (finish_reason "length"); content_filter (that
    # finish reason, half-way); junk (a line that is not JSON); bad_utf8 (bytes that are not);
    # html (200 with a web page: a Wi-Fi login); headers_only (200, then a close);
    # redirect (302 to another host); long_line (one 50 MB line with no end)
    chat_fault: str | None = None
    fault_times: int = 1_000_000  # how many requests the fault hits, then it heals
    retry_after: float = 0.0
    drop_after_tokens: int = 5
    resume_overlap: int = 0  # a continuation repeats this many characters of the partial
    resume_restarts: bool = False  # a continuation starts the lecture over
    one_delta: bool = False  # the whole lecture in one delta (a server that buffers)
    fault_answers: bool = False  # answers to questions get chat_fault too (else never)
    tts_time_to_first_byte: float = 0.0
    tts_real_time_factor: float = 0.0  # seconds of work per second of audio; 0: instant
    tts_seconds_per_char: float = 0.02
    tts_min_seconds: float = 0.15
    # 401 500 drop; json (200 with a JSON body); stall; short (a quarter of what its
    # Content-Length says, then a close); empty (0 bytes); tiny (3 bytes); mp3, wav (the
    # format asked for ignored); mp3_unlabelled (as application/octet-stream); endless
    # (PCM until the client hangs up)
    tts_fault: str | None = None
    tts_fault_for: str | None = None  # only inputs holding this text get the fault
    tts_bytes_per_write: int = 4801  # odd on purpose: sample frames split across reads
    tts_amplitude: float = 0.3
    # What a question gets (a chat whose system message is profai's answer prompt).
    answer: str = "The answer is that plates move because the mantle below them flows."
    # What a note's explanation gets (the grounded lecturer asks one note at a time): the
    # reply of the first key found in the note's line; none found, an empty reply.
    explanations: dict[str, str] = field(default_factory=dict)
    transcript: str = "What happens at a transform boundary?"  # what /audio/transcriptions hears
    quiz_questions: str = ""  # what a quiz-writing chat gets (JSON lines)
    grade_reply: str = '{"score": 0.9}'  # what a grading chat gets
    stt_fault: str | None = None  # 400 (the audio rejected), 401, 500


@dataclass
class LoggedRequest:
    method: str
    path: str
    body: dict[str, Any]
    authorization: str | None
    received: float  # time.monotonic(), the same clock as the profai process
    first_byte_sent: float | None = None
    done: float | None = None
    status: int = 200
    token_times: list[tuple[float, int]] = field(default_factory=list)  # (sent, chars so far)


class FakeOpenAI:
    """Start with ``with FakeOpenAI() as fake:``; point clients at ``fake.base_url``."""

    def __init__(self, knobs: Knobs | None = None, port: int = 0) -> None:
        self.knobs = knobs or Knobs()
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._tones: dict[str, float] = {}
        self._faults_served: dict[str, int] = {}
        self._server = _Server(("127.0.0.1", port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def requests(self, path: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.path.endswith(path)]

    def tone_for(self, text: str) -> float:
        """The frequency this server gives (or will give) a speech input."""
        with self._lock:
            if text not in self._tones:
                self._tones[text] = TONE_BASE_HZ + TONE_STEP_HZ * len(self._tones)
            return self._tones[text]

    def tones(self) -> dict[str, float]:
        with self._lock:
            return dict(self._tones)

    def _take_fault(self, kind: str, fault: str | None) -> str | None:
        if fault is None:
            return None
        with self._lock:
            served = self._faults_served.get(kind, 0)
            if served >= self.knobs.fault_times:
                return None
            self._faults_served[kind] = served + 1
        return fault


def tone(freq: float, seconds: float, amplitude: float = 0.3, rate: int = PCM_RATE) -> np.ndarray:
    """A sine with 5 ms fades, as int16."""
    n = max(1, int(round(seconds * rate)))
    t = np.arange(n) / rate
    wave = np.sin(2 * math.pi * freq * t) * amplitude
    fade = min(n // 2, int(0.005 * rate))
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        wave[:fade] *= ramp
        wave[-fade:] *= ramp[::-1]
    return (wave * 32767).astype("<i2")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # a client hanging up is normal


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        pass

    # -- plumbing ---------------------------------------------------------------

    @property
    def fake(self) -> FakeOpenAI:
        return self.server.fake

    def _begin(self, body: dict[str, Any]) -> LoggedRequest:
        entry = LoggedRequest(
            self.command, self.path, body, self.headers.get("Authorization"), time.monotonic()
        )
        with self.fake._lock:
            self.fake.log.append(entry)
        return entry

    def _json(
        self,
        entry: LoggedRequest,
        status: int,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
    ) -> None:
        data = json.dumps(payload).encode()
        entry.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        entry.first_byte_sent = entry.done = time.monotonic()

    def _error(
        self,
        entry: LoggedRequest,
        status: int,
        message: str,
        code: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self._json(
            entry, status, {"error": {"message": message, "type": code, "code": code}}, headers
        )

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- routes -----------------------------------------------------------------

    def do_GET(self) -> None:
        entry = self._begin({})
        if self.path.rstrip("/").endswith("/models"):
            names = self.fake.knobs.known_models or (self.fake.knobs.model,)
            self._json(
                entry,
                200,
                {
                    "object": "list",
                    "data": [
                        {"id": n, "object": "model", "created": 0, "owned_by": "fake"}
                        for n in names
                    ],
                },
            )
        else:
            self._error(entry, 404, f"no route {self.path}", "not_found")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Type", "").startswith("multipart/form-data"):
            body = _form(self.headers["Content-Type"], raw)
        else:
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                body = {"_raw": raw.decode("latin-1")}
        entry = self._begin(body)
        if self.path.endswith("/chat/completions"):
            self._chat(entry, body)
        elif self.path.endswith("/audio/speech"):
            self._speech(entry, body)
        elif self.path.endswith("/audio/transcriptions"):
            self._transcribe(entry, body)
        else:
            self._error(entry, 404, f"no route {self.path}", "not_found")

    def _common_fault(self, entry: LoggedRequest, fault: str | None) -> bool:
        k = self.fake.knobs
        if fault == "401":
            self._error(entry, 401, "Incorrect API key provided.", "invalid_api_key")
        elif fault == "404":
            self._error(entry, 404, "The model does not exist.", "model_not_found")
        elif fault == "429":
            self._error(
                entry,
                429,
                "Rate limit reached.",
                "rate_limit_exceeded",
                {"Retry-After": f"{k.retry_after:g}"},
            )
        elif fault == "500":
            self._error(entry, 500, "The server had an error.", "server_error")
        else:
            return False
        return True

    def _transcribe(self, entry: LoggedRequest, body: dict[str, Any]) -> None:
        """The transcript the test scripted (the audio it got is logged to be checked)."""
        k = self.fake.knobs
        if k.stt_fault == "400":
            self._error(entry, 400, "Invalid file format.", "invalid_request_error")
            return
        if self._common_fault(entry, k.stt_fault):
            return
        self._json(entry, 200, {"text": k.transcript})

    def _chat(self, entry: LoggedRequest, body: dict[str, Any]) -> None:
        k = self.fake.knobs
        stream = bool(body.get("stream"))
        model = body.get("model", k.model)
        if k.known_models is not None and model not in k.known_models:
            self._error(entry, 404, f"The model `{model}` does not exist.", "model_not_found")
            return
        messages = body.get("messages") or []
        system = str(messages[0].get("content", "")) if messages else ""
        if "raised a hand" in system:
            fault = self.fake._take_fault("chat", k.chat_fault) if k.fault_answers else None
            if fault in ("html", "headers_only", "redirect", "long_line"):
                self._not_a_chat(entry, fault, stream)
            else:
                self._stream_text(entry, model, k.answer)  # a question: its answer
            return
        if system.startswith("You are a teacher saying a student's notes aloud"):
            content = str(messages[-1].get("content", ""))
            asked = re.search(r"Explain note \[(\d+)\]", content)
            note = next(
                (x for x in content.splitlines() if asked and x.startswith(f"[{asked[1]}] ")), ""
            )
            reply = next((r for key, r in k.explanations.items() if key in note), "")
            fault = self.fake._take_fault("chat", k.chat_fault)
            if self._common_fault(entry, fault):
                return
            self._stream_text(entry, model, reply)
            return
        if "You write quiz questions" in system:
            self._stream_text(entry, model, k.quiz_questions)
            return
        if "You grade a student's answer" in system:
            self._stream_text(entry, model, k.grade_reply)
            return
        fault = self.fake._take_fault("chat", k.chat_fault)
        if self._common_fault(entry, fault):
            return
        if fault in ("html", "headers_only", "redirect", "long_line"):
            self._not_a_chat(entry, fault, stream)
            return
        if fault == "refuse_stream" and stream:
            self._error(
                entry, 400, "Streaming is not supported by this server.", "unsupported_parameter"
            )
            return
        if k.time_to_first_token:
            time.sleep(k.time_to_first_token)
        if not stream:
            if k.tokens_per_second:  # a whole answer takes as long as writing it all
                time.sleep(len(tokens(k.lecture)) / k.tokens_per_second)
            self._json(
                entry,
                200,
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": k.lecture},
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                },
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
            payload = {
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return b"data: " + json.dumps(payload).encode() + b"\n\n"

        self._chunk(event({"role": "assistant", "content": ""}))
        entry.first_byte_sent = time.monotonic()
        start = time.monotonic()
        sent_chars = 0
        text = k.lecture
        messages = body.get("messages") or []
        if len(messages) >= 2 and messages[-2].get("role") == "assistant":
            partial = str(messages[-2].get("content", ""))  # asked to go on from here
            if k.lecture.startswith(partial) and not k.resume_restarts:
                text = k.lecture[max(0, len(partial) - k.resume_overlap) :]
        try:
            for i, tok in enumerate([text] if k.one_delta else tokens(text)):
                if fault in ("junk", "bad_utf8") and i >= k.drop_after_tokens:
                    self._chunk(
                        b"data: {not json\n\n" if fault == "junk" else b"data: \xff\xfe\n\n"
                    )
                    self._chunk(b"")
                    entry.done = time.monotonic()
                    return
                if fault in ("cut", "length", "content_filter") and i >= k.drop_after_tokens:
                    if fault in ("length", "content_filter"):
                        self._chunk(event({}, fault))
                        self._chunk(b"data: [DONE]\n\n")
                    self._chunk(b"")  # a clean end of the body, as a proxy's time-out gives
                    entry.done = time.monotonic()
                    return
                if fault == "drop" and i >= k.drop_after_tokens:
                    self._drop()
                    entry.done = time.monotonic()
                    return
                if fault == "stall" and i >= k.drop_after_tokens:
                    time.sleep(3600)
                if k.tokens_per_second:
                    due = start + i / k.tokens_per_second
                    wait = due - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                self._chunk(event({"content": tok}))
                sent_chars += len(tok)
                entry.token_times.append((time.monotonic(), sent_chars))
            self._chunk(event({}, "stop"))
            self._chunk(b"data: [DONE]\n\n")
            entry.done = time.monotonic()  # before the last write: the client may look at once
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            entry.status = 499  # the client went away
            entry.done = time.monotonic()

    def _not_a_chat(self, entry: LoggedRequest, fault: str, stream: bool) -> None:
        """A 200 (or a redirect) that is not the JSON or SSE a chat asked for."""
        entry.status = 302 if fault == "redirect" else 200
        if fault == "redirect":
            self.send_response(302)
            self.send_header("Location", "http://192.0.2.1/login")  # TEST-NET: never answers
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif fault == "html":
            page = b"<html><head><title>Hotel Wi-Fi</title></head><body>Log in</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
        elif fault == "headers_only":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream" if stream else "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            self._drop()
        else:  # long_line
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                self._chunk(b"data: {")
                piece = b"x" * (1 << 20)
                for _ in range(50):
                    self._chunk(piece)
                self._chunk(b"")
            except (BrokenPipeError, ConnectionResetError):
                pass
        entry.done = time.monotonic()

    def _odd_speech(self, entry: LoggedRequest, fault: str, pcm: bytes) -> None:
        """A 200 whose audio is not what was asked for, or not whole."""
        kind, body, declared = "audio/pcm", pcm, len(pcm)
        if fault == "short":
            body = pcm[: len(pcm) // 4]
        elif fault == "empty":
            body, declared = b"", 0
        elif fault == "tiny":
            body, declared = pcm[:3], 3
        elif fault in ("mp3", "mp3_unlabelled"):
            kind = "audio/mpeg" if fault == "mp3" else "application/octet-stream"
            body = _mp3(pcm)
            declared = len(body)
        elif fault == "wav":
            kind, body = "audio/wav", _wav_header(len(pcm)) + pcm
            declared = len(body)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        if len(body) < declared:
            self._drop()
        entry.first_byte_sent = entry.done = time.monotonic()

    def _stream_text(self, entry: LoggedRequest, model: str, text: str) -> None:
        """A plain SSE answer at the knobs' speed, ending with finish_reason stop."""
        k = self.fake.knobs
        if k.time_to_first_token:
            time.sleep(k.time_to_first_token)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(delta: dict[str, Any], finish: str | None = None) -> bytes:
            data = {
                "id": "chatcmpl-answer",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
            return f"data: {json.dumps(data)}\n\n".encode()

        start = time.monotonic()
        try:
            for i, token in enumerate(tokens(text)):
                if k.tokens_per_second:
                    wait = start + i / k.tokens_per_second - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                self._chunk(event({"content": token}))
                if entry.first_byte_sent is None:
                    entry.first_byte_sent = time.monotonic()
            self._chunk(event({}, "stop"))
            self._chunk(b"data: [DONE]\n\n")
            entry.done = time.monotonic()  # before the last write: the client may look at once
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            entry.status = 499
            entry.done = time.monotonic()

    def _speech(self, entry: LoggedRequest, body: dict[str, Any]) -> None:
        k = self.fake.knobs
        text = str(body.get("input", ""))
        if not text.strip():
            self._error(entry, 400, "input must not be empty", "invalid_request_error")
            return
        aimed = k.tts_fault_for is None or k.tts_fault_for in text
        fault = self.fake._take_fault("tts", k.tts_fault) if aimed else None
        if self._common_fault(entry, fault):
            return
        freq = self.fake.tone_for(text)
        speed = float(body.get("speed") or 1.0)  # a faster voice: a shorter tone
        seconds = max(k.tts_min_seconds, len(text) * k.tts_seconds_per_char) / speed
        pcm = tone(freq, seconds, k.tts_amplitude).tobytes()
        fmt = body.get("response_format", "mp3")
        if k.tts_time_to_first_byte:
            time.sleep(k.tts_time_to_first_byte)
        if fmt == "wav":
            header = _wav_header(len(pcm))
            self.send_response(200)
            self.send_header("Content-Type", "audio/wav")
            self.send_header("Content-Length", str(len(header) + len(pcm)))
            self.end_headers()
            self.wfile.write(header + pcm)
            entry.first_byte_sent = entry.done = time.monotonic()
            return
        if fmt != "pcm":
            self._error(
                entry, 400, f"the fake speaks pcm and wav, not {fmt}", "invalid_request_error"
            )
            return
        if fault in ("short", "empty", "tiny", "mp3", "mp3_unlabelled", "wav"):
            self._odd_speech(entry, fault, pcm)
            return
        if fault == "json":  # a proxy or a queued-job API: 200, but no audio
            body_bytes = json.dumps({"status": "queued", "id": "job-1"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body_bytes)))
            self.end_headers()
            self.wfile.write(body_bytes)
            entry.done = time.monotonic()
            return
        self.send_response(200)
        self.send_header("Content-Type", "audio/pcm")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if fault == "stall":  # headers, then nothing
            time.sleep(3600)
            return
        if fault == "endless":  # a server gone wrong: audio without end
            try:
                while True:
                    self._chunk(pcm or b"\0\0")
            except (BrokenPipeError, ConnectionResetError):
                entry.status = 499
                entry.done = time.monotonic()
            return
        step = max(1, k.tts_bytes_per_write)
        start = time.monotonic()
        try:
            for pos in range(0, len(pcm), step):
                if fault == "drop" and pos >= len(pcm) // 2:
                    self._drop()
                    entry.done = time.monotonic()
                    return
                if k.tts_real_time_factor:
                    due = start + (pos / 2 / PCM_RATE) * k.tts_real_time_factor
                    wait = due - time.monotonic()
                    if wait > 0:
                        time.sleep(wait)
                self._chunk(pcm[pos : pos + step])
                if entry.first_byte_sent is None:
                    entry.first_byte_sent = time.monotonic()
            entry.done = time.monotonic()  # before the last write: the client may look at once
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            entry.status = 499
            entry.done = time.monotonic()


def _mp3(pcm: bytes) -> bytes:
    import io

    import soundfile as sf

    out = io.BytesIO()
    sf.write(out, np.frombuffer(pcm, dtype="<i2"), PCM_RATE, format="MP3")
    return out.getvalue()


def _wav_header(data_bytes: int, rate: int = PCM_RATE) -> bytes:
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", data_bytes)
    )


if __name__ == "__main__":  # run by hand: python -m tests.fakes.openai_server
    import sys

    knobs = Knobs(
        tokens_per_second=50,
        time_to_first_token=0.5,
        tts_time_to_first_byte=0.3,
        tts_real_time_factor=0.2,
    )
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as fh:
            knobs.lecture = fh.read()
    with FakeOpenAI(knobs) as fake:
        print(fake.base_url, flush=True)
        threading.Event().wait()


def _form(content_type: str, raw: bytes) -> dict[str, Any]:
    """A multipart/form-data body: its fields as text, a file's bytes under ``<name>_bytes``."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + raw
    )
    out: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        data = data if isinstance(data, bytes) else b""
        if part.get_filename():
            out[f"{name}_bytes"] = data
        else:
            out[str(name)] = data.decode("utf-8", "replace")
    return out
