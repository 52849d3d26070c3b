"""Audio bytes for tests: the first bytes real encoders write, nothing more (the checker
reads signatures; no test plays them)."""

import shutil
from pathlib import Path

from .factories import DATA


def ogg(codec_packet: bytes) -> bytes:
    """One Ogg page (27-byte header, a one-entry segment table) holding `codec_packet`."""
    header = (b"OggS" + b"\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00" * 8
              + bytes([1, len(codec_packet)]))
    return header + codec_packet + b"\x00" * 200


OPUS = ogg(b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00")
VORBIS = ogg(b"\x01vorbis\x00\x00\x00\x00\x01\x44\xac\x00\x00")
THEORA = ogg(b"\x80theora\x03\x02\x01")  # Ogg video: not audio a module may hold
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400
MP3_FRAME = b"\xff\xfb\x90\x64" + b"\x00" * 400  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz

TRANSCRIPT = "> [!TRANSKRIP]\n> Selamat datang di modul pengantar.\n"
AUDIO_LINE = "![Dengarkan: pengantar](audio/pengantar.ogg)"


def course_with_audio(tmp_path: Path, body: str | None = None, data: bytes = OPUS,
                      name: str = "pengantar.ogg") -> Path:
    """A copy of the `dasar` test course whose first module plays one audio file."""
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)
    folder = root / "dasar"
    (folder / "audio").mkdir()
    (folder / "audio" / name).write_bytes(data)
    module = folder / "01-pengantar.md"
    text = module.read_text(encoding="utf-8")
    head, rest = text.split("\n---\n", 1)
    block = body if body is not None else f"{AUDIO_LINE}\n{TRANSCRIPT}\n"
    module.write_text(f"{head}\n---\n{block}\n{rest}", encoding="utf-8")
    return root
