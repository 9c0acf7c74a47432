"""A table as markdown, the one way every converter writes it (the chunker reads rows)."""

from __future__ import annotations


def markdown_table(rows: list[list[str]]) -> str:
    """Cells on one line each, pipes escaped, rows padded to one width; empty rows go."""
    cells = [[" ".join(c.split()).replace("|", "\\|") for c in row] for row in rows]
    cells = [r for r in cells if any(r)]
    if not cells:
        return ""
    width = max(len(r) for r in cells)
    cells = [r + [""] * (width - len(r)) for r in cells]
    lines = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return "\n".join(lines)
