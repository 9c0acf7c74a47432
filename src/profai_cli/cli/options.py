"""The commands' options, declared once, in the groups the help shows them in.

Each group is a list of parameters that ``@takes(...)`` adds to a command's signature,
so teach, export and ask share one declaration of each option. Defaults shown in the
help are read from the one place defaults live (config's ``Settings``), so the help
cannot disagree with what runs; the choices are those config checks (--llm's: the
lecturers registered), as enums that Typer shows and completes. Nothing heavier than
typer, config and the lecturers' registry is imported: this runs for ``--help``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._types import TyperChoice

from profai_cli.core.config import CHOICES, RANGES, Settings
from profai_cli.lecture import lecturers  # noqa: F401  (its backends are --llm's choices)

_DEFAULTS = Settings()


class _Choices(TyperChoice[str]):
    """Typer's choice, shown as <a | b | c>: a narrow help wraps between choices, never
    inside one (<beginner|intermed / iate|expert> at 60 columns)."""

    def get_metavar(self, param: Any, ctx: Any) -> str | None:
        return "<" + " | ".join(str(c) for c in self.choices) + ">"


def _choice(name: str) -> Any:
    return Enum(name.title(), {v: v for v in CHOICES[name]}, type=str)  # type: ignore[misc]


LevelChoice = _choice("level")
LlmChoice = _choice("llm")
TtsChoice = _choice("tts")
SttChoice = _choice("stt")
StyleChoice = _choice("style")
_ENUMS = {
    "level": LevelChoice,
    "llm": LlmChoice,
    "tts": TtsChoice,
    "stt": SttChoice,
    "style": StyleChoice,
}


def _default(name: str) -> dict[str, Any]:
    """The setting's built-in default as the option's, shown in the help. A value left
    at its default does not override the environment or config file: settings_from()
    takes only what came from the command line."""
    value = getattr(_DEFAULTS, name)
    choice = _ENUMS.get(name)
    return {"default": choice(value) if choice else value, "shown": True}


def _bounds(name: str) -> dict[str, Any]:
    """The range config holds every source to, for Typer to show and check."""
    low, high = RANGES[name]
    kind = type(getattr(_DEFAULTS, name))
    if high >= 1e9:  # no real ceiling, only a sanity check config keeps
        return {"min": kind(low)}
    return {"min": kind(low), "max": kind(high)}


def _voices(incomplete: str) -> list[str]:
    """--voice completion: OpenAI's voices and the Piper voices installed."""
    from profai_cli.service.speech import VOICES
    from profai_cli.tts.piper_tts import bundled_voice_path

    found = list(VOICES)
    bundled = bundled_voice_path()
    if bundled is not None:
        found.append(str(bundled))
    return [v for v in found if v.startswith(incomplete)]


def _devices(incomplete: str) -> list[str]:
    """--device completion: the output devices' indexes and names."""
    try:
        from profai_cli.audio.device import output_devices

        listed = output_devices()
    except Exception:
        return []
    names = [str(d["index"]) for d in listed] + [str(d["name"]) for d in listed]
    return [n for n in names if n.startswith(incomplete)]


def _opt(
    name: str,
    kind: Any,
    help: str,
    panel: str,
    *decls: str,
    default: Any = None,
    shown: str | bool = False,
    **more: Any,
) -> inspect.Parameter:
    choice = _ENUMS.get(name)
    if choice is not None:
        more["click_type"] = _Choices([item.value for item in choice])
    option = typer.Option(*decls, help=help, rich_help_panel=panel, show_default=shown, **more)
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=Annotated[kind, option]
    )


def _flag(name: str, flag: str, help: str, panel: str, *short: str) -> inspect.Parameter:
    return _opt(name, bool, help, panel, flag, *short, default=False)


# The help panels, in the order a user thinks of them.
IN_LECTURE = "The lecture"
IN_LECTURER = "The lecturer"
IN_VOICE = "The voice"
IN_SOUND = "The sound"
IN_LISTEN = "Questions by voice"
IN_OUTPUT = "Output"
IN_REUSE = "Reuse"

LECTURE = [
    _opt("level", LevelChoice | None, "Audience.", IN_LECTURE, **_default("level")),
    _opt(
        "minutes",
        float | None,
        "Target length.",
        IN_LECTURE,
        **_default("minutes"),
        **_bounds("minutes"),
    ),
    _opt("language", str | None, "Lecture language.", IN_LECTURE, **_default("language")),
    _opt("focus", str | None, "What to emphasise.", IN_LECTURE),
    _opt(
        "style",
        StyleChoice | None,
        "A lecture, or a dialogue: a host who asks and a lecturer who explains.",
        IN_LECTURE,
        **_default("style"),
    ),
    _opt(
        "pages", str | None, "Only these pages of a PDF or slides of a PPTX, e.g. 3-7.", IN_LECTURE
    ),
    _opt("section", str | None, "Only this heading of the notes and what is under it.", IN_LECTURE),
    _flag(
        "checkpoints",
        "--checkpoints",
        "A question or two after each section, answered as it plays (export: spoken with "
        "a pause, then the answer).",
        IN_LECTURE,
    ),
]
LECTURER = [
    _opt(
        "llm",
        LlmChoice | None,
        "Who writes the lecture: a service (openai), the local model (local), or none "
        "(your notes, narrated).",
        IN_LECTURER,
        "--llm",
        **_default("llm"),
    ),
    _opt(
        "model", str | None, "Chat model.", IN_LECTURER, shown="gpt-4o-mini, or the server's first"
    ),
    _opt("base_url", str | None, "OpenAI-compatible API (Ollama, llama.cpp, vLLM).", IN_LECTURER),
    _opt("api_key", str | None, "API key (or OPENAI_API_KEY).", IN_LECTURER),
    _opt(
        "local_model",
        str | None,
        "A GGUF model file for --llm local.",
        IN_LECTURER,
        shown="Qwen2.5-Coder-1.5B-Instruct, the model extra",
    ),
    _flag("no_stream", "--no-stream", "Write the whole lecture first, then speak it.", IN_LECTURER),
    _flag(
        "free",
        "--free",
        "Let a service model write the whole lecture its own way, from one prompt: its "
        "sentences are not held to the notes.",
        IN_LECTURER,
    ),
    _opt(
        "timeout",
        float | None,
        "Seconds to wait for the service's first words.",
        IN_LECTURER,
        **_default("timeout"),
        **_bounds("timeout"),
    ),
    _opt(
        "max_chars",
        int | None,
        "Largest notes accepted, in characters.",
        IN_LECTURER,
        **_default("max_chars"),
        **_bounds("max_chars"),
    ),
]
VOICE = [
    _opt("tts", TtsChoice | None, "Voice engine.", IN_VOICE, "--tts", **_default("tts")),
    _opt(
        "voice",
        str | None,
        "Voice name (OpenAI's) or a Piper .onnx file; see `profai voices`.",
        IN_VOICE,
        autocompletion=_voices,
    ),
    _opt(
        "voices",
        str | None,
        "The dialogue's two voices, HOST,LECTURER (OpenAI's names, or Piper/Flite's).",
        IN_VOICE,
        shown="a second voice beside the lecturer's",
    ),
    _opt(
        "speed",
        float | None,
        "Speaking speed.",
        IN_VOICE,
        **_default("speed"),
        **_bounds("speed"),
    ),
    _opt("tts_model", str | None, "OpenAI speech model.", IN_VOICE, **_default("tts_model")),
    _opt("tts_instructions", str | None, "How the voice should speak (gpt-4o-mini-tts).", IN_VOICE),
    _opt(
        "tts_base_url",
        str | None,
        "OpenAI-compatible speech server.",
        IN_VOICE,
        shown="the LLM's base URL",
    ),
    _flag("no_cache", "--no-cache", "Do not reuse or keep synthesized audio.", IN_VOICE),
]
PACING = [
    _opt(
        "loudness",
        str | None,
        "Every sentence at this loudness, in LUFS (-16: a podcast's), peaks under -1 dBTP; "
        "off keeps the voice's own.",
        IN_SOUND,
        **_default("loudness"),
    ),
    _opt(
        "sentence_pause",
        float | None,
        "Silence between sentences, in seconds (less when faster).",
        IN_SOUND,
        **_default("sentence_pause"),
        **_bounds("sentence_pause"),
    ),
    _opt(
        "paragraph_pause",
        float | None,
        "Silence after headings and paragraphs.",
        IN_SOUND,
        **_default("paragraph_pause"),
        **_bounds("paragraph_pause"),
    ),
    _opt(
        "lookahead",
        int | None,
        "Sentences synthesized ahead of the voice.",
        IN_SOUND,
        **_default("lookahead"),
        **_bounds("lookahead"),
    ),
]
SOUND = [
    _flag("no_audio", "--no-audio", "Text only, no voice.", IN_SOUND),
    _opt(
        "device",
        str | None,
        "Output device name or index (see `profai devices`).",
        IN_SOUND,
        autocompletion=_devices,
    ),
    _flag(
        "require_audio", "--require-audio", "Fail (exit 4) instead of going on as text.", IN_SOUND
    ),
    _flag("no_keys", "--no-keys", "No player keys (space, arrows, a, q) on a terminal.", IN_SOUND),
]
LISTEN = [
    _opt(
        "stt",
        SttChoice | None,
        "Who hears spoken questions (v): a service, pocketsphinx offline, or none.",
        IN_LISTEN,
        "--stt",
        **_default("stt"),
    ),
    _opt(
        "stt_model", str | None, "Speech-to-text model.", IN_LISTEN, shown="gpt-4o-mini-transcribe"
    ),
    _opt(
        "stt_base_url",
        str | None,
        "OpenAI-compatible speech-to-text server.",
        IN_LISTEN,
        shown="the LLM's base URL",
    ),
    _opt(
        "input_device",
        str | None,
        "Microphone name or index (see `profai devices`).",
        IN_LISTEN,
    ),
]
LISTEN_FLAG = _flag("listen", "--listen", "Hear the question from the microphone.", IN_LISTEN)
JSON_EVENTS = _flag(
    "json", "--json", "One JSON event a line on stdout instead of text (see the README).", IN_OUTPUT
)
TEACH_OUTPUT = [
    JSON_EVENTS,
    _flag("restart", "--restart", "Start from the beginning, not where you stopped.", IN_OUTPUT),
    _flag("stats", "--stats", "Print a latency table at the end.", IN_OUTPUT),
    _opt(
        "stats_json",
        Path | None,
        "Write the latency numbers to this JSON file (a course: a list, one per lecture).",
        IN_OUTPUT,
    ),
    _flag("quiet", "--quiet", "No status lines.", IN_OUTPUT, "-q"),
]
EXPORT_OUTPUT = [
    _flag("force", "--force", "Overwrite existing files.", IN_OUTPUT, "-f"),
    _opt(
        "transcript",
        Path | None,
        "Also write the lecture as markdown (chapters, asides).",
        IN_OUTPUT,
    ),
    _opt(
        "subtitles", Path | None, "Also write subtitles, a cue a sentence: .srt or .vtt.", IN_OUTPUT
    ),
    _flag(
        "words",
        "--words",
        "Subtitles word by word: .vtt marks each word in its sentence, .srt a cue a word.",
        IN_OUTPUT,
    ),
    _opt("title", str | None, "Title tag.", IN_OUTPUT, shown="the notes' first heading"),
    _opt("cover", Path | None, "A cover picture (.jpg, .png) for .mp3, .m4a and .m4b.", IN_OUTPUT),
    _opt(
        "audio_format",
        str | None,
        "For a course, or `export -` (stdout): the audio format (- takes wav raw mp3 ogg flac).",
        IN_OUTPUT,
        "--format",
        shown="mp3",
    ),
    _opt(
        "jobs",
        int | None,
        "For a course: lectures made at once.",
        IN_OUTPUT,
        "--jobs",
        "-j",
        shown="3 with services, else 1",
        min=1,
        max=16,
    ),
    _flag("quiet", "--quiet", "No status lines or progress.", IN_OUTPUT, "-q"),
]
REUSE = [
    _flag("fresh", "--fresh", "Write a new lecture, not the one kept for these notes.", IN_REUSE),
    _opt(
        "from_transcript", Path | None, "Speak this (edited) transcript as it is, no LLM.", IN_REUSE
    ),
    _flag(
        "with_questions",
        "--with-questions",
        "Say the questions asked while it was taught.",
        IN_REUSE,
    ),
    _flag(
        "keep_partial",
        "--keep-partial",
        "Keep what was made of a lecture that could not "
        "be completed, as NAME.partial.EXT (exit 3 still).",
        IN_REUSE,
    ),
]
ASK_OUTPUT = [
    _flag("no_audio", "--no-audio", "Text only, no voice.", IN_SOUND),
    _flag("quiet", "--quiet", "No status lines.", IN_OUTPUT, "-q"),
]
QUIZ_OUTPUT = [
    _opt("count", int, "How many questions.", IN_OUTPUT, "-n", "--count", default=5, min=1),
    JSON_EVENTS,
    _opt(
        "anki",
        Path | None,
        "Write the questions as an Anki deck (.apkg) instead of asking them.",
        IN_OUTPUT,
        "--anki",
    ),
    _flag(
        "with_audio",
        "--with-audio",
        "With --anki: the question and the answer said on each card, in the voice.",
        IN_OUTPUT,
    ),
    _flag("stats", "--stats", "review: due, learned and retention per section.", IN_OUTPUT),
    *ASK_OUTPUT,
]

NotesArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Notes: markdown or text, PDF, DOCX, PPTX, HTML, EPUB, a web address, or a "
        "folder of them (a course, in order); '-' or none reads piped stdin.",
        show_default=False,
    ),
]


# The options that are not settings, typed, one object per command: what a command
# body reads besides its Settings. takes() checks that they match the groups it adds.


@dataclass(frozen=True)
class TeachFlags:
    pages: str | None
    section: str | None
    no_audio: bool
    require_audio: bool
    no_keys: bool
    restart: bool
    stats: bool
    stats_json: Path | None
    quiet: bool
    json: bool


@dataclass(frozen=True)
class ExportFlags:
    pages: str | None
    section: str | None
    force: bool
    transcript: Path | None
    subtitles: Path | None
    words: bool
    title: str | None
    cover: Path | None
    audio_format: str | None
    jobs: int | None
    quiet: bool
    fresh: bool
    from_transcript: Path | None
    with_questions: bool
    keep_partial: bool


@dataclass(frozen=True)
class SpeakFlags:
    """say."""

    no_audio: bool
    quiet: bool


@dataclass(frozen=True)
class AskFlags:
    no_audio: bool
    quiet: bool
    json: bool
    listen: bool


@dataclass(frozen=True)
class QuizFlags:
    """quiz and review."""

    count: int
    json: bool
    anki: Path | None
    with_audio: bool
    stats: bool
    no_audio: bool
    quiet: bool


@dataclass(frozen=True)
class PagesFlags:
    """notes: which part of the document."""

    pages: str | None
    section: str | None
