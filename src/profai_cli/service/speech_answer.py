"""One check of a speech answer: audio in the format asked for, whole, and plausible.

A sentence's answer is taken only when it is raw PCM as asked (or a WAV, MP3, Ogg or
FLAC file, decoded properly: never played as samples), at least as long as its
Content-Length said, and long enough to be its text spoken (a few milliseconds for a
sentence is not speech). Anything else is a failure of that sentence (``TTSError``):
never cached, said by the offline stand-in, counted. One sentence's audio is capped at
a few times the longest a voice could take to say it: a server streaming without end
fails the sentence instead of filling the memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from profai_cli.core.errors import TTSError

if TYPE_CHECKING:
    import numpy as np

SHORTEST_WORD = 0.02  # seconds a word takes at the least: 15 times faster than speech
LONGEST_WORD = 1.0  # seconds a word takes at the most: slower than a slow voice
CAP_TIMES = 4  # the cap: this many times the longest plausible length, plus ...
CAP_SPARE = 10.0  # ... these seconds
_PCM_TYPES = ("audio/pcm", "audio/l16", "audio/raw", "audio/x-raw", "application/octet-stream")
_TEXT_TYPES = ("json", "text/", "html", "xml")
_CONTAINERS = {
    "wav": "WAV",
    "wave": "WAV",
    "x-wav": "WAV",
    "vnd.wave": "WAV",
    "mpeg": "MP3",
    "mp3": "MP3",
    "mpeg3": "MP3",
    "ogg": "Ogg",
    "opus": "Ogg",
    "flac": "FLAC",
    "x-flac": "FLAC",
}


def words_in(text: str) -> int:
    """Words to say: spaced words, and each CJK character as one."""
    wide = sum(1 for c in text if "\u3040" <= c <= "\u30ff" or "\u3400" <= c <= "\u9fff")
    return max(1, len(text.split()) + wide)


class SpeechAnswer:
    """Reads one answer: ``begin`` with its headers, ``feed`` its bytes (PCM frames
    come back at once), ``end`` (the rest, if it was a file to decode). Raises
    TTSError for anything that is not this text's audio, whole."""

    def __init__(self, text: str, speed: float, rate: int, where: str) -> None:
        words = self.words = words_in(text)
        speed = max(speed, 0.25)
        self.rate = rate
        self.where = where
        self.least = words * SHORTEST_WORD / speed
        self.most = CAP_TIMES * words * LONGEST_WORD / speed + CAP_SPARE
        self.cap_bytes = int(self.most * rate) * 2
        self.kind = "pcm"  # or a container's name, once told
        self.declared: int | None = None
        self.received = 0
        self.samples = 0
        self._carry = b""
        self._held: list[bytes] = []  # a container's bytes, decoded at the end
        self._sniffed = False
        self.labelled_pcm = False

    def begin(self, content_type: str | None, content_length: str | None) -> None:
        kind = (content_type or "").split(";")[0].strip().lower()
        self.labelled_pcm = kind in _PCM_TYPES[:4]  # said to be raw PCM: taken at its word
        if any(t in kind for t in _TEXT_TYPES):
            raise self._failed(f"answered with {kind}, not audio")
        if kind.startswith("audio/") and kind not in _PCM_TYPES:
            sub = kind.split("/", 1)[1]
            if sub not in _CONTAINERS:
                raise self._failed(f"answered with {kind}, not the PCM asked for")
            self.kind = _CONTAINERS[sub]
        try:
            self.declared = int(content_length) if content_length else None
        except ValueError:
            self.declared = None

    def feed(self, data: bytes) -> np.ndarray | None:
        """PCM frames of ``data`` when the answer is PCM (None while a file is held)."""
        if not self._sniffed and data:
            self._sniffed = True
            self._sniff(data)
        self.received += len(data)
        if self.received > self.cap_bytes:
            raise self._failed(
                f"sent more than {self.most:.0f} s of audio for a sentence of {self.words} words"
            )
        if self.kind != "pcm":
            self._held.append(data)
            return None
        import numpy as np

        data, self._carry = self._carry + data, b""
        if len(data) % 2:
            data, self._carry = data[:-1], data[-1:]
        self.samples += len(data) // 2
        return np.frombuffer(data, dtype="<i2") if data else None

    def end(self) -> np.ndarray | None:
        """The whole answer checked; a file's audio, decoded."""
        if self.declared is not None and self.received < self.declared:
            raise self._failed(
                f"sent {self.received:,} of the {self.declared:,} bytes it announced "
                "(the answer was cut off)"
            )
        frames = None
        if self.kind != "pcm":
            from profai_cli.audio.decode import NotDecodable, decode

            try:
                frames = decode(b"".join(self._held), self.rate)
            except NotDecodable as exc:
                what = f"sent {self.kind} audio that could not be read ({exc})"
                raise self._failed(what) from None
            self._held = []
            self.samples = len(frames)
        if self.samples / self.rate < self.least:
            raise self._failed(
                f"sent {self.samples / self.rate * 1000:.0f} ms of audio for a sentence of "
                f"{self.words} words: not speech"
            )
        return frames

    def _sniff(self, head: bytes) -> None:
        """A file sent as PCM, told by its first bytes (a label can be wrong)."""
        if self.kind != "pcm":
            return
        if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
            self.kind = "WAV"
        elif head.startswith(b"ID3"):
            self.kind = "MP3"
        elif head.startswith(b"OggS"):
            self.kind = "Ogg"
        elif head.startswith(b"fLaC"):
            self.kind = "FLAC"
        elif not self.labelled_pcm and _mpeg_frame(head):
            self.kind = "MP3"  # unlabelled (octet-stream, or none): MPEG frames, no ID3 tag
        elif _text_like(head):
            raise self._failed(
                f"answered with text, not audio ({head[:60].decode('utf-8', 'replace')!r})"
            )

    def _failed(self, what: str) -> TTSError:
        return TTSError(f"voice: {self.where} {what}; check --tts-base-url", retryable=True)


def _mpeg_frame(head: bytes) -> bool:
    """An MPEG audio frame header (sync, a real version, layer, bit rate and sample rate),
    and another right where its length says the next begins: not PCM's first samples."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate in (0, 15) or rate == 3:
        return False  # layer III only (what speech servers send)
    kbps = (_MP3_KBPS_V1 if version == 3 else _MP3_KBPS_V2)[bitrate]
    hz = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}[version]
    size = (144 if version == 3 else 72) * kbps * 1000 // hz[rate] + ((head[2] >> 1) & 1)
    nxt = head[size : size + 2]
    return len(nxt) < 2 or (nxt[0] == 0xFF and nxt[1] & 0xE0 == 0xE0)


_MP3_KBPS_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MP3_KBPS_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)


def _text_like(data: bytes) -> bool:
    """The first bytes of an answer that are text: JSON or an HTML page."""
    head = data[:256].lstrip()
    if not head or head[:1] not in (b"{", b"[", b"<"):
        return False
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return decoded.isprintable() or "\n" in decoded
