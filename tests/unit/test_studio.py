"""The studio's building blocks: forms <-> Markdown, folders as data, the conflict rule."""

import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from lms.content import revisions
from lms.content.tree import (
    MAX_FILES,
    from_archive,
    marker,
    read_folder,
    read_upload,
    to_zip,
    tree_hash,
)
from lms.studio import diff, module_text

COURSES = Path(__file__).parents[2] / "courses"


def _semantics(text):
    return [(q.key, q.kind, q.prompt, q.options, q.accepted, q.explanation)
            for q in module_text.read("m.md", text).questions]


@pytest.mark.parametrize("path", sorted(COURSES.glob("*/[0-9]*.md")), ids=lambda p: p.name)
def test_every_catalogue_question_survives_the_question_editor(path, app):
    """Each question written back from its form reads as the same question, so opening
    and saving a question in the studio never changes it (nor its statistics)."""
    with app.app_context():
        text = path.read_text()
        module = module_text.read(path.name, text)
        for q in module.questions:
            q.source = ""  # as if every question had been saved from the form
        again = module_text.compose(module)
        assert _semantics(again) == _semantics(text)
        reread = module_text.read(path.name, again)
        assert reread.meta == module.meta and reread.body == module.body


def test_untouched_questions_keep_their_exact_text(app):
    with app.app_context():
        text = (COURSES / "sisumaker" / "02-disposisi-elektronik.md").read_text()
        module = module_text.read("m.md", text)
        module.questions[0] = module_text.QuestionFields(
            key=module.questions[0].key, kind="truefalse", prompt="Disposisi boleh lisan.",
            options=[("Benar", False), ("Salah", True)], explanation="Harus tertulis.")
        out = module_text.compose(module)
        for q in module.questions[1:]:
            assert q.source in out


def test_question_block_for_each_kind():
    single = module_text.QuestionFields("a", "multiple", "Pilih dua\n\nSituasi.",
                                      [("x", True), ("y", True), ("z", False)], [], "Karena.")
    assert module_text.question_block(single) == (
        "### Pilih dua {#a .beberapa}\n\nSituasi.\n\n- [x] x\n- [x] y\n- [ ] z\n\n"
        "> **Penjelasan:** Karena.")
    text = module_text.QuestionFields("b", "text", "OTP?", [], ["kode", "sandi sekali"], "A\nB")
    assert module_text.question_block(text) == (
        "### OTP? {#b}\n\nJawaban:\n- kode\n- sandi sekali\n\n> **Penjelasan:** A\n> B")


def test_new_keys_are_readable_and_unique():
    assert module_text.new_key("Apa itu OTP?", set()) == "apa-itu-otp"
    assert module_text.new_key("Apa itu OTP?", {"apa-itu-otp"}) == "apa-itu-otp-2"
    assert module_text.new_key("Sandi kuat: ékstra!", set()) == "sandi-kuat-ekstra"
    assert module_text.new_key("???", set()) == "soal"


def test_zips_are_deterministic_and_round_trip():
    tree = read_folder(COURSES / "sisumaker")
    assert to_zip(tree, "sisumaker") == to_zip(dict(reversed(tree.items())), "sisumaker")
    assert from_archive(to_zip(tree, "sisumaker")) == tree
    digest = tree_hash(tree)
    upload = read_upload(to_zip(tree, "sisumaker", marker("sisumaker", 3, digest)))
    assert upload.slug == "sisumaker" and upload.tree == tree and not upload.problems
    assert upload.base_tree_hash == digest


def test_tree_hash_sees_names_and_contents():
    assert tree_hash({"a.md": b"1"}) != tree_hash({"b.md": b"1"})
    assert tree_hash({"a.md": b"1"}) != tree_hash({"a.md": b"2"})
    assert tree_hash({"a.md": b"1", "b.md": b"2"}) == tree_hash({"b.md": b"2", "a.md": b"1"})


def _zip(files: dict[str, bytes], comment=b"") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
        z.comment = comment
    return out.getvalue()


def test_uploads_are_limited(app):
    with app.app_context():
        many = {f"k/{i}.md": b"x" for i in range(MAX_FILES + 1)}
        assert "lebih dari 200" in str(read_upload(_zip(many)).problems[0])
        bomb = _zip({"k/README.md": b"0" * (31 * 1024 * 1024)})
        assert len(bomb) < 100_000  # tiny on the wire, 31 MB unpacked
        assert "30 MB" in str(read_upload(bomb).problems[0])
        flat = read_upload(_zip({"README.md": b"x", "01-a.md": b"y", ".DS_Store": b"z",
                                 "__MACOSX/01-a.md": b"junk"}))
        assert flat.slug == "" and set(flat.tree) == {"README.md", "01-a.md"}
        forged = read_upload(_zip({"k/README.md": b"x"},
                                  comment=marker("other", 1, "a" * 64).encode()))
        assert forged.base_tree_hash == ""  # a marker for another course is ignored


@pytest.mark.parametrize("published, files_base, incoming, conflict", [
    ("", "", "new", False),        # nothing published yet
    ("A", "A", "B", False),        # only the files changed
    ("B", "A", "A", False),        # only the browser changed
    ("B", "A", "B", False),        # both made the same change
    ("B", "A", "C", True),         # both changed, differently
])
def test_the_conflict_rule(app, published, files_base, incoming, conflict):
    course = SimpleNamespace(tree_hash=published, slug="k", revision=2)
    with app.app_context():
        found = revisions.incoming_conflict(course, incoming, files_base)
    assert (found is not None) == conflict


def test_diff_lists_files_and_lines():
    old = {"README.md": b"a\nb\n", "01-x.md": b"x\n", "img/a.png": b"1"}
    new = {"README.md": b"a\nc\n", "02-y.md": b"y\n", "img/a.png": b"2"}
    changes = {d.path: d for d in diff.compare(old, new)}
    assert {p: d.status for p, d in changes.items()} == {
        "README.md": "changed", "01-x.md": "removed", "02-y.md": "added",
        "img/a.png": "changed"}
    kinds = [(line.kind, line.text) for line in changes["README.md"].lines]
    assert ("remove", "b") in kinds and ("add", "c") in kinds and ("context", "a") in kinds
    assert changes["img/a.png"].lines == []
