"""The errors a user sees: one line that says what is wrong and what to do.

The runner (``cli/runner.py``) prints these (teach prints one itself when it goes on to
speak what it has first); anything else is a bug: one line there, its traceback in the log.

    ProfaiError                  (exit 1)
    ├── InputError               (exit 2)  bad notes, bad option values
    ├── ServiceError             (exit 3)  the LLM or TTS service failed
    │   ├── StreamCut            (exit 3)  the stream ended with no finish reason
    │   └── TTSError             (exit 3)  carries the HTTP status for retry/fallback
    ├── AudioDeviceError         (exit 4)  no sound output and --require-audio
    └── ExportError              (exit 2)  bad target file or missing encoder
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1
    BAD_INPUT = 2
    SERVICE = 3
    AUDIO_DEVICE = 4
    INTERRUPTED = 130


class ProfaiError(Exception):
    """An expected failure: shown to the user as one line, no traceback."""

    exit_status = ExitStatus.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.shown = False  # already printed (the lecture went on after it)


class InputError(ProfaiError):
    exit_status = ExitStatus.BAD_INPUT


class ServiceError(ProfaiError):
    exit_status = ExitStatus.SERVICE
    # The lecture goes on in the notes' own words rather than stop (a local model this
    # machine cannot run: nothing the user asked for is wrong).
    lecture_goes_on = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        unreachable: bool = False,
    ):
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.unreachable = unreachable  # no answer at all: another kind of request won't help


class StreamCut(ServiceError):
    """The lecture's stream ended before the model said it was done (a dropped
    connection, a proxy's time-out, or the model's token limit: ``reason`` says which)."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, retryable=True)
        self.reason = reason  # "dropped", "stalled" or "length"


class TTSError(ServiceError):
    """A speech request failed; ``status`` is the HTTP status when there was one;
    ``fatal``: the voice is given up on (it failed for every sentence), exit 3."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        unreachable: bool = False,
        fatal: bool = False,
    ):
        super().__init__(message, status=status, retryable=retryable, unreachable=unreachable)
        self.fatal = fatal


class AudioDeviceError(ProfaiError):
    exit_status = ExitStatus.AUDIO_DEVICE


class ExportError(ProfaiError):
    exit_status = ExitStatus.BAD_INPUT
