"""Tags in a finished audio file: title, artist, album, chapters and a cover picture
(ID3 frames in .mp3 and .wav, Vorbis comments in .flac and .ogg, ffmpeg's metadata file
for what ffmpeg writes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def stamp(seconds: float, sep: str = ".") -> str:
    """01:02:03.456 (sep "," for SRT); also the Vorbis CHAPTERxxx format."""
    ms = int(round(seconds * 1000))
    return (
        f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"
    )


def ffmetadata(tags: dict[str, str], chapters: list[tuple[float, float, str]]) -> str:
    """ffmpeg's metadata file: the tags, and a chapter for each heading (ms)."""

    def escaped(value: str) -> str:
        return "".join("\\" + c if c in "=;#\\\n" else c for c in value)

    lines = [";FFMETADATA1"] + [f"{k}={escaped(v)}" for k, v in tags.items()]
    for start, end, title in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={int(start * 1000)}",
            f"END={int(end * 1000)}",
            f"title={escaped(title)}",
        ]
    return "\n".join(lines) + "\n"


def _chapters_in_order(id3: type[Any]) -> type[Any]:
    """mutagen's ID3, writing CHAP frames in time order. mutagen sorts frames by their
    size, and a short title ("Recap") put its chapter first: readers that take chapters
    in file order (ffmpeg among them) listed it first. Its ``_write`` is copied with one
    change, the order (mutagen 1.47-1.48)."""
    from mutagen.id3._tags import save_frame

    first = ["TIT2", "TPE1", "TRCK", "TALB", "TPOS", "TDRC", "TCON"]

    class Ordered(id3):  # type: ignore[misc,valid-type]
        def _write(self, config: Any) -> bytearray:
            def key(frame: Any) -> tuple[int, float, str]:
                kind = frame.FrameID
                rank = first.index(kind) if kind in first else len(first)
                rank += {"CTOC": 1, "CHAP": 2, "APIC": 3}.get(kind, 0)
                return (rank, getattr(frame, "start_time", 0) if kind == "CHAP" else 0, "")

            frames = sorted(self.values(), key=key)
            data = bytearray().join(save_frame(f, config=config) for f in frames)
            if self._unknown_v2_version == config.v2_version:
                data += b"".join(d for d in self.unknown_frames if len(d) > 10)
            return data

    return Ordered


COVER_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
COVERED = (".mp3", ".m4a", ".m4b")  # the files a cover goes into


def tag_file(
    path: Path,
    extension: str,
    tags: dict[str, str],
    chapters: list[tuple[float, float, str]],
    cover: Path | None = None,
) -> None:
    """Title, artist and album tags; chapters as ID3 CHAP/CTOC frames in mp3; a cover."""
    if extension == ".mp3":
        from mutagen.id3 import (
            APIC,
            CHAP,
            CTOC,
            ID3,
            TALB,
            TIT2,
            TPE1,
            CTOCFlags,
            ID3NoHeaderError,
        )

        try:
            id3 = _chapters_in_order(ID3)(str(path))
        except ID3NoHeaderError:
            id3 = _chapters_in_order(ID3)()
        id3.add(TIT2(encoding=3, text=tags.get("title", "")))
        id3.add(TPE1(encoding=3, text=tags.get("artist", "")))
        id3.add(TALB(encoding=3, text=tags.get("album", "")))
        ids = []
        for i, (start, end, title) in enumerate(chapters):
            cid = f"chp{i}"
            ids.append(cid)
            id3.add(
                CHAP(
                    element_id=cid,
                    start_time=int(start * 1000),
                    end_time=int(end * 1000),
                    sub_frames=[TIT2(encoding=3, text=title)],
                )
            )
        if ids:
            id3.add(
                CTOC(
                    element_id="toc",
                    flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                    child_element_ids=ids,
                    sub_frames=[TIT2(encoding=3, text="Chapters")],
                )
            )
        if cover is not None:
            mime = COVER_TYPES[cover.suffix.lower()]
            id3.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=cover.read_bytes()))
        id3.save(str(path), v2_version=4)
        return
    import mutagen

    audio = mutagen.File(str(path))
    if audio is None:
        return
    if extension == ".wav":
        audio.add_tags()
        from mutagen.id3 import TALB, TIT2, TPE1

        audio.tags.add(TIT2(encoding=3, text=tags.get("title", "")))
        audio.tags.add(TPE1(encoding=3, text=tags.get("artist", "")))
        audio.tags.add(TALB(encoding=3, text=tags.get("album", "")))
    else:  # Vorbis comments: FLAC, Ogg Vorbis, Ogg Opus
        if audio.tags is None:
            audio.add_tags()
        for key, value in tags.items():
            audio.tags[key] = [value]
        for i, (start, _, title) in enumerate(chapters):
            audio.tags[f"CHAPTER{i:03d}"] = [stamp(start)]
            audio.tags[f"CHAPTER{i:03d}NAME"] = [title]
    audio.save()
