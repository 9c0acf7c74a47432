"""Text streamed to a terminal, wrapped between words: a terminal breaks a long line at
its edge, in the middle of a word ("tempera" / "ture"); an answer or a quiz line is cut
at the last space that fits instead, as it arrives."""

from __future__ import annotations

from rich.cells import cell_len


class WordWrap:
    """Feed text as it comes; get it back with line breaks between words that fit
    ``width`` cells. A word longer than the line is left whole (the terminal folds it)."""

    def __init__(self, width: int, indent: str = "") -> None:
        self.width = max(10, width)
        self.indent = indent  # the start of a wrapped line ("   " under "   Yes: ...")
        self.column = 0
        self._word = ""
        self._spaces = 0  # spaces after the last word, said only if a word follows on

    def feed(self, text: str) -> str:
        out: list[str] = []
        for ch in text:
            if ch == "\n":
                out.append(self._put_word() + "\n")
                self.column, self._spaces = 0, 0
            elif ch == " ":
                out.append(self._put_word())
                if self.column == 0:  # a line's own indentation
                    out.append(" ")
                    self.column += 1
                else:
                    self._spaces += 1
            else:
                self._word += ch
        return "".join(out)

    def flush(self) -> str:
        return self._put_word()

    def _put_word(self) -> str:
        word, self._word = self._word, ""
        if not word:
            return ""
        size = cell_len(word)
        spaces, self._spaces = self._spaces, 0
        if self.column and self.column + spaces + size > self.width:
            self.column = cell_len(self.indent) + size
            return "\n" + self.indent + word
        self.column += spaces + size
        return " " * spaces + word


def wrapped(text: str, width: int, indent: str = "") -> str:
    """A whole text wrapped between words to ``width`` cells."""
    wrap = WordWrap(width, indent)
    return wrap.feed(text) + wrap.flush()
