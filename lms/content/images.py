"""What an image a trainer supplies must be before Melek stores and serves it.

Images come from course folders, studio uploads and course zips; all of them pass
`check_image`. The rules:

- the name ends in one of IMAGE_TYPES (PNG, JPEG, GIF, SVG, WebP) and the file is at
  most MAX_IMAGE_BYTES (2 MB);
- PNG, JPEG, GIF and WebP files start with their format's signature, so a ".png" that
  holds HTML or an SVG is refused;
- an SVG is well-formed XML, read without DOCTYPE, entities or external references
  (defusedxml), whose root is <svg>, and that cannot run code or reach outside itself:
  no <script>/<handler>, <foreignObject>, <iframe>/<embed>/<object>, no HTML elements,
  no on* event attributes, no processing instructions such as <?xml-stylesheet?>; every
  href/xlink:href (and every value an <animate>/<set> writes into an href) is a "#id"
  inside the file or a data: URL of a raster image; CSS (in <style>, style= and
  presentation attributes) has no @import, expression(), javascript: or url() except
  "#id" and raster data: URLs.

Served images also carry a sandbox CSP and nosniff (see learning.asset); these checks are
the first line, so a bad file is refused with a plain-language message before it is
stored at all.
"""

import re
import unicodedata
from xml.etree.ElementTree import ParseError, TreeBuilder

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser
from flask_babel import lazy_gettext as _l

from lms.core import files

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024

# Format names for messages; SVG is checked separately.
_FORMAT_NAMES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF",
                 "image/webp": "WebP"}

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
_SCRIPT_TAGS = {"script", "handler"}
_EMBED_TAGS = {"iframe", "embed", "object", "frame", "frameset", "applet"}
_ANIMATION_TAGS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
_ANIMATION_VALUES = ("to", "from", "by", "values")
# data: URLs that only ever hold pixels.
_RASTER_DATA = re.compile(r"^data:image/(png|jpeg|jpg|gif|webp)[;,]")
_SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript|livescript|mocha):")
_CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
_CSS_URL_START = re.compile(r"url\s*\(", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def mime_type(name: str) -> str | None:
    """The content type an allowed image name is served with, or None."""
    return IMAGE_TYPES.get(_extension(name))


def _extension(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "." + base.rsplit(".", 1)[1].lower() if "." in base else ""


def sniff(data: bytes) -> str | None:
    """The raster image type the bytes really are, or None (a PDF is not an image)."""
    kind = files.sniff(data)
    return kind if kind and kind.startswith("image/") else None


def check_image(name: str, data: bytes):
    """A plain-language problem with the image `name` holding `data`, or None when it may
    be stored and served. The message is a lazy string (English msgid)."""
    mime = mime_type(name)
    if mime is None:
        return _l("only PNG, JPEG, GIF, SVG or WebP images are allowed")
    if len(data) > MAX_IMAGE_BYTES:
        return _l("the image is larger than 2 MB: make it smaller")
    if not data:
        return _l("the image file is empty")
    if mime == "image/svg+xml":
        return check_svg(data)
    found = sniff(data)
    if found == mime:
        return None
    expected = _FORMAT_NAMES[mime]
    if found is not None:
        return _l("the file is named as %(expected)s but is a %(found)s image: give it "
                  "the right extension", expected=expected, found=_FORMAT_NAMES[found])
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _l("the file is named as %(expected)s but holds text (HTML or SVG), not an "
                  "image", expected=expected)
    return _l("the file is not a real %(expected)s image: save it again as %(expected)s "
              "from an image program", expected=expected)


# --- SVG -------------------------------------------------------------------------------

class _Builder(TreeBuilder):
    """A tree builder that notes processing instructions (<?xml-stylesheet ...?>), which
    the standard one drops silently."""

    def __init__(self):
        super().__init__()
        self.instructions: list[str] = []

    def pi(self, target, text=None):
        self.instructions.append(target)


def _local(name: str) -> str:
    """'{ns}tag' or 'prefix:tag' -> 'tag', lower-cased."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _namespace(name: str) -> str:
    return name[1:].split("}", 1)[0] if name.startswith("{") else ""


def _url_problem(value: str):
    """A problem with a URL an SVG refers to, or None for '#id' and raster data: URLs."""
    url = _CONTROL.sub("", value).lower()
    if not url or url.startswith("#") or _RASTER_DATA.match(url):
        return None
    if _SCRIPT_SCHEME.match(url) or url.startswith("data:"):
        return _l("the SVG contains a link that runs code or holds a page ('%(url)s'): "
                  "remove it (images must not run code)", url=_shorten(value))
    if url.startswith(("http:", "https:", "//", "ftp:", "file:")):
        return _l("the SVG refers to an outside address ('%(url)s'): images must be "
                  "self-contained, so remove the link or put the content into the file",
                  url=_shorten(value))
    return _l("the SVG refers to another file ('%(url)s'): put everything into the one "
              "SVG file", url=_shorten(value))


def _shorten(value: str, limit: int = 60) -> str:
    value = _CONTROL.sub(" ", value).strip()
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _css_unescape(css: str) -> str:
    def replace(m):
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else ""
        return m.group(2)
    return _CSS_ESCAPE.sub(replace, _CSS_COMMENT.sub("", css))


def _css_problem(css: str):
    """A problem with CSS inside an SVG (a <style> element, a style attribute or a
    presentation attribute such as fill="url(#gradient)"), or None."""
    plain = _css_unescape(css)
    squashed = _CONTROL.sub("", plain).lower()
    if "@import" in squashed:
        return _l("the SVG's style uses @import: remove it (images must not load "
                  "outside files)")
    if "expression(" in squashed or "javascript:" in squashed or "vbscript:" in squashed \
            or "-moz-binding" in squashed or "behavior:" in squashed:
        return _l("the SVG's style contains code (expression(), javascript: or a "
                  "binding): remove it (images must not run code)")
    urls = _css_urls(plain)
    if urls is None or squashed.count("url(") > len(urls):
        return _l("the SVG's style has a url( that cannot be read: remove it")
    for url in urls:
        problem = _url_problem(url)
        if problem is not None:
            return problem
    return None


def _css_urls(css: str) -> list[str] | None:
    """What every url(...) in `css` points at (case-insensitive, quoted or not), or None
    when one is not closed as it should be. One pass: the regular expression this
    replaces searched to the end of the text again for every 'url(' (a 30 KB SVG took
    12 s, a 2 MB one hours)."""
    urls, pos, size = [], 0, len(css)
    while (m := _CSS_URL_START.search(css, pos)) is not None:
        start = m.end()
        while start < size and css[start].isspace():
            start += 1
        if css[start:start + 1] in ("'", '"'):
            close = css.find(css[start], start + 1)
            if close < 0:
                return None
            urls.append(css[start + 1:close])
            end = close + 1
            while end < size and css[end].isspace():
                end += 1
            if css[end:end + 1] != ")":
                return None
        else:
            end = css.find(")", start)
            if end < 0:
                return None
            urls.append(css[start:end].strip())
        pos = end + 1
    return urls


def check_svg(data: bytes):
    """A problem with an SVG file, or None. Parsed with defusedxml: no DOCTYPE, no
    entities, no external references, so nothing is fetched or expanded."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        parser.feed(data)
        root = parser.close()
    except (DTDForbidden, EntitiesForbidden):
        return _l("the SVG declares a DOCTYPE or entities: remove them (they can hide "
                  "content or exhaust the server)")
    except DefusedXmlException:
        return _l("the SVG refers to outside files in its declarations: remove them")
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 1
        return _l("the SVG cannot be read as XML (line %(line)d): save it again from "
                  "your drawing program", line=line)
    if _local(root.tag) == "svg" and _namespace(root.tag) not in (SVG_NS, ""):
        return _l("the SVG's <svg> element is in the wrong namespace: use "
                  "xmlns=\"http://www.w3.org/2000/svg\"")
    if _local(root.tag) != "svg":
        return _l("the file is not an SVG: its first element is <%(tag)s>, not <svg>",
                  tag=_local(root.tag))
    if builder.instructions:
        return _l("the SVG contains a processing instruction (<?%(name)s ...?>): remove "
                  "it (images must not load outside files)", name=builder.instructions[0])
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        problem = _element_problem(element)
        if problem is not None:
            return problem
    return None


def _element_problem(element):
    tag = _local(element.tag)
    if tag in _SCRIPT_TAGS:
        return _l("the SVG contains a script: remove it (images must not run code)")
    if tag == "foreignobject":
        return _l("the SVG contains a <foreignObject> (a piece of web page): remove it "
                  "(images must not hold web pages)")
    if tag in _EMBED_TAGS:
        return _l("the SVG embeds another document (<%(tag)s>): remove it", tag=tag)
    if _namespace(element.tag) == XHTML_NS:
        return _l("the SVG contains web-page (HTML) elements (<%(tag)s>): remove them",
                  tag=tag)
    if tag == "style":
        problem = _css_problem("".join(element.itertext()))
        if problem is not None:
            return problem
    for name, value in element.attrib.items():
        attr = _local(name)
        if attr.startswith("on"):
            return _l("the SVG contains an event attribute ('%(name)s'): remove it "
                      "(images must not run code)", name=attr)
        if attr in ("href", "src"):
            problem = _url_problem(value)
        elif attr == "style" or "url" in value.lower() or "\\" in value:
            problem = _css_problem(value)
        else:
            problem = None
        if problem is not None:
            return problem
    if tag in _ANIMATION_TAGS:
        target = _local(element.get("attributeName", ""))
        if target.startswith("on"):
            return _l("the SVG contains an event attribute ('%(name)s'): remove it "
                      "(images must not run code)", name=target)
        for key in _ANIMATION_VALUES:
            for value in element.get(key, "").split(";"):
                problem = (_url_problem(value) if target in ("href", "src")
                           else _css_problem(value))
                if problem is not None:
                    return problem
    return None


# --- names -----------------------------------------------------------------------------

def safe_name(filename: str, types: dict[str, str] = IMAGE_TYPES) -> str:
    """The name an uploaded image is stored and served under: the last path part of
    `filename`, accents folded to ASCII, lower-case letters, digits and '-' only (runs
    of anything else become one '-'), at most 100 characters, then the lower-cased
    extension. An empty stem becomes "gambar" (the same rule names uploaded audio).

    "../Foto Layar (1).PNG" -> "foto-layar-1.png".

    Raises ValueError (with a plain-language message as its argument) when the extension
    is not one of `types` (IMAGE_TYPES unless given): such a file is never stored.
    """
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    extension = _extension(base)
    if extension not in types:
        raise ValueError(_l("only PNG, JPEG, GIF, SVG or WebP images are allowed")
                         if types is IMAGE_TYPES else
                         _l("only images (PNG, JPEG, GIF, SVG, WebP) or audio (MP3, Ogg) "
                            "are allowed"))
    stem = base[:-len(extension)]
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")
    slug = slug[:100].rstrip("-") or "gambar"
    return slug + extension
