"""The local model's stop: what it costs to generate with it, and how soon it stops.

--llm local runs llama.cpp in profai's process. A generation must stop at once when
asked (Ctrl-C, a steer), mid-prompt too, so llama.cpp reads a stop between the
operations of its graph. Read by a Python callback, that took the GIL a thousand times
a token, and beside a busy Python thread (the panel, the voice) generation crawled.
This prints tokens/s (a short prompt and 60 tokens, timed whole) without a stop, with
a Python callback and with the stop profai uses (a byte libc's strlen reads), each
alone and beside a thread that holds the GIL; then how long a stop asked mid-prompt
takes to return.

Run: python benchmarks/local_stop.py   (needs the model extra: pip install '.[model]')
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import _common  # noqa: F401  (puts the repo on sys.path)
from _common import ROOT, table
from profai_cli.llm import local

SHORT = [{"role": "user", "content": "Explain what a neuron is in one paragraph."}]
NOTES = "\n\n".join(p.read_text() for p in sorted((ROOT / "tests/notes/subjects").glob("*.md"))[:4])
LONG = [{"role": "user", "content": f"Explain these notes:\n\n{NOTES}"}]


@contextlib.contextmanager
def _none(model: Any, stop: local.Stop) -> Iterator[None]:
    yield


@contextlib.contextmanager
def _python_callback(model: Any, stop: local.Stop) -> Iterator[None]:
    import llama_cpp

    asked = llama_cpp.ggml_abort_callback(lambda _data: stop.is_set())
    llama_cpp.llama_set_abort_callback(model.ctx, asked, None)
    try:
        yield
    finally:
        llama_cpp.llama_set_abort_callback(model.ctx, llama_cpp.ggml_abort_callback(), None)


def _tokens_per_second(model: local.LocalModel, busy: bool) -> float:
    done = threading.Event()

    def hold_the_gil() -> None:
        x = 0
        while not done.is_set():
            for i in range(1000):
                x += i

    if busy:
        threading.Thread(target=hold_the_gil, daemon=True).start()
    try:
        began = time.monotonic()
        text = asyncio.run(model.generate(SHORT, 60))
        took = time.monotonic() - began
    finally:
        done.set()
    loaded = next(iter(local._models.values()))
    return len(loaded.tokenize(text.encode())) / took


def _stop_mid_prompt(model: local.LocalModel) -> float:
    async def scenario() -> float:
        reading = asyncio.ensure_future(model.generate(LONG, 50))
        await asyncio.sleep(1.5)
        asked = time.monotonic()
        reading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reading
        return time.monotonic() - asked

    return asyncio.run(scenario())


def main() -> None:
    model = local.LocalModel()
    asyncio.run(model.generate(SHORT, 4))  # loaded
    kept = local._stoppable
    rows = []
    hooks = [("no stop", _none), ("Python callback", _python_callback), ("stop byte", kept)]
    for name, hook in hooks:
        local._stoppable = hook  # type: ignore[assignment]
        alone = _tokens_per_second(model, busy=False)
        beside = _tokens_per_second(model, busy=True)
        stops = f"{_stop_mid_prompt(model):.2f}" if hook is not _none else "-"
        rows.append([name, f"{alone:.1f}", f"{beside:.1f}", stops])
    local._stoppable = kept
    header = ["stop", "tokens/s alone", "tokens/s beside a busy thread", "stop mid-prompt (s)"]
    print(table("The local model's stop (Qwen2.5-Coder-1.5B Q4_K_M)", header, rows))


if __name__ == "__main__":
    main()
