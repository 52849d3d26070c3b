"""Audio in a module: an image-like line `![Dengarkan: judul](audio/nama.ogg)` and,
right below it, its transcript as a `> [!TRANSKRIP]` callout.

The rules (each problem reported with its file and line):

- the name ends in one of AUDIO_TYPES (MP3, Ogg Vorbis or Opus), the file lies inside
  the course folder (usually `audio/`) and is at most MAX_AUDIO_BYTES (5 MB);
- its first bytes are what the name says (lms.core.files.sniff): `ID3` or an MPEG frame
  for .mp3, `OggS` with an Opus or Vorbis stream for .ogg/.opus/.oga;
- the line holds the audio and nothing else, with a title between the brackets;
- a transcript follows (blank lines in between are fine) and is not empty: learners who
  cannot hear, or cannot play sound at their desk, read it instead;
- audio only stands in a module's text (not in README.md, a quiz or RINGKAS.md), and a
  transcript only right after an audio line.

Why this syntax: it is plain CommonMark (any Markdown viewer shows a link-like image and
a quote), it reads like the image line trainers already write, and the transcript is
ordinary Markdown under a callout marker like `> [!TIP]`. See docs/decisions.md.
"""

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from lms.content.parse import images, resolve_target, unfenced_lines
from lms.content.source import Problem
from lms.core import files

AUDIO_TYPES = {".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg",
               ".opus": "audio/ogg"}
MAX_AUDIO_BYTES = 5 * 1024 * 1024
TRANSCRIPT_MARKS = ("[!transkrip]", "[!transcript]")


@dataclass
class AudioRef:
    target: str
    title: str
    line: int
    alone: bool  # the line holds nothing but the audio
    transcript: str | None  # None: no transcript callout follows
    transcript_line: int = 0


def is_audio(target: str) -> bool:
    return PurePosixPath(target).suffix.lower() in AUDIO_TYPES


def mime_type(name: str) -> str | None:
    return AUDIO_TYPES.get(PurePosixPath(name).suffix.lower())


def _transcript_mark(line: str) -> str | None:
    """The text after `> [!TRANSKRIP]` on a quote line that starts a transcript, or None."""
    stripped = line.strip()
    if not stripped.startswith(">"):
        return None
    rest = stripped[1:].strip()
    for mark in TRANSCRIPT_MARKS:
        if rest.lower().startswith(mark):
            return rest[len(mark):].strip()
    return None


def audio_refs(text: str, first_line: int) -> list[AudioRef]:
    lines = list(unfenced_lines(text, first_line))
    found = []
    for i, (n, line) in enumerate(lines):
        refs = [(alt, target) for alt, target in images(line) if is_audio(target)]
        if not refs:
            continue
        stripped = line.strip()
        alone = len(images(line)) == 1 and stripped.startswith("![") and stripped.endswith(")")
        for alt, target in refs:
            found.append(AudioRef(target, alt.strip(), n, alone, *_transcript_after(lines, i)))
    return found


def _transcript_after(lines, i: int) -> tuple[str | None, int]:
    j = i + 1
    while j < len(lines) and not lines[j][1].strip():
        j += 1
    if j >= len(lines) or lines[j][0] != lines[i][0] + (j - i):  # a fence in between
        return None, 0
    first = _transcript_mark(lines[j][1])
    if first is None:
        return None, 0
    body = [first]
    for _, line in lines[j + 1:]:
        if not line.strip().startswith(">"):
            break
        body.append(line.strip()[1:].strip())
    return "\n".join(body).strip(), lines[j][0]


def stray_transcripts(text: str, first_line: int) -> list[int]:
    """Lines of `> [!TRANSKRIP]` callouts that do not follow an audio line."""
    claimed = {ref.transcript_line for ref in audio_refs(text, first_line)}
    return [n for n, line in unfenced_lines(text, first_line)
            if _transcript_mark(line) is not None and n not in claimed]


def check_audio(name: str, data: bytes):
    """A plain-language problem with the audio file `name` holding `data`, or None."""
    mime = mime_type(name)
    if mime is None:
        return _l("only MP3 or Ogg (Opus, Vorbis) audio is allowed")
    if len(data) > MAX_AUDIO_BYTES:
        return _l("the audio file is larger than 5 MB: make it shorter or record it at a "
                  "lower quality (for speech, Opus at 24 kbit/s is plenty)")
    if not data:
        return _l("the audio file is empty")
    found = files.sniff(data)
    if found == mime:
        return None
    if mime == "audio/ogg" and data.startswith(b"OggS"):
        return _l("the Ogg file holds neither Opus nor Vorbis audio: save it again as "
                  "Ogg Opus or MP3")
    return _l("the file is not real %(kind)s audio: save it again as %(kind)s from an "
              "audio program", kind="MP3" if mime == "audio/mpeg" else "Ogg")


def check_refs(course_dir: Path, rel: str, text: str, first_line: int) -> list[Problem]:
    """Every audio line of a module's text, and every transcript without its audio."""
    out = []
    for ref in audio_refs(text, first_line):
        out += _check_ref(course_dir, rel, ref)
    out += [Problem(rel, n, _l("a transcript ('> [!TRANSKRIP]') belongs right below its "
                               "audio line ('![Dengarkan: ...](audio/file.ogg)')"))
            for n in stray_transcripts(text, first_line)]
    return out


def _check_ref(course_dir: Path, rel: str, ref: AudioRef) -> list[Problem]:
    out = []
    target = ref.target
    if not ref.alone:
        out.append(Problem(rel, ref.line, _l(
            "audio '%(target)s' must stand alone on its line, followed by its transcript",
            target=target)))
    if not ref.title:
        out.append(Problem(rel, ref.line, _l(
            "audio '%(target)s' has no title: write it between the brackets, "
            "![Dengarkan: what it is](%(target)s)", target=target)))
    if not ref.transcript:
        out.append(Problem(rel, ref.line, _l(
            "audio '%(target)s' has no transcript: right below it, write a quote starting "
            "with '> [!TRANSKRIP]' holding the words spoken, for learners who cannot "
            "listen", target=target)))
    resolved = resolve_target(course_dir, target)
    if resolved is None:
        out.append(Problem(rel, ref.line, _l(
            "audio '%(target)s' must be a file inside the course folder", target=target)))
    elif not resolved.is_file():
        out.append(Problem(rel, ref.line, _l("broken audio link: '%(target)s' not found",
                                             target=target)))
    elif resolved.stat().st_size > MAX_AUDIO_BYTES:
        out.append(Problem(rel, ref.line, _l("audio '%(target)s': %(problem)s", target=target,
                                             problem=check_audio(resolved.name, b"x" * (
                                                 MAX_AUDIO_BYTES + 1)))))
    else:
        try:
            problem = check_audio(resolved.name, resolved.read_bytes())
        except OSError as exc:
            problem = _l("cannot read the file: %(error)s", error=exc.strerror)
        if problem is not None:
            out.append(Problem(rel, ref.line, _l("audio '%(target)s': %(problem)s",
                                                 target=target, problem=problem)))
    return out


def misplaced(rel: str, text: str, first_line: int) -> list[Problem]:
    """Audio where it cannot be played with its transcript: README.md, a quiz question,
    RINGKAS.md."""
    return [Problem(rel, ref.line, _l(
        "audio '%(target)s' can only be placed in a module's text, above '## Kuis'",
        target=ref.target)) for ref in audio_refs(text, first_line)]
