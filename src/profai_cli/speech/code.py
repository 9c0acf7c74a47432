"""A block of code described as a lecturer would: its language, what it defines, calls or
runs, and how many lines; code itself is not read out."""

from __future__ import annotations

import re

from profai_cli.speech.tables import join_words

_LANGUAGES = {
    "c": "C",
    "h": "C",
    "cpp": "C++",
    "c++": "C++",
    "py": "Python",
    "python": "Python",
    "python3": "Python",
    "js": "JavaScript",
    "javascript": "JavaScript",
    "ts": "TypeScript",
    "typescript": "TypeScript",
    "java": "Java",
    "go": "Go",
    "rust": "Rust",
    "rs": "Rust",
    "sh": "shell",
    "bash": "shell",
    "shell": "shell",
    "console": "shell",
    "sql": "SQL",
    "rb": "Ruby",
    "ruby": "Ruby",
    "r": "R",
    "kotlin": "Kotlin",
    "swift": "Swift",
    "haskell": "Haskell",
    "hs": "Haskell",
    "scala": "Scala",
    "php": "PHP",
    "html": "HTML",
    "css": "CSS",
    "json": "JSON",
    "yaml": "YAML",
    "toml": "TOML",
}
_CALL = re.compile(r"(?<![\w.])([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_METHOD_CALL = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_DEFINES = (
    re.compile(r"^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)", re.MULTILINE),  # Python
    re.compile(r"^\s*class\s+([A-Za-z_]\w*)", re.MULTILINE),  # Python, Java, JS, C++
    re.compile(r"^\s*(?:export\s+)?(?:async\s+)?function\*?\s+([A-Za-z_$][\w$]*)", re.MULTILINE),
    re.compile(r"^\s*(?:pub\s+)?fn\s+([A-Za-z_]\w*)", re.MULTILINE),  # Rust
    re.compile(r"^\s*func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)", re.MULTILINE),  # Go
    re.compile(  # C, C++, Java: a type, a name, parameters and a body on the line
        r"^[ \t]*(?:(?:static|public|private|protected|inline|const|unsigned|struct)\s+)*"
        r"[A-Za-z_][\w<>*&:\[\]]*\s+\**([A-Za-z_]\w*)\s*\([^;]*\)\s*\{",
        re.MULTILINE,
    ),
)
_KEYWORDS = frozenset(
    "if while for switch return sizeof catch elif def class fn func function "
    "and or not in with lambda else new await yield assert until unless foreach".split()
)


_SHELLS = frozenset(("sh", "bash", "shell", "console", "zsh", "fish", "powershell", "ps1"))
_COMMENT = re.compile(r"(?:^|\s)(?:#|//).*$|/\*.*?\*/", re.MULTILINE)
_COMMAND = re.compile(r"(?:^|[|;&]{1,2})\s*(?:\$\s+|sudo\s+)?([A-Za-z_][\w.-]*)", re.MULTILINE)


def describe_code(
    code_text: str, info: str = "", seen_before: int = 0, lead: str = "The notes show"
) -> str:
    """What a code block is, as a lecturer would say it: what it defines and calls (or,
    for a shell, which commands it runs); never the code itself. Not its length: counted
    with or without its blank lines, a number of lines is a claim a reader can dispute."""
    language = _LANGUAGES.get(info.lower(), "")
    kind = f"example in {language}" if language else "code example"
    kind = f"another {kind}" if seen_before else f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
    text = f"{lead} {kind}"
    code = _COMMENT.sub("", code_text)
    if info.lower() in _SHELLS:
        commands = list(dict.fromkeys(_COMMAND.findall(code)))
        if commands:
            text += f". It runs {_some([f'`{c}`' for c in commands])}"
        return text + "."
    defined = list(dict.fromkeys(n for p in _DEFINES for n in p.findall(code)))
    body = code
    for pattern in _DEFINES:  # a definition's own line is not a call of it
        body = pattern.sub("", body)
    calls = [c for c in dict.fromkeys(_CALL.findall(body)) if c not in _KEYWORDS]
    if defined:
        text += f". It defines {_some([f'`{d}`' for d in defined])}"
        if calls:
            text += f"; the code calls {_some([f'`{c}`' for c in calls])}"
    elif calls:
        text += f". It calls {_some([f'`{c}`' for c in calls])}"
    return text + "."


def _some(items: list[str], most: int = 8) -> str:
    """A, B and C, every one; the first few "and others" only when there are many (a
    vague "others" for two or three names is less than the notes show)."""
    if len(items) <= most:
        return join_words(items)
    return ", ".join(items[: most - 1]) + f", {items[most - 1]} and others"
