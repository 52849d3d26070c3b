"""What an uploaded file really is, from its first bytes (never from its name or the
browser's word): the one check behind course images and audio, proof of training and any
upload."""

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif",
              "image/webp": "webp", "application/pdf": "pdf", "audio/mpeg": "mp3",
              "audio/ogg": "ogg"}

# The first packet of an Ogg stream names its codec: Opus or Vorbis are the audio ones
# every browser plays (an Ogg file may also hold video or FLAC).
_OGG_AUDIO = (b"OpusHead", b"\x01vorbis")


def _mpeg_frame(data: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a defined version and layer, and a
    bitrate and sample rate that are not the reserved values."""
    if len(data) < 4 or data[0] != 0xFF or data[1] & 0xE0 != 0xE0:
        return False
    version, layer = (data[1] >> 3) & 0b11, (data[1] >> 1) & 0b11
    bitrate, rate = data[2] >> 4, (data[2] >> 2) & 0b11
    return version != 0b01 and layer != 0 and bitrate not in (0, 0b1111) and rate != 0b11


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, from their signature, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"ID3") or _mpeg_frame(data):
        return "audio/mpeg"
    # The first Ogg page is a 27-byte header and a segment table, then the first packet.
    if data.startswith(b"OggS") and len(data) > 27:
        first_packet = 27 + data[26]
        if data[first_packet:first_packet + 8].startswith(_OGG_AUDIO):
            return "audio/ogg"
    return None
