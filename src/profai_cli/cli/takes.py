"""How a command gets its options: ``@takes(groups...)`` adds the option groups of
options.py to its signature, checks the values as a user should meet them (an option
that takes a value never swallows the next option), and hands the command its typed
Settings, Flags and Environment. Nothing heavier than typer and config is imported:
this runs for ``--help``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import fields
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from profai_cli.core.config import Settings

# Options that set a setting under another name.
_SETTING_FLAGS = {"no_stream": "stream", "no_cache": "cache"}
_SETTINGS = frozenset(f.name for f in fields(Settings)) | frozenset(_SETTING_FLAGS)
_HANDED = ("settings", "flags", "env")  # what takes() gives a command, not the command line


def takes(*groups: list[inspect.Parameter]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Add these option groups to a command and run it as a user should meet it
    (runner.run). The command receives them typed: ``settings: Settings`` (the options
    that are settings, over the environment and the config file), ``flags: <a Flags
    class>`` (the rest) and ``env: Environment`` (the one main() was handed, or this
    process's), each when its signature asks for it."""

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        # Annotations are evaluated here only for what typer must read: "Environment" is
        # not imported at start-up.
        signature = inspect.signature(command)
        names = command.__globals__
        own = [
            p.replace(annotation=_evaluated(p.annotation, names))
            for p in signature.parameters.values()
            if p.name not in _HANDED
        ]
        seen = {p.name for p in own}
        added: list[inspect.Parameter] = []
        for group in groups:
            for parameter in group:
                if parameter.name not in seen:
                    seen.add(parameter.name)
                    added.append(parameter)
        flags = signature.parameters.get("flags")
        flags_type = _evaluated(flags.annotation, names) if flags is not None else None
        wanted = {f.name for f in fields(flags_type)} if flags_type is not None else set()
        rest = {p.name for p in added} - _SETTINGS
        if rest != wanted:  # an option nobody reads, or a flag no option gives
            raise TypeError(f"{command.__name__}: options and flags differ: {rest ^ wanted}")
        settings_names = [p.name for p in added if p.name in _SETTINGS]
        handed = set(signature.parameters) & set(_HANDED)

        def call(context: typer.Context, **values: Any) -> None:
            from profai_cli.cli.runner import run
            from profai_cli.lecture.environment import Environment

            env = context.obj if context.obj is not None else Environment.for_process()
            _no_option_as_a_value(context, values)

            def body() -> None:
                given = {p.name: values[p.name] for p in own}
                if "settings" in handed:
                    given["settings"] = settings_from(
                        {n: values[n] for n in settings_names}, context=context
                    )
                if flags_type is not None:
                    given["flags"] = flags_type(**{n: values[n] for n in wanted})
                if "env" in handed:
                    given["env"] = env
                command(**given)

            run(body, env)

        call.__name__ = command.__name__
        call.__doc__ = _unwrapped(command.__doc__ or "")
        call.__module__ = command.__module__
        context = inspect.Parameter(
            "context", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context
        )
        call.__signature__ = inspect.Signature([*own, context, *added])  # type: ignore[attr-defined]
        return call

    return decorate


_OPTION_LIKE = re.compile(r"^--?[A-Za-z][\w-]*(?:=.*)?$")


def _no_option_as_a_value(context: typer.Context, values: dict[str, Any]) -> None:
    """`export out/ course/ --subtitles --transcript`: click gives --subtitles the value
    "--transcript", and the transcript is silently not written. A value that looks like
    an option is refused, in one line, for every option that takes one."""
    from typer._click.exceptions import UsageError

    for param in context.command.params:
        value = values.get(param.name or "")
        if not isinstance(value, str | Path) or not getattr(param, "opts", None):
            continue
        if context.get_parameter_source(param.name or "") is None:
            continue
        text = str(value)
        if _OPTION_LIKE.match(text) and param.opts[0].startswith("-"):
            name = max(param.opts, key=len)
            raise UsageError(f"{name} needs a value, not the option {text}", ctx=context)


def _evaluated(annotation: Any, names: dict[str, Any]) -> Any:
    return eval(annotation, names) if isinstance(annotation, str) else annotation  # noqa: S307


def _unwrapped(doc: str) -> str:
    """A docstring's paragraphs each on one line: Rich's help keeps a single line break,
    so a paragraph wrapped for the source would wrap twice on a narrow terminal."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def settings_from(values: dict[str, Any], *, context: typer.Context | None = None) -> Settings:
    """Settings from the options that are settings. Only what the command line gave
    counts: an option left at its shown default must not hide the environment's or
    the config file's value."""
    from profai_cli.core.config import resolve

    flags: dict[str, Any] = {}
    for name, value in values.items():
        if context is not None:
            source = context.get_parameter_source(name)
            if source is None or source.name == "DEFAULT":
                continue
        elif value is None:  # called without a command line: what is set is given
            continue
        value = value.value if isinstance(value, Enum) else value
        if name in _SETTING_FLAGS:
            if value:
                flags[_SETTING_FLAGS[name]] = False
        else:
            flags[name] = value
    settings, _ = resolve(flags)
    return settings
