"""A course folder as data: {relative POSIX path: bytes}. The same shape whether it
comes from `courses/<slug>/`, a stored revision, the browser draft or an uploaded zip,
so every way in is validated and applied by the same code.
"""

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from lms.content.audio import AUDIO_TYPES, check_audio
from lms.content.images import IMAGE_TYPES, check_image

Tree = dict[str, bytes]

TEXT_SUFFIXES = {".md"}
MAX_FILES = 200
MAX_NAME_BYTES = 100  # per path part; file systems stop at 255
MAX_TREE_BYTES = 30 * 1024 * 1024
# Fixed timestamps make the same folder always give the same zip bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MARKER = re.compile(
    r"^melek course=(?P<slug>\S+) revision=(?P<rev>\d+) tree=(?P<tree>[0-9a-f]{64})$")
# Hidden files and what zip tools add; ".." is not hidden but unsafe (see _unsafe).
IGNORED = re.compile(r"(^|/)(\.(?!\.(/|$))[^/]*|__MACOSX|Thumbs\.db|desktop\.ini)(/|$)")


def check_file(path: str, data: bytes):
    """The one check every file of a course passes before it is stored, whether it comes
    from courses/ on disk, a zip or the studio's image upload, and whether or not a page
    refers to it: Markdown, an image whose bytes are what its name says (see
    images.check_image: real type by signature, SVG without script, at most 2 MB), or
    audio likewise (audio.check_audio: MP3 or Ogg Opus/Vorbis, at most 5 MB).
    Returns a plain-language problem (lazy string) or None. Markdown is read, and its
    encoding reported, by the parser."""
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return None
    if suffix in AUDIO_TYPES:
        return check_audio(path, data)
    if suffix not in IMAGE_TYPES:
        return _l("only Markdown files (.md), images (PNG, JPEG, GIF, SVG, WebP) and audio "
                  "(MP3, Ogg) belong in a course folder")
    return check_image(path, data)


def read_folder(folder: Path) -> Tree:
    """Every file of a course folder, skipping hidden ones (.git, .DS_Store)."""
    tree = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        # A symlink could bring in any file of the server; course folders hold none.
        if path.is_file() and not path.is_symlink() and not IGNORED.search(rel):
            tree[rel] = path.read_bytes()
    return tree


def write_folder(tree: Tree, folder: Path) -> None:
    for rel, data in tree.items():
        target = folder.joinpath(*PurePosixPath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def replace_folder(tree: Tree, folder: Path) -> None:
    """Make `folder` hold exactly `tree`: stale course files go, hidden ones (.git) stay."""
    for stale in set(read_folder(folder)) - set(tree) if folder.is_dir() else ():
        folder.joinpath(*PurePosixPath(stale).parts).unlink()
    write_folder(tree, folder)
    for empty in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(empty.iterdir()):
            empty.rmdir()


def tree_hash(tree: Tree) -> str:
    h = hashlib.sha256()
    for rel in sorted(tree):
        h.update(rel.encode())
        h.update(b"\0")
        h.update(hashlib.sha256(tree[rel]).digest())
    return h.hexdigest()


def is_text(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in TEXT_SUFFIXES


def marker(slug: str, revision: int, digest: str) -> str:
    return f"melek course={slug} revision={revision} tree={digest}"


def to_zip(tree: Tree, slug: str, comment: str = "") -> bytes:
    """The folder as `<slug>/...` entries, exactly as it sits under courses/."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel in sorted(tree):
            info = zipfile.ZipInfo(f"{slug}/{rel}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, tree[rel])
        archive.comment = comment.encode()
    return buffer.getvalue()


def from_archive(data: bytes) -> Tree:
    """A stored revision's files (written by to_zip, so trusted)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()
                if "/" in name and not name.endswith("/")}


@dataclass
class Upload:
    slug: str = ""
    tree: Tree = field(default_factory=dict)
    base_tree_hash: str = ""  # from an exported zip's marker; "" for a hand-made zip
    marker_slug: str = ""  # the course the marker names
    problems: list[str] = field(default_factory=list)


def read_upload(data: bytes, name: str = "kursus.zip") -> Upload:
    """An uploaded zip: one course folder (or the folder's files at the top level).
    Refuses what could harm the server or learners: unsafe paths, too many or too large
    files, and any file `check_file` refuses."""
    upload = Upload()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        upload.problems.append(_l("%(name)s is not a zip file", name=name))
        return upload
    with archive:
        m = MARKER.match(archive.comment.decode("utf-8", "replace").strip())
        entries = [i for i in archive.infolist()
                   if not i.is_dir() and not IGNORED.search(i.filename)]
        if len(entries) > MAX_FILES:
            upload.problems.append(_l("the zip holds more than %(n)d files", n=MAX_FILES))
            return upload
        if sum(i.file_size for i in entries) > MAX_TREE_BYTES:
            upload.problems.append(_l("the zip's files add up to more than %(mb)d MB",
                                      mb=MAX_TREE_BYTES // (1024 * 1024)))
            return upload
        tops = {PurePosixPath(i.filename).parts[0] for i in entries
                if len(PurePosixPath(i.filename).parts) > 1}
        top_files = [i for i in entries if len(PurePosixPath(i.filename).parts) == 1]
        prefix = ""
        if len(tops) == 1 and not top_files:
            upload.slug = tops.pop()
            prefix = upload.slug + "/"
        for info in entries:
            rel = info.filename.removeprefix(prefix)
            problem = _unsafe(rel)
            if problem:
                upload.problems.append(f"{info.filename}: {problem}")
                continue
            try:
                data = archive.read(info)
            except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError,
                    EOFError) as exc:  # corrupt, encrypted or oddly compressed entries
                upload.problems.append(_l("%(file)s cannot be unpacked (%(error)s): make "
                                          "the zip again", file=info.filename,
                                          error=str(exc)))
                continue
            problem = check_file(rel, data)  # every file, whether a page shows it or not
            if problem:
                upload.problems.append(f"{info.filename}: {problem}")
            else:
                upload.tree[rel] = data
    upload.problems += _clashes(upload.tree)
    if m:
        upload.marker_slug = m.group("slug")
        if not upload.slug or upload.marker_slug == upload.slug:
            upload.base_tree_hash = m.group("tree")
    if not upload.problems and "README.md" not in upload.tree:
        upload.problems.append(_l("the zip has no README.md: it must hold one course "
                                  "folder as in courses/ (README.md and the module files)"))
    return upload


def _clashes(tree: Tree) -> list:
    """A name used both as a file and as a folder cannot be written out."""
    folders = {str(parent) for rel in tree for parent in PurePosixPath(rel).parents}
    return [_l("%(file)s is both a file and a folder", file=rel) for rel in sorted(tree)
            if rel in folders]


def _unsafe(rel: str) -> str | None:
    path = PurePosixPath(rel)
    if (rel.startswith("/") or "\\" in rel or ".." in path.parts or ":" in rel
            or any(len(part.encode()) > MAX_NAME_BYTES for part in path.parts)):
        return _l("unsafe file name")
    return None
