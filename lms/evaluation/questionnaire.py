"""The city-wide questionnaire as a file: courses/_evaluasi/kuesioner.md (the leading
underscore keeps the course loader away). Read, checked with path:line messages like a
course, stored as a version row, and moved between the files and the browser by the
same three-hash rule as courses (content.revisions.incoming_conflict).

    ---
    title: Evaluasi penyelenggaraan
    version: "1"
    ---
    An introduction (Markdown).

    ### Materi kursus ini sesuai dengan pekerjaan saya {#relevan}
    ### Saran atau komentar Anda {#komentar .komentar}

Every `### statement {#id}` is a Likert item (1 strongly disagree .. 5 strongly agree);
the one `.komentar` item is the open comment.
"""

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content import frontmatter, render
from lms.content.parse import _rel, question_heading, unfenced_lines
from lms.content.source import Problem
from lms.content.tree import IGNORED
from lms.core import clock
from lms.models import Employee, EvaluationForm, EvaluationSettings

FOLDER, FILE = "_evaluasi", "kuesioner.md"
KEYS = {"title", "version"}
SCALE, COMMENT = "scale", "comment"
COMMENT_ATTRS = {".komentar", ".comment"}
ITEM_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
MAX_SCALE_ITEMS = 10
MAX_STATEMENT = 200
MAX_BYTES = 50_000
MARKER = re.compile(r"^melek evaluation form=(?P<form>\d+) hash=(?P<hash>[0-9a-f]{64})$")


@dataclass
class Questionnaire:
    title: str = ""
    version: str = ""
    intro_md: str = ""
    items: list[dict] = field(default_factory=list)
    text: str = ""

    @property
    def scale_items(self) -> list[dict]:
        return [i for i in self.items if i["kind"] == SCALE]


def path_in(courses_dir: Path) -> Path:
    return Path(courses_dir) / FOLDER / FILE


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def parse(text: str, rel: str) -> tuple[Questionnaire, list[Problem]]:
    """The questionnaire in `text`, and every problem as rel:line."""
    fm = frontmatter.split(text)
    problems = [Problem(rel, line, msg) for line, msg in fm.errors]
    q = Questionnaire(text=text)
    if not fm.errors:
        problems += _meta(fm, rel, q)
    intro, seen = [], {}
    comments = 0
    for n, line in unfenced_lines(fm.body, fm.body_line):
        if not line.startswith("#"):
            if not q.items:
                intro.append(line)
            elif line.strip():
                problems.append(Problem(rel, n, _l(
                    "only statements may follow the first one: write each as "
                    "'### Statement {#id}' on one line")))
            continue
        heading = question_heading(line)
        if heading is None:
            problems.append(Problem(rel, n, _l(
                "a statement is written '### Statement {#id}' (the open comment "
                "'### Question {#id .komentar}'); other headings are not allowed")))
            continue
        text_, attrs = heading[0].strip(), heading[1].split()
        key = next((a[1:] for a in attrs if a.startswith("#")), "")
        extra = [a for a in attrs if not a.startswith("#") and a not in COMMENT_ATTRS]
        kind = COMMENT if any(a in COMMENT_ATTRS for a in attrs) else SCALE
        if not ITEM_ID.match(key):
            problems.append(Problem(rel, n, _l(
                "the ID '%(key)s' must start with a letter or digit and use only "
                "lower-case letters, digits and '-' (at most 50)", key=key)))
        elif key in seen:
            problems.append(Problem(rel, n, _l("the ID '%(key)s' is already used on line "
                                               "%(line)d", key=key, line=seen[key])))
        seen.setdefault(key, n)
        for attribute in extra:
            problems.append(Problem(rel, n, _l("unknown attribute '%(attr)s' (known: "
                                               ".komentar)", attr=attribute)))
        if not text_:
            problems.append(Problem(rel, n, _l("the statement has no text")))
        elif len(text_) > MAX_STATEMENT:
            problems.append(Problem(rel, n, _l("a statement has at most %(n)d characters",
                                               n=MAX_STATEMENT)))
        if kind == COMMENT:
            comments += 1
            if comments > 1:
                problems.append(Problem(rel, n, _l(
                    "there is one open comment at most: remove '.komentar' here")))
        q.items.append({"key": key, "text": text_, "kind": kind})
    q.intro_md = "\n".join(intro).strip()
    scale = len(q.scale_items)
    if not scale:
        problems.append(Problem(rel, fm.body_line, _l(
            "the questionnaire has no statement: add lines '### Statement {#id}'")))
    elif scale > MAX_SCALE_ITEMS:
        problems.append(Problem(rel, fm.body_line, _l(
            "at most %(n)d statements: a short questionnaire gets answered",
            n=MAX_SCALE_ITEMS)))
    return q, problems


def _meta(fm, rel: str, q: Questionnaire) -> list[Problem]:
    out = [Problem(rel, fm.lines.get(str(key), 1), _l(
        "unknown front-matter key '%(key)s' (allowed: %(allowed)s)", key=key,
        allowed=", ".join(sorted(KEYS)))) for key in fm.data if key not in KEYS]
    q.title = str(fm.data.get("title") or "").strip()
    if not q.title:
        out.append(Problem(rel, fm.lines.get("title", 1),
                           _l("the questionnaire has no title")))
    version = fm.data.get("version")
    if not isinstance(version, str) or not version.strip():
        out.append(Problem(rel, fm.lines.get("version", 1), _l(
            "write the version in quotes, e.g. version: \"2\"")))
    else:
        q.version = version.strip()
    return out


def check(courses_dir: Path) -> tuple[Questionnaire | None, list[Problem]]:
    """The file under courses/, for check-courses and sync-courses; none is no problem
    (the evaluation is then not offered until an admin uploads one)."""
    path = path_in(courses_dir)
    if not path.is_file():
        return None, []
    rel = _rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(rel, 1, _l("the file is not UTF-8 text"))]
    return parse(text, rel)


# --- stored versions ----------------------------------------------------------------------

def current(session: Session) -> EvaluationForm | None:
    return session.scalars(select(EvaluationForm).order_by(EvaluationForm.id.desc())
                           .limit(1)).first()


def read_settings(session: Session) -> EvaluationSettings:
    """The settings row, or the defaults (not stored): for pages that only read."""
    return session.get(EvaluationSettings, 1) or EvaluationSettings(
        id=1, required=False, required_since=None, files_hash="")


def settings(session: Session) -> EvaluationSettings:
    """The settings row, stored on first use: for writing."""
    row = session.get(EvaluationSettings, 1)
    if row is None:
        row = EvaluationSettings(id=1, required=False, files_hash="")
        session.add(row)
        session.flush()
    return row


def store(session: Session, q: Questionnaire, origin: str,
          author: Employee | None = None) -> EvaluationForm | None:
    """A new current version, or None when `q` is what is current."""
    now = current(session)
    if now is not None and now.source_hash == digest(q.text):
        return None
    form = EvaluationForm(title=q.title, intro_html=render.render(q.intro_md),
                          items=q.items, source=q.text, source_hash=digest(q.text),
                          origin=origin, author_id=author.id if author else None,
                          created_at=clock.now())
    session.add(form)
    session.flush()
    return form


def conflict(published: str, incoming: str, base: str):
    """The course rule: refuse when both sides moved since they were last in step."""
    if not published or incoming in (published, base) or published == base:
        return None
    return _l("the questionnaire was changed both in the files and in the browser since "
              "they were last in step: neither is applied. Download the browser version, "
              "merge the two, then sync or upload again")


def sync_files(session: Session, courses_dir: Path) -> tuple[str, list[Problem]]:
    """Apply courses/_evaluasi/kuesioner.md (sync-courses calls this in its transaction):
    ("added" | "updated" | "unchanged" | "kept" | "none", problems)."""
    q, problems = check(courses_dir)
    if q is None or problems:
        return "none", problems
    row, now = settings(session), current(session)
    incoming = digest(q.text)
    published = now.source_hash if now else ""
    if incoming == row.files_hash and published not in ("", incoming):
        return "kept", []  # only the browser changed: its version stays
    problem = conflict(published, incoming, row.files_hash)
    if problem:
        return "none", [Problem(_rel(path_in(courses_dir)), 1, problem)]
    made = store(session, q, "files")
    row.files_hash = incoming
    return ("added" if now is None else "updated") if made else "unchanged", []


def export_to_folder(session: Session, courses_dir: Path) -> Path | None:
    """Write the current version into courses/ (export-evaluation), files and browser in
    step again."""
    form = current(session)
    if form is None:
        return None
    path = path_in(courses_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(form.source, encoding="utf-8")
    settings(session).files_hash = form.source_hash
    session.flush()
    return path


# --- the browser round trip ---------------------------------------------------------------

def to_zip(form: EvaluationForm) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(f"{FOLDER}/{FILE}", date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        archive.writestr(info, form.source.encode())
        archive.comment = f"melek evaluation form={form.id} hash={form.source_hash}".encode()
    return buffer.getvalue()


@dataclass
class Upload:
    text: str = ""
    base: str = ""  # the hash the downloaded zip was made from; "" when unknown
    problems: list = field(default_factory=list)


def read_upload(data: bytes, name: str) -> Upload:
    """A zip made by the download (or holding kuesioner.md alone), or the .md file."""
    upload = Upload()
    if len(data) > MAX_BYTES * 4:
        upload.problems.append(_l("the file is larger than %(kb)d KB", kb=MAX_BYTES // 250))
        return upload
    raw = data
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = [i for i in archive.infolist()
                           if not i.is_dir() and not IGNORED.search(i.filename)]
                if len(entries) != 1 or entries[0].filename.rsplit("/", 1)[-1] != FILE \
                        or entries[0].file_size > MAX_BYTES:
                    upload.problems.append(_l(
                        "the zip must hold one file, %(file)s (at most %(kb)d KB)",
                        file=FILE, kb=MAX_BYTES // 1000))
                    return upload
                raw = archive.read(entries[0])
                m = MARKER.match(archive.comment.decode("utf-8", "replace").strip())
                upload.base = m.group("hash") if m else ""
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError):
            upload.problems.append(_l("%(name)s cannot be unpacked: make the zip again",
                                      name=name))
            return upload
    elif len(data) > MAX_BYTES:
        upload.problems.append(_l("the file is larger than %(kb)d KB",
                                  kb=MAX_BYTES // 1000))
        return upload
    try:
        upload.text = raw.decode("utf-8")
    except UnicodeDecodeError:
        upload.problems.append(_l("%(file)s is not UTF-8 text", file=FILE))
    return upload
