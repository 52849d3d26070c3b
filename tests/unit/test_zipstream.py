"""The forward-only zip writer behind HR's zip of certificates: what it writes is a zip
that Python's zipfile and Info-ZIP's unzip both read back exactly, zip64 included."""

import io
import shutil
import subprocess
import zipfile
from datetime import date

import pytest

from lms.certificates import zipstream

ENTRIES = [("198609262015051001-dasar.pdf", date(2026, 3, 2), b"%PDF-1.4 one"),
           ("198609262015051001-lanjut.pdf", date(2026, 4, 20), b"%PDF-1.4 two" * 1000),
           ("199505052020122005-dasar.pdf", date(2026, 1, 1), b"")]


def _archive(entries) -> bytes:
    return b"".join(zipstream.chunks(iter(entries)))


def _check(data: bytes, tmp_path, entries=ENTRIES):
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    assert [(i.filename, i.date_time[:3], archive.read(i)) for i in archive.infolist()] == \
        [(name, (d.year, d.month, d.day), body) for name, d, body in entries]
    if entries and shutil.which("unzip"):  # (it warns, exit 1, on an empty one)
        path = tmp_path / "a.zip"
        path.write_bytes(data)
        result = subprocess.run(["unzip", "-tq", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_a_zip_that_reads_back_file_for_file(tmp_path):
    _check(_archive(ENTRIES), tmp_path)


def test_one_chunk_per_file_then_the_directory():
    chunks = list(zipstream.chunks(iter(ENTRIES)))
    assert len(chunks) == len(ENTRIES) + 2  # the files, the directory, the end record
    assert chunks[1].endswith(ENTRIES[1][2])


def test_an_empty_zip_is_a_zip(tmp_path):
    _check(_archive([]), tmp_path, [])


@pytest.mark.parametrize("limits", [{"ZIP64_COUNT": 2}, {"ZIP64_OFFSET": 40}])
def test_zip64_records_when_counts_or_offsets_need_them(monkeypatch, tmp_path, limits):
    """Past 65,535 files or 4 GB (made small here) the archive carries zip64 records."""
    for name, value in limits.items():
        monkeypatch.setattr(zipstream, name, value)
    data = _archive(ENTRIES)
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data
    _check(data, tmp_path)
