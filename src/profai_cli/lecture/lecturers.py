"""The lecturers profai can use, by name: each a Backend that builds itself from the
settings, or says it cannot run here. ``--llm NAME`` asks for one; ``auto`` takes the
first of ``AUTO_ORDER`` that can. A new backend is its module and one ``register`` call
here (simonw/llm's ``register_models`` is the model); what the rest of profai needs to
know of it travels in the ``Chosen`` it returns, not in a kind string callers test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from profai_cli.core.config import OPENAI_DEFAULT_URL, add_choice
from profai_cli.core.errors import InputError

if TYPE_CHECKING:
    from profai_cli.core.config import Settings
    from profai_cli.llm.base import LLM, Answerer, Quizzer
    from profai_cli.service.chat import OpenAIChat


def notes_answerer(notes: str) -> Answerer:
    """Answers from the notes' own passages: no model."""
    from profai_cli.llm.answer import NotesAnswerer

    return NotesAnswerer(notes, None)


def rule_quizzer(warn: Callable[[str], None]) -> Quizzer:
    """Questions from the notes' own definitions, tables and facts: no model."""
    from profai_cli.teaching.quiz_rules import RuleQuizzer

    return RuleQuizzer()


@dataclass(frozen=True)
class Chosen:
    """A lecturer, one line saying which and why, and what callers need to know of it."""

    llm: LLM
    why: str
    served: bool = False  # it needs a server to answer (doctor checks that server)
    explains: bool = True  # a model explains; False: the notes narrated, answers found
    # Who answers a listener's questions and who writes a quiz, the way this lecturer
    # would: what its backend gives, else the notes' own passages and rules.
    answerer: Callable[[str], Answerer] = notes_answerer
    quizzer: Callable[[Callable[[str], None]], Quizzer] = rule_quizzer


@dataclass(frozen=True)
class Backend:
    name: str
    # The lecturer, or None when it cannot run here (asked of it by ``auto``: True).
    build: Callable[[Settings, bool], Chosen | None]


BACKENDS: dict[str, Backend] = {}
AUTO_ORDER: list[str] = []  # what ``--llm auto`` tries, first to last


def register(backend: Backend, *, auto: bool = True, named: bool = True) -> None:
    """``auto``: ``--llm auto`` tries it, in the order registered; ``named``: it is a
    choice of ``--llm`` (and of PROFAI_LLM and the config file)."""
    BACKENDS[backend.name] = backend
    if auto:
        AUTO_ORDER.append(backend.name)
    if named:
        add_choice("llm", backend.name)


def select_llm(settings: Settings) -> Chosen:
    """The lecturer for these settings: the one asked for, or the first that runs here."""
    if settings.llm != "auto":
        chosen = BACKENDS[settings.llm].build(settings, False)
        assert chosen is not None  # asked for by name, a backend builds or says why not
        return chosen
    for name in AUTO_ORDER:
        if (chosen := BACKENDS[name].build(settings, True)) is not None:
            return chosen
    raise AssertionError("the last backend of AUTO_ORDER always runs")


def uses_openai_service(settings: Settings) -> bool:
    """True when the requests go to OpenAI itself (not a local compatible server)."""
    return not settings.base_url or settings.base_url.rstrip("/") == OPENAI_DEFAULT_URL


def _service(settings: Settings, auto: bool) -> Chosen | None:
    """OpenAI, or any OpenAI-compatible server given by --base-url."""
    if auto and not (settings.api_key or settings.base_url):
        return None
    from profai_cli.service.chat import DEFAULT_MODEL, OpenAIChat

    if uses_openai_service(settings) and not settings.api_key:
        raise InputError(
            "--llm openai needs OPENAI_API_KEY (or --api-key), or --base-url "
            "for a local OpenAI-compatible server"
        )
    served = settings.model
    if not served and not uses_openai_service(settings):
        from profai_cli.service.models import first_chat_model

        assert settings.base_url is not None
        served = first_chat_model(settings.base_url.rstrip("/"), settings.api_key)
    chat = OpenAIChat(
        model=served or DEFAULT_MODEL,
        base_url=settings.base_url,
        api_key=settings.api_key,
        first_token_timeout=settings.timeout,
        idle_timeout=settings.idle_timeout,
    )
    # OpenAI's service answers several requests at once; a server on a laptop answers
    # one at a time, and reads a shared prompt once only if asked one after another.
    parallel = 4 if uses_openai_service(settings) else 1
    return _served(chat, settings, parallel, f"Using {chat.name}.")


def _found_server(settings: Settings, auto: bool) -> Chosen | None:
    """A local OpenAI-compatible server found running (Ollama, llama.cpp, LM Studio)."""
    if settings.local_model:
        return None
    from profai_cli.service.discover import find_local_server  # only here: urllib

    if (server := find_local_server()) is None:
        return None
    from profai_cli.service.chat import OpenAIChat

    chat = OpenAIChat(
        model=settings.model or server.model,
        base_url=server.base_url,
        api_key=None,
        first_token_timeout=settings.timeout,
        idle_timeout=settings.idle_timeout,
    )
    why = (
        f"Using {chat.model} from {server.kind} at {server.base_url}; "
        "--llm local for the built-in model."
    )
    return _served(chat, settings, 1, why)


def _built_in(settings: Settings, auto: bool) -> Chosen | None:
    """The built-in model (the ``model`` extra), its sentences held to the notes."""
    from profai_cli.llm.local import local_available

    if auto and not (settings.local_model or local_available()):
        return None
    from profai_cli.llm.grounded import GroundedLecture
    from profai_cli.llm.held_answer import HeldAnswerer
    from profai_cli.llm.local import LocalModel
    from profai_cli.llm.replies import Replies

    model = LocalModel(settings.local_model)
    lecturer = GroundedLecture(model, replies=Replies() if settings.cache else None)
    return Chosen(
        lecturer,
        f"Using {model.name}, held to your notes.",
        answerer=lambda notes: HeldAnswerer(model, notes),  # the quiz: the notes' rules
    )


def _narrated(settings: Settings, auto: bool) -> Chosen:
    """The notes themselves, narrated: no model at all."""
    from profai_cli.llm.notes_lecturer import NarratedLecture

    if auto:
        why = (
            "Narrating your notes (no model here): set OPENAI_API_KEY, give --base-url, or "
            "pip install 'profai-cli[model]' for a model to explain them."
        )
    else:
        why = "Narrating your notes as they are, with no LLM (--llm none)."
    return Chosen(NarratedLecture(None, "your notes, narrated (no LLM)"), why, explains=False)


def _served(chat: OpenAIChat, settings: Settings, parallel: int, why: str) -> Chosen:
    """A service's lecturer, its answers and its quizzes: the model's, written and graded
    by the service (``--free``: its answers unchecked, as its lecture is)."""
    from functools import partial

    from profai_cli.llm.held_answer import HeldAnswerer
    from profai_cli.service.chat import ChatAnswerer
    from profai_cli.service.quizzer import ServiceQuizzer

    answerer = partial(ChatAnswerer if settings.free else HeldAnswerer, chat)
    return Chosen(
        held_to_notes(chat, settings, parallel),
        why,
        served=True,
        answerer=answerer,
        quizzer=partial(ServiceQuizzer, chat),
    )


def held_to_notes(chat: OpenAIChat, settings: Settings, parallel: int) -> LLM:
    """A service's lecturer: the notes' outline filled with the model's explanations, each
    held to the notes (``--free``: the model's own lecture, from one prompt, unchecked)."""
    if settings.free:
        return chat
    from profai_cli.llm.grounded import GroundedLecture
    from profai_cli.llm.replies import Replies

    return GroundedLecture(
        chat,
        parallel=parallel,
        close=chat.aclose,
        replies=Replies() if settings.cache else None,
    )


register(Backend("openai", _service))
register(Backend("server", _found_server), named=False)  # --base-url names a server
register(Backend("local", _built_in))
register(Backend("none", _narrated))
