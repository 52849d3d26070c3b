"""Audio in a module: what the checker accepts and refuses (with file:line), and the one
shape the renderer and the sanitiser let through."""

import pytest

from lms.content.audio import MAX_AUDIO_BYTES, check_audio
from lms.content.render import render, sanitise
from lms.content.source import errors
from lms.content.tree import check_file
from lms.content.validate import load
from lms.core import files
from tests.support.media import (
    AUDIO_LINE,
    MP3_FRAME,
    MP3_ID3,
    OPUS,
    THEORA,
    TRANSCRIPT,
    VORBIS,
    course_with_audio,
)


@pytest.fixture(autouse=True)
def _english(english):
    pass


def found(root) -> list[str]:
    """`file:line: message` of every error, the path shortened to the file's name."""
    return [f"{p.path.rsplit('/', 1)[-1]}:{p.line}: {p.message}"
            for p in errors(load(root)[1])]


@pytest.mark.parametrize("data, kind", [
    (OPUS, "audio/ogg"), (VORBIS, "audio/ogg"), (MP3_ID3, "audio/mpeg"),
    (MP3_FRAME, "audio/mpeg"), (THEORA, None), (b"OggS", None), (b"\xff\xff\xff\xff", None),
    (b"<html>", None), (b"\xff\xd8\xff\xe0", "image/jpeg"),
], ids=["opus", "vorbis", "id3", "mpeg-frame", "ogg-video", "ogg-cut", "not-a-frame", "html",
        "jpeg-is-not-mp3"])
def test_audio_is_known_by_its_first_bytes(data, kind):
    assert files.sniff(data) == kind


@pytest.mark.parametrize("name, data, words", [
    ("a.ogg", OPUS, None), ("a.opus", OPUS, None), ("a.ogg", VORBIS, None),
    ("a.mp3", MP3_ID3, None), ("a.mp3", MP3_FRAME, None),
    ("a.mp3", OPUS, "not real MP3 audio"), ("a.ogg", MP3_ID3, "not real Ogg audio"),
    ("a.ogg", THEORA, "neither Opus nor Vorbis"), ("a.ogg", b"", "empty"),
    ("a.ogg", OPUS + b"\0" * MAX_AUDIO_BYTES, "larger than 5 MB"),
    ("a.wav", b"RIFF", "only MP3 or Ogg"),
])
def test_check_audio(name, data, words):
    problem = check_audio(name, data)
    assert (problem is None) if words is None else words in str(problem), problem
    if not name.endswith(".wav"):
        assert str(check_file(f"audio/{name}", data)) == str(problem)  # every way in


def test_an_audio_with_its_transcript_is_fine(tmp_path):
    assert found(course_with_audio(tmp_path)) == []


def test_audio_without_a_transcript_is_an_error_at_its_line(tmp_path):
    root = course_with_audio(tmp_path, f"{AUDIO_LINE}\n\nTeks biasa.\n")
    [problem] = found(root)
    assert problem.startswith("01-pengantar.md:8: audio 'audio/pengantar.ogg' has no "
                              "transcript"), problem


def test_an_empty_transcript_counts_as_none(tmp_path):
    root = course_with_audio(tmp_path, f"{AUDIO_LINE}\n> [!TRANSKRIP]\n")
    assert [p.split(": ", 1)[0] for p in found(root)] == ["01-pengantar.md:8"]


def test_bad_bytes_are_an_error_at_the_line_that_plays_them(tmp_path):
    root = course_with_audio(tmp_path, data=b"<html><script>alert(1)</script>")
    assert found(root) == ["01-pengantar.md:8: audio 'audio/pengantar.ogg': the file is not "
                           "real Ogg audio: save it again as Ogg from an audio program"]


def test_too_big_is_an_error(tmp_path):
    root = course_with_audio(tmp_path, data=OPUS + b"\0" * MAX_AUDIO_BYTES)
    [problem] = found(root)
    assert problem.startswith("01-pengantar.md:8: audio 'audio/pengantar.ogg': the audio "
                              "file is larger than 5 MB")


def test_a_missing_file_and_one_outside_the_folder_are_errors(tmp_path):
    body = ("![Dengarkan: a](audio/tidak-ada.ogg)\n" + TRANSCRIPT + "\n"
            "![Dengarkan: b](../luar.ogg)\n" + TRANSCRIPT + "\n"
            "![Dengarkan: c](https://contoh.id/c.mp3)\n" + TRANSCRIPT)
    root = course_with_audio(tmp_path, body)
    assert found(root) == [
        "01-pengantar.md:8: broken audio link: 'audio/tidak-ada.ogg' not found",
        "01-pengantar.md:12: audio '../luar.ogg' must be a file inside the course folder",
        "01-pengantar.md:16: audio 'https://contoh.id/c.mp3' must be a file inside the "
        "course folder"]


def test_title_alone_on_its_line_and_no_stray_transcript(tmp_path):
    body = (f"Dengar ini: {AUDIO_LINE}\n{TRANSCRIPT}\n![](audio/pengantar.ogg)\n{TRANSCRIPT}\n"
            "Teks.\n\n> [!TRANSKRIP]\n> Tanpa rekaman.\n")
    root = course_with_audio(tmp_path, body)
    messages = found(root)
    assert messages[0].startswith("01-pengantar.md:8: audio 'audio/pengantar.ogg' must stand "
                                  "alone on its line")
    assert messages[1].startswith("01-pengantar.md:12: audio 'audio/pengantar.ogg' has no "
                                  "title")
    assert messages[2].startswith("01-pengantar.md:18: a transcript ('> [!TRANSKRIP]') "
                                  "belongs right below its audio line")
    assert len(messages) == 3


def test_audio_only_in_a_module_text(tmp_path):
    root = course_with_audio(tmp_path, "")
    readme = root / "dasar" / "README.md"
    readme.write_text(readme.read_text() + f"\n{AUDIO_LINE}\n{TRANSCRIPT}", encoding="utf-8")
    module = root / "dasar" / "01-pengantar.md"
    module.write_text(module.read_text().replace(
        "> Penjelasan:", f"{AUDIO_LINE}\n\n> Penjelasan:", 1), encoding="utf-8")
    messages = found(root)
    assert any(m.startswith("README.md:12: audio 'audio/pengantar.ogg' can only be placed in "
                            "a module's text") for m in messages), messages
    assert any(m.startswith("01-pengantar.md:") and "can only be placed" in m
               for m in messages), messages


def test_an_unused_bad_audio_file_is_still_checked(tmp_path):
    root = course_with_audio(tmp_path, "", data=b"not audio", name="x.mp3")
    assert found(root) == ["x.mp3:1: the file is not real MP3 audio: save it again as MP3 "
                           "from an audio program"]


def test_rendered_player_and_transcript():
    html = render(f"{AUDIO_LINE}\n> [!TRANSKRIP]\n> Halo *semua*.\n\nLanjut.",
                  lambda target: "/aset/abc/pengantar.ogg")
    assert html == (
        '<figure class="audio"><figcaption>Dengarkan: pengantar</figcaption>\n'
        '<audio controls="" preload="none"><source src="/aset/abc/pengantar.ogg" '
        'type="audio/ogg"></audio>\n'
        '<details class="transcript">\n<summary>Transkrip</summary>\n'
        '<p>Halo <em>semua</em>.</p>\n</details>\n</figure>\n<p>Lanjut.</p>\n')


def test_mp3_player_and_a_transcript_after_a_blank_line():
    html = render("![Dengarkan: \"x\" <b>](audio/a.mp3)\n\n> [!TRANSKRIP]\n>\n> Isi.")
    assert '<source src="" type="audio/mpeg">' in html  # no resolver: no address
    assert "<figcaption>Dengarkan: \"x\" &lt;b&gt;</figcaption>" in html
    assert "<summary>Transkrip</summary>\n<p>Isi.</p>\n</details>" in html


def test_the_sanitiser_allows_exactly_the_player():
    dirty = ('<audio controls preload="auto" autoplay loop src="/x.mp3" onplay="alert(1)">'
             '<source src="javascript:alert(1)" type="text/html"><track src="x.vtt"></audio>'
             '<video src="/v.mp4"></video><figure class="evil audio" style="x">'
             '<details open class="x"><summary onclick="alert(1)">s</summary></details>'
             '</figure>')
    assert sanitise(dirty) == ('<audio controls=""><source></audio><figure class="audio">'
                               '<details class=""><summary>s</summary></details></figure>')
