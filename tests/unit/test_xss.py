"""Stored XSS: every payload a trainer could write renders to safe HTML, and every image
that could run code or pretend to be another type is refused before it is stored."""

import struct
import zlib
from pathlib import Path

import pytest

from lms.content import render
from lms.content.images import (
    IMAGE_TYPES,
    MAX_IMAGE_BYTES,
    check_image,
    safe_name,
    sniff,
)
from tests.support.xss import CODE_PAYLOADS, PAYLOADS, SAFE_IMAGE, assert_safe_html

ROOT = Path(__file__).resolve().parents[2]


def _resolve(src: str) -> str | None:
    return "/aset/0123/aman.svg" if src == SAFE_IMAGE else None


def _ids(values):
    return [f"{i:02d}-{v[:40]!r}" for i, v in enumerate(values)]


# --- Markdown ------------------------------------------------------------------------------

def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS, ids=_ids(PAYLOADS))
def test_payload_renders_safe_block(payload):
    assert_safe_html(render.render(payload, _resolve))
    assert_safe_html(render.render(payload))  # images that resolve to nothing


@pytest.mark.parametrize("payload", PAYLOADS, ids=_ids(PAYLOADS))
def test_payload_renders_safe_inline(payload):
    assert_safe_html(render.render_inline(payload, _resolve))


@pytest.mark.parametrize("payload", PAYLOADS, ids=_ids(PAYLOADS))
def test_payload_inside_a_callout_and_a_table_cell(payload):
    callout = "> [!NOTE]\n" + "\n".join("> " + line for line in payload.splitlines())
    assert_safe_html(render.render(callout, _resolve))
    if "\n" not in payload:
        table = f"| a | b |\n|:--|--:|\n| {payload} | x |"
        assert_safe_html(render.render(table, _resolve))


@pytest.mark.parametrize("payload", list(CODE_PAYLOADS), ids=_ids(CODE_PAYLOADS))
def test_code_keeps_html_as_escaped_text(payload):
    html = render.render(payload)
    assert CODE_PAYLOADS[payload] in html  # shown to the learner, not removed
    assert "<code>" in html or "<code " in html


def test_raw_html_is_shown_as_text_not_dropped():
    html = render.render("Sebelum <b onmouseover=alert(1)>tebal</b> sesudah")
    assert "&lt;b onmouseover=alert(1)&gt;tebal&lt;/b&gt;" in html


def test_safe_links_and_images_survive():
    html = render.render("[situs](https://example.org) [surel](mailto:a@example.org) "
                         f"[modul](02-dua.md) ![diagram]({SAFE_IMAGE})", _resolve)
    assert '<a href="https://example.org"' in html and 'href="mailto:a@example.org"' in html
    assert 'href="02-dua.md"' in html and 'src="/aset/0123/aman.svg"' in html
    assert_safe_html(html)


@pytest.mark.parametrize("bad", [
    '<p onclick="x">a</p>', '<a href="javascript:alert(1)">a</a>',
    '<a href="&#106;avascript:alert(1)">a</a>', '<a href=" java\tscript:x">a</a>',
    '<img src="data:text/html,x">', '<script>x</script>', '<div class="evil">a</div>',
    '<p style="color:red">a</p>', '<a href="vbscript:x">a</a>', "<!-- x -->",
    '<span>a</span>', '<a href="https://a" target="_blank">a</a>',
])
def test_the_checker_itself_catches_unsafe_html(bad):
    with pytest.raises(AssertionError):
        assert_safe_html(bad)


# --- images --------------------------------------------------------------------------------

def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


JPEG = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xd9")
GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00"
       b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
WEBP = bytes.fromhex("524946461a000000574542505650384c0d0000002f0000001007101111"
                     "8888fe0700")

SVG_OPEN = ('<svg xmlns="http://www.w3.org/2000/svg" '
            'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">')


def svg(inner: str, before: str = "") -> bytes:
    return (before + SVG_OPEN + "<title>t</title>" + inner + "</svg>").encode()


GOOD_SVGS = {
    "plain": svg('<rect width="10" height="10" fill="#fff"/>'),
    "declaration-and-comment": svg("<!-- Inkscape --><circle r='3'/>",
                                   before='<?xml version="1.0" encoding="UTF-8"?>\n'),
    "gradient-and-use": svg('<defs><linearGradient id="g"><stop offset="0"/>'
                            '</linearGradient><path id="p" d="M0 0h5"/></defs>'
                            '<rect fill="url(#g)" style="stroke:url(\'#g\')"/>'
                            '<use href="#p"/><use xlink:href="#p"/>'),
    "style-element": svg("<style>text { font: 14px Arial; fill: #0b1f33 }</style>"
                         "<text>Halo</text>"),
    "embedded-png": svg('<image width="1" height="1" href="data:image/png;base64,'
                        'iVBORw0KGgo="/>'),
    "animation": svg('<rect><animate attributeName="x" values="0;5;0" dur="2s"/></rect>'),
    "link-inside": svg('<a href="#bagian"><text>ke bawah</text></a>'),
}

BAD_IMAGES = {
    "script": ("a.svg", svg("<script>alert(1)</script>"), "script"),
    "script-cdata": ("a.svg", svg("<script><![CDATA[alert(1)]]></script>"), "script"),
    "xhtml-script": ("a.svg", svg('<h:script xmlns:h="http://www.w3.org/1999/xhtml">'
                                  "alert(1)</h:script>"), "script"),
    "onload": ("a.svg", (SVG_OPEN.replace(">", ' onload="alert(1)">', 1)
                         + "</svg>").encode(), "onload"),
    "onclick-upper": ("a.svg", svg('<rect ONCLICK="alert(1)"/>'), "onclick"),
    "foreign-object": ("a.svg", svg('<foreignObject><div xmlns="http://www.w3.org/1999/'
                                    'xhtml"><img src="x" onerror="alert(1)"/></div>'
                                    "</foreignObject>"), "foreignObject"),
    "iframe": ("a.svg", svg('<iframe xmlns="http://www.w3.org/1999/xhtml" '
                            'src="https://evil.example"/>'), "iframe"),
    "xlink-javascript": ("a.svg", svg('<a xlink:href="javascript:alert(1)"><text>x</text>'
                                      "</a>"), "javascript:"),
    "a-href-javascript": ("a.svg", svg('<a href="  JaVa&#x09;Script:alert(1)"><text>x'
                                       "</text></a>"), "run code"),
    "use-external": ("a.svg", svg('<use href="http://evil.example/x.svg#a"/>'),
                     "outside address"),
    "use-protocol-relative": ("a.svg", svg('<use xlink:href="//evil.example/x.svg#a"/>'),
                              "outside address"),
    "image-other-file": ("a.svg", svg('<image href="../rahasia.png"/>'), "another file"),
    "data-html-href": ("a.svg", svg('<a href="data:text/html,&lt;script&gt;alert(1)&lt;'
                                    '/script&gt;"><text>x</text></a>'), "run code"),
    "style-external-url": ("a.svg", svg("<style>rect { fill: url(https://evil.example/"
                                        "x.svg#p) }</style>"), "outside address"),
    "style-import": ("a.svg", svg('<style>@import "https://evil.example/x.css";</style>'),
                     "@import"),
    "style-escaped-import": ("a.svg", svg("<style>@\\69mport 'x.css';</style>"), "@import"),
    "style-expression": ("a.svg", svg('<rect style="width: expression(alert(1))"/>'),
                         "expression"),
    "style-attribute-url": ("a.svg", svg('<rect style="fill:url(//evil.example/p)"/>'),
                            "outside address"),
    "fill-external": ("a.svg", svg('<rect fill="url(http://evil.example/x#g)"/>'),
                      "outside address"),
    "animate-href": ("a.svg", svg('<a href="#x"><animate attributeName="href" '
                                  'to="javascript:alert(1)"/><text>x</text></a>'),
                     "javascript:"),
    "set-xlink-href-values": ("a.svg", svg('<a><set attributeName="xlink:href" '
                                           'values="#a;javascript:alert(1)"/></a>'),
                              "javascript:"),
    "set-onclick": ("a.svg", svg('<rect><set attributeName="onclick" to="alert(1)"/>'
                                 "</rect>"), "onclick"),
    "entity": ("a.svg", svg("<text>&x;</text>", before='<!DOCTYPE svg [<!ENTITY x "y">]>'),
               "DOCTYPE"),
    "billion-laughs": ("a.svg", svg("<text>&lol9;</text>", before=(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'
                  .replace("&lol0;", "&lol;") for i in range(1, 10)) + "]>")), "DOCTYPE"),
    "external-entity": ("a.svg", svg("<text>&xxe;</text>", before=(
        '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')), "DOCTYPE"),
    "external-dtd": ("a.svg", svg("", before='<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"'
                                   ' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'),
                     "DOCTYPE"),
    "xml-stylesheet": ("a.svg", svg("", before='<?xml-stylesheet type="text/xsl" '
                                    'href="https://evil.example/x.xsl"?>'), "xml-stylesheet"),
    "html-root": ("a.svg", b"<html><body><script>alert(1)</script></body></html>", "<html>"),
    "not-xml": ("a.svg", b"<svg><script>alert(1)</svg>", "XML"),
    "gif-polyglot-svg": ("a.svg", b"GIF89a/*" + svg("<script>alert(1)</script>"), "XML"),
    "png-holding-html": ("a.png", b"<!doctype html><script>alert(1)</script>", "HTML"),
    "png-holding-svg": ("foto.png", svg("<script>alert(1)</script>"), "HTML or SVG"),
    "jpeg-holding-gif": ("a.jpg", GIF, "GIF"),
    "webp-holding-text": ("a.webp", b"RIFF\x00\x00\x00\x00WAVEfmt ", "WebP"),
    "html-extension": ("halaman.html", b"<script>alert(1)</script>", "PNG, JPEG"),
    "no-extension": ("gambar", _png(), "PNG, JPEG"),
    "too-large": ("a.png", _png() + b"\x00" * MAX_IMAGE_BYTES, "2 MB"),
    "empty": ("a.gif", b"", "empty"),
}


def _course_images():
    found = sorted(p for base in (ROOT / "courses", ROOT / "tests" / "data" / "courses")
                   for p in base.rglob("*") if p.suffix.lower() in IMAGE_TYPES)
    assert len(found) >= 10
    return found


@pytest.mark.parametrize("name", list(BAD_IMAGES))
def test_bad_image_is_refused_with_a_message(name, english):
    filename, data, expected = BAD_IMAGES[name]
    problem = check_image(filename, data)
    assert problem is not None, f"{name} was accepted"
    assert expected in str(problem), str(problem)


def test_svg_script_message_wording(english):
    assert str(check_image("a.svg", svg("<script>alert(1)</script>"))) == \
        "the SVG contains a script: remove it (images must not run code)"


@pytest.mark.parametrize("path", _course_images(), ids=lambda p: p.name)
def test_every_course_image_is_accepted(path):
    assert check_image(path.name, path.read_bytes()) is None


@pytest.mark.parametrize("name", list(GOOD_SVGS))
def test_legitimate_svg_is_accepted(name):
    assert check_image("diagram.svg", GOOD_SVGS[name]) is None


@pytest.mark.parametrize("filename, data, mime", [
    ("titik.png", _png(), "image/png"), ("Foto.JPG", JPEG, "image/jpeg"),
    ("foto.jpeg", JPEG, "image/jpeg"), ("animasi.gif", GIF, "image/gif"),
    ("kecil.webp", WEBP, "image/webp"),
])
def test_small_raster_images_are_accepted(filename, data, mime):
    assert sniff(data) == mime
    assert check_image(filename, data) is None


# --- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize("given, stored", [
    ("../Foto Layar (1).PNG", "foto-layar-1.png"),
    ("C:\\Users\\Dewi\\Ñandú Café.JPEG", "nandu-cafe.jpeg"),
    ("/etc/../img/Diagram_Alur.svg", "diagram-alur.svg"),
    (".png", "gambar.png"),
    ("!!!.gif", "gambar.gif"),
    ("文件.webp", "gambar.webp"),
    ("laporan.php.png", "laporan-php.png"),
    ("  spasi  .jpg", "spasi.jpg"),
    ("a\x00b.png", "a-b.png"),
    ("x" * 300 + ".png", "x" * 100 + ".png"),
])
def test_safe_name(given, stored):
    assert safe_name(given) == stored


@pytest.mark.parametrize("given", ["halaman.html", "gambar", "x.svg.html", "x.png.exe",
                                   "foto.", "skrip.js", ""])
def test_safe_name_refuses_other_types(given):
    with pytest.raises(ValueError):
        safe_name(given)


@pytest.mark.parametrize("style", ["url(" * 200_000, "fill: url('#g" + " " * 500_000,
                                   "url(#g) " * 100_000 + "url(" * 100_000])
def test_svg_style_is_checked_in_linear_time(style, english):
    """Every uploaded file is checked, so the check must not hang on a crafted one: the
    old url( pattern took 12 s on 30 KB and would take hours on 2 MB."""
    import time
    data = svg(f"<style>{style}</style>")
    assert len(data) < 2 * 1024 * 1024
    started = time.perf_counter()
    problem = check_image("a.svg", data)
    assert time.perf_counter() - started < 2
    assert "url( that cannot be read" in str(problem)


@pytest.mark.parametrize("css", ["fill: URL(http://contoh.go.id/x)",
                                 "fill: url(#g); stroke: Url( 'https://contoh.go.id/x' )"])
def test_svg_style_urls_are_found_in_any_case(css, english):
    assert "outside address" in str(check_image("a.svg", svg(f'<rect style="{css}"/>')))
