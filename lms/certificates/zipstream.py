"""A zip archive written forwards, for a download of any size in constant memory.

Python's zipfile can write to a stream that cannot seek, but it keeps a ZipInfo per file
until it writes the directory at the end (about 1 KB each: 100 MB for a city's 100,000
certificates). Here each file's directory entry is packed to bytes as the file goes out
and spooled (in memory up to 1 MB, then to a temporary file), so memory holds one file
and a buffer whatever the count. Files are stored, not deflated: PDFs are compressed
already (deflate saves about 15% of a certificate and costs the CPU time of the whole
download). Zip64 records are written when the count or the offsets need them (more than
65,535 files, or past 4 GB), as the format (PKWARE APPNOTE 6.3) lays down."""

import struct
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import date

MAX16, MAX32 = 0xFFFF, 0xFFFFFFFF  # in a classic field: "see the zip64 record"
ZIP64_COUNT, ZIP64_OFFSET = MAX16, MAX32  # from these on, zip64 records are needed
UTF8_NAMES = 0x0800
UNIX_FILE = (0o100644 << 16)
COPY_CHUNK = 64 * 1024

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_ZIP64_OFFSET_EXTRA = struct.Struct("<HHQ")
_ZIP64_END = struct.Struct("<IQHHIIQQQQ")
_ZIP64_LOCATOR = struct.Struct("<IIQI")
_END = struct.Struct("<IHHHHIIH")


def _dos_day(day: date) -> tuple[int, int]:
    """(time, date) as the zip format keeps them: midnight of `day`."""
    return 0, ((max(day.year, 1980) - 1980) << 9) | (day.month << 5) | day.day


def chunks(entries: Iterable[tuple[str, date, bytes]]) -> Iterator[bytes]:
    """The archive of (name, day, data) entries: each file's header and bytes as one
    chunk, then the directory in chunks, then the end records."""
    offset = count = 0
    with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as directory:
        for name, day, data in entries:
            encoded = name.encode()
            crc, size = zlib.crc32(data), len(data)
            dos_time, dos_date = _dos_day(day)
            header = _LOCAL.pack(0x04034B50, 20, UTF8_NAMES, 0, dos_time, dos_date, crc,
                                 size, size, len(encoded), 0)
            far = offset >= ZIP64_OFFSET
            extra = _ZIP64_OFFSET_EXTRA.pack(1, 8, offset) if far else b""
            directory.write(_CENTRAL.pack(
                0x02014B50, 0x0300 | 45, 45 if far else 20, UTF8_NAMES, 0, dos_time,
                dos_date, crc, size, size, len(encoded), len(extra), 0, 0, 0, UNIX_FILE,
                MAX32 if far else offset) + encoded + extra)
            yield header + encoded + data
            offset += len(header) + len(encoded) + size
            count += 1
        directory_size = directory.tell()
        directory.seek(0)
        while part := directory.read(COPY_CHUNK):
            yield part
    yield _end(count, offset, directory_size)


def _end(count: int, directory_offset: int, directory_size: int) -> bytes:
    classic = (count, count, directory_size, directory_offset)
    records = b""
    if count >= ZIP64_COUNT or directory_offset >= ZIP64_OFFSET or \
            directory_size >= ZIP64_OFFSET:
        records = _ZIP64_END.pack(0x06064B50, _ZIP64_END.size - 12, 0x0300 | 45, 45, 0, 0,
                                  count, count, directory_size, directory_offset) + \
            _ZIP64_LOCATOR.pack(0x07064B50, 0, directory_offset + directory_size, 1)
        classic = (MAX16, MAX16, MAX32, MAX32)
    return records + _END.pack(0x06054B50, 0, 0, *classic, 0)
