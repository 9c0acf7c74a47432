"""Every option's value, from flags > environment > config file > built-in default.

The config file is TOML at the platform's user config path (``profai config path``);
its keys are the long option names, with dashes or underscores.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from profai_cli.core.errors import InputError
from profai_cli.core.prompts import LEVELS
from profai_cli.core.safe_text import hide, mask_url, redact

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


OPENAI_DEFAULT_URL = "https://api.openai.com/v1"  # also the SDK's own default


@dataclass
class Settings:
    level: str = "intermediate"
    minutes: float = 5.0
    language: str = "English"
    focus: str | None = None
    llm: str = "auto"
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    local_model: str | None = None
    tts: str = "auto"
    voice: str | None = None
    speed: float = 1.0
    tts_model: str = "gpt-4o-mini-tts"
    tts_instructions: str | None = None
    tts_base_url: str | None = None
    cache: bool = True
    device: str | None = None
    stt: str = "auto"  # who listens to spoken questions
    stt_model: str | None = None
    stt_base_url: str | None = None
    input_device: str | None = None
    lookahead: int = 3
    loudness: str = "-16"  # LUFS every sentence is brought to; "off" keeps the voice's own
    sentence_pause: float = 0.2
    paragraph_pause: float = 0.5
    max_chars: int = 2_000_000
    stream: bool = True
    free: bool = False  # a service model lectures its own way from one prompt, unchecked
    style: str = "lecture"  # or "dialogue": a host asks, the lecturer explains
    voices: str | None = None  # "HOST,LECTURER" for --style dialogue
    checkpoints: bool = False  # a question or two after each section of the lecture
    timeout: float = 60.0  # seconds to the service's first words
    idle_timeout: float = 30.0  # seconds between its words, once they come


# Environment variables besides PROFAI_<NAME>, in the order they are looked at.
_ENV_ALIASES: dict[str, tuple[str, ...]] = {
    "api_key": ("OPENAI_API_KEY",),
    "base_url": ("OPENAI_BASE_URL",),
}
_SECRET = {"api_key"}
CHOICES: dict[str, tuple[str, ...]] = {
    "level": LEVELS,
    "llm": ("auto",),  # and each lecturer that registers a name (lecture/lecturers.py)
    "tts": ("auto", "openai", "piper", "none"),
    "stt": ("auto", "openai", "pocketsphinx", "none"),
    "style": ("lecture", "dialogue"),
}


def add_choice(setting: str, value: str) -> None:
    """One more value a setting takes: how a backend, registered in a layer above this
    one, becomes a choice every source is checked against (flags, environment, file)."""
    if value not in CHOICES[setting]:
        CHOICES[setting] = (*CHOICES[setting], value)


# The longest a text setting may be (a focus is a phrase, not a document).
_LONGEST = {"focus": 500, "language": 40, "tts_instructions": 2000, "model": 200}
# The ranges every source is held to, flags, environment and config file alike.
RANGES: dict[str, tuple[float, float]] = {
    "minutes": (0.5, 600),
    "speed": (0.25, 4.0),
    "sentence_pause": (0.0, 5.0),
    "paragraph_pause": (0.0, 5.0),
    "lookahead": (1, 16),
    "max_chars": (1, 1e12),
    "timeout": (0.1, 3600),
    "idle_timeout": (0.1, 3600),
}


def loudness_target(value: str) -> float | None:
    """--loudness as a target in LUFS, or None for "off"."""
    if value.strip().lower() in ("off", "none", "no"):
        return None
    try:
        target = float(value)
    except ValueError:
        target = float("nan")
    if not -40 <= target <= -5:
        raise InputError(
            f"--loudness {value}: give a level from -40 to -5 LUFS (-16 is a podcast's), or off"
        )
    return target


def config_path() -> Path:
    """The TOML config file: PROFAI_CONFIG, else the user config folder."""
    override = os.environ.get("PROFAI_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("profai") / "config.toml"


def load_file(path: Path | None = None) -> dict[str, Any]:
    """The config file's values by setting name; unknown keys are an error."""
    path = path or config_path()
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"config file {path} is not valid TOML ({exc}); fix or delete it"
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            f"config file {path} is not UTF-8 text; save it as UTF-8, or delete it"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read config file {path}: {exc.strerror}") from None
    known = {f.name for f in fields(Settings)}
    out: dict[str, Any] = {}
    data.pop("pronounce", None)  # read by speech.pronounce.from_config
    data.pop("faithful", None)  # retired: every model's lecture is held to the notes now
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in known:
            raise InputError(
                f"config file {path} has an unknown key '{key}'; "
                f"known keys: {', '.join(sorted(known))}"
            )
        out[name] = value
    return out


def resolve(
    flags: dict[str, Any],
    env: dict[str, str] | None = None,
    file_values: dict[str, Any] | None = None,
) -> tuple[Settings, dict[str, str]]:
    """Settings and, for each, where its value came from (flag, env NAME, file, default)."""
    env = dict(os.environ) if env is None else env
    file_values = load_file() if file_values is None else file_values
    settings = Settings()
    origin: dict[str, str] = {}
    for f in fields(Settings):
        value: Any = None
        source = "default"
        if flags.get(f.name) is not None:
            value, source = flags[f.name], "flag"
        else:
            for var in (f"PROFAI_{f.name.upper()}", *_ENV_ALIASES.get(f.name, ())):
                if env.get(var):
                    value, source = env[var], f"env {var}"
                    break
            else:
                if f.name in file_values:
                    value, source = file_values[f.name], "file"
        if value is None:
            origin[f.name] = "default"
            continue
        default = getattr(settings, f.name)
        kind = str if default is None else type(default)  # "str | None" settings are text
        setattr(settings, f.name, _coerce(f.name, value, kind, source))
        origin[f.name] = source
    loudness_target(settings.loudness)  # a bad level is one line now, before any work
    if settings.voices is not None:
        _, lecturer = dialogue_voices(settings.voices)
        settings.voice = lecturer or settings.voice
    return settings, origin


def dialogue_voices(value: str) -> tuple[str | None, str | None]:
    """--voices HOST,LECTURER: either may be left empty (",onyx" names the lecturer's)."""
    names = [n.strip() or None for n in value.split(",")]
    if len(names) != 2 or names == [None, None]:
        raise InputError(
            f"--voices {value}: give two voices, HOST,LECTURER (e.g. nova,onyx, or "
            "rms,/path/to/voice.onnx offline)"
        )
    return names[0], names[1]


def _coerce(name: str, value: Any, kind: type, source: str) -> Any:
    where = "" if source == "flag" else f" (from {source})"
    try:
        # A config file's value keeps its TOML type: 2.7 is no count, true no speed, a
        # table no focus. Strings (flags, the environment) are parsed.
        if kind is bool and isinstance(value, str):
            low = value.strip().lower()
            if low not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError
            result: Any = low in ("1", "true", "yes", "on")
        elif isinstance(value, bool) and kind is not bool:
            raise TypeError
        elif kind is bool:
            if not isinstance(value, bool):
                raise TypeError
            result = value
        elif kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise TypeError
            if not isinstance(value, (int, float, str)):
                raise TypeError
            result = int(float(value)) if isinstance(value, float) else int(value)
        elif kind is float:
            if not isinstance(value, (int, float, str)):
                raise TypeError
            result = float(value)
        else:
            if not isinstance(value, str):
                raise TypeError
            result = value
    except (TypeError, ValueError):
        shown = "***" if name in _SECRET else repr(value)
        what = {int: "a whole number", float: "a number", bool: "true or false"}.get(kind, "text")
        raise InputError(f"{name.replace('_', '-')}{where} must be {what}, not {shown}") from None
    label = name.replace("_", "-")
    if name in RANGES and not isinstance(result, bool):
        least, most = RANGES[name]
        if not least <= result <= most:  # also false for nan
            raise InputError(f"{label}{where} must be from {least:g} to {most:g}, not {value!r}")
    if isinstance(result, str) and name in _LONGEST and len(result) > _LONGEST[name]:
        raise InputError(
            f"{label}{where} is {len(result):,} characters; give at most {_LONGEST[name]:,}"
        )
    if name in ("base_url", "tts_base_url", "stt_base_url") and isinstance(result, str):
        if any(c.isspace() for c in result.strip()) or not result.isprintable():
            raise InputError(
                f"{label}{where} has a space or a line break in it "
                f"({mask_url(result.strip())[:40]!r}...);"
                " give the address on its own"
            )
        result = result.strip()
        if result:
            from profai_cli.core.urls import parse_address

            parse_address(result, f"{label}{where}")  # a bad port or a socket path: now
    if name in _SECRET and isinstance(result, str):
        result = result.strip()  # a key pasted with its newline
        if not result.isascii() or not result.isprintable():
            raise InputError(
                f"the API key{where} has characters that cannot be sent in an HTTP header "
                "(spaces, accents or control characters); copy the key again"
            )
        hide(result)
    if name in CHOICES and result not in CHOICES[name]:
        raise InputError(
            f"{name.replace('_', '-')}{where} must be one of "
            f"{', '.join(CHOICES[name])}, not {result!r}"
        )
    return result


def describe(settings: Settings, origin: dict[str, str]) -> list[tuple[str, str, str]]:
    """(option, value, origin) rows for `profai config show`; secrets shown as set/unset."""
    rows = []
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if f.name in _SECRET:
            shown = "(set)" if value else "(not set)"
        else:
            shown = redact(_as_written(value))  # an address's password is never shown
        rows.append((f.name.replace("_", "-"), shown, origin.get(f.name, "default")))
    return rows


def _as_written(value: object) -> str:
    """A setting as the config file writes it: true, 5, 0.25, gpt-4o-mini, (none) for
    unset; not Python's True, None or quoted strings."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
