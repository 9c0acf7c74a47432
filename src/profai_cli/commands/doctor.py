"""`profai doctor`: what works on this machine, and what to do about what does not."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass

from profai_cli.core.config import Settings, config_path, load_file
from profai_cli.core.errors import ProfaiError


@dataclass
class Check:
    name: str
    ok: bool | None  # None: not needed here (a note, not a problem)
    detail: str


def run_checks(settings: Settings) -> tuple[list[Check], bool]:
    """Every check, and whether `profai teach` can run."""
    checks = [_config(), *_audio(), *_listening(settings), _key(settings)]
    service = _service(settings)
    checks.append(service)
    local = _local_model(settings)
    checks += [local, _piper(), _ffmpeg(), _cache()]
    from profai_cli.lecture.lecturers import select_llm

    try:
        chosen = select_llm(settings)
        can_teach = not (chosen.served and service.ok is False)
        checks.append(Check("lecturer for teach", can_teach, chosen.why))
    except ProfaiError as exc:
        can_teach = False
        checks.append(Check("lecturer for teach", False, exc.message))
    return checks, can_teach


def _config() -> Check:
    path = config_path()
    try:
        values = load_file(path)
    except ProfaiError as exc:
        return Check("config file", False, exc.message)
    if not path.exists():
        return Check("config file", None, f"none at {path} (optional)")
    return Check("config file", True, f"{path} ({len(values)} settings)")


def _audio() -> list[Check]:
    try:
        from profai_cli.audio.device import output_devices

        devices = output_devices()
    except ProfaiError as exc:
        return [Check("PortAudio / sound output", False, exc.message)]
    if not devices:
        return [
            Check("PortAudio", True, "installed"),
            Check(
                "sound output",
                False,
                "no output device; teach prints the lecture "
                "without a voice, or use `profai export lecture.mp3`",
            ),
        ]
    default = next((d["name"] for d in devices if d["default"]), devices[0]["name"])
    return [
        Check("PortAudio", True, "installed"),
        Check("sound output", True, f"{len(devices)} device(s), default: {default}"),
    ]


def _listening(settings: Settings) -> list[Check]:
    """The microphone (a 1-second level check) and who would hear a spoken question."""
    from profai_cli.audio.mic import peak_level
    from profai_cli.stt.sphinx import sphinx_available

    try:
        name, peak = peak_level(settings.input_device)
    except ProfaiError as exc:
        mic = Check("microphone", None, f"{exc.message.split(';')[0]}: questions are typed (a)")
    else:
        if peak > -90:
            mic = Check("microphone", True, f"{name}: peak {peak:.0f} dBFS in 1 s")
        else:
            mic = Check(
                "microphone",
                False,
                f"{name} is silent (peak {peak:.0f} dBFS in 1 s): unmute it or raise its input "
                "volume (pavucontrol, alsamixer), or pick another with --input-device",
            )
    if sphinx_available():
        ear = Check("offline listening", True, "pocketsphinx, held to the notes' words")
    else:
        ear = Check(
            "offline listening",
            None,
            "pocketsphinx is missing: pip install 'profai-cli[offline]' (or a service: --stt)",
        )
    return [mic, ear]


def _key(settings: Settings) -> Check:
    if settings.api_key:
        return Check("API key", True, "set (OPENAI_API_KEY or --api-key)")
    return Check("API key", None, "not set: OpenAI's service is off; set OPENAI_API_KEY to use it")


def _service(settings: Settings) -> Check:
    from profai_cli.service.client import OPENAI_DEFAULT_URL

    if not settings.api_key and not settings.base_url:
        from profai_cli.service.discover import KNOWN_SERVERS, find_local_server

        server = find_local_server(budget=1.0)
        if server is not None:
            return Check(
                "LLM service", True, f"{server.kind} at {server.base_url} serves {server.model}"
            )
        looked = ", ".join(f"{kind} (:{port})" for kind, port in KNOWN_SERVERS)
        return Check("LLM service", None, f"none running ({looked}): the offline lecturer is used")
    import http.client

    from profai_cli.core.safe_text import redact
    from profai_cli.core.urls import OffOrigin, opener, parse_address

    address = parse_address((settings.base_url or OPENAI_DEFAULT_URL).rstrip("/"), "--base-url")
    base = address.shown  # shown; the request goes to address.url, with its credentials
    request = urllib.request.Request(f"{address.url}/models")
    auth = address.basic_auth or (f"Bearer {settings.api_key}" if settings.api_key else None)
    if auth:
        request.add_header("Authorization", auth)
    try:
        with opener(address).open(request, timeout=5) as response:
            data = json.loads(response.read(2_000_000) or b"{}")
        models = [m.get("id") for m in data.get("data", []) if isinstance(m, dict)]
        return Check("LLM service", True, f"{base} answers ({len(models)} models)")
    except urllib.error.HTTPError as exc:
        fix = "check OPENAI_API_KEY" if exc.code in (401, 403) else "check --base-url"
        return Check("LLM service", False, f"{base}/models answered HTTP {exc.code}; {fix}")
    except (
        urllib.error.URLError,
        OSError,
        ValueError,
        http.client.HTTPException,
        OffOrigin,
    ) as exc:
        reason = redact(str(getattr(exc, "reason", exc)))
        return Check(
            "LLM service",
            False,
            f"cannot reach {base} ({reason}); check --base-url and the network",
        )


def _local_model(settings: Settings) -> Check:
    import importlib.util

    from profai_cli.llm import model_file

    if settings.local_model:
        ok = os.path.isfile(settings.local_model)
        return Check(
            "local model",
            ok,
            settings.local_model if ok else f"{settings.local_model} not found",
        )
    if importlib.util.find_spec("llama_cpp") is None or not model_file.installed():
        return Check(
            "local model",
            None,
            "not installed: the lecture is your notes, narrated; pip install "
            f"'profai-cli[model]' for {model_file.NAME} to explain them (1.1 GB)",
        )
    path = model_file.model_path()
    state = "ready" if path.is_file() else "joined from its parts at first use"
    return Check("local model", True, f"{model_file.NAME} ({state})")


def _piper() -> Check:
    from profai_cli.tts.piper_tts import BUNDLED_VOICE, bundled_voice_path, piper_available

    if piper_available() and bundled_voice_path() is not None:
        return Check("offline voice", True, f"Piper {BUNDLED_VOICE} (22050 Hz)")
    return Check("offline voice", False, "Piper is missing: pip install 'profai-cli[offline]'")


def _ffmpeg() -> Check:
    path = shutil.which("ffmpeg")
    if path:
        return Check("ffmpeg", True, path)
    return Check(
        "ffmpeg", None, "not installed: only .m4a/.aac export needs it (apt-get install ffmpeg)"
    )


def _cache() -> Check:
    from profai_cli.tts.cache import default_cache_dir

    root = default_cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root):
            pass
    except OSError as exc:
        return Check(
            "audio cache",
            False,
            f"{root} is not writable ({exc.strerror}); synthesized audio will not be reused",
        )
    return Check("audio cache", True, f"{root} is writable")
