"""Lecture markdown in, speakable chunks out (see segmenter.py for how)."""

from profai_cli.speech.segmenter import Chunk, ChunkKind, Segmenter, segment
from profai_cli.speech.spoken import speak_math, to_speech

__all__ = ["Chunk", "ChunkKind", "Segmenter", "segment", "speak_math", "to_speech"]
