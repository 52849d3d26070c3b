"""Markdown -> safe HTML. Run once per content version (at sync or publish), never per
request: the result is stored and served as is.

Raw HTML in Markdown is switched off and the output is sanitised again with nh3, so a
course file can never put script or style into a learner's page.
"""

import re
from collections.abc import Callable
from html import escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from lms.content.audio import TRANSCRIPT_MARKS, is_audio, mime_type

# GitHub's alert syntax ("> [!TIP]") reads well on any git host and marks callouts.
CALLOUTS = {"NOTE": "Catatan", "TIP": "Tips", "IMPORTANT": "Penting",
            "WARNING": "Perhatian", "CAUTION": "Hati-hati"}
CALLOUT_MARK = re.compile(r"^\[!(" + "|".join(CALLOUTS) + r")\]\s*$", re.IGNORECASE)
ALIGN = re.compile(r"text-align:\s*(left|center|right)")

TRANSCRIPT_TITLE = "Transkrip"

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em",
                "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td",
                "img", "hr", "br", "div", "del", "s",
                "figure", "figcaption", "audio", "source", "details", "summary"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                 "ol": {"start"},
                 "div": {"role", "tabindex", "aria-label"},
                 "audio": {"controls", "preload"}, "source": {"src", "type"}}
ALLOWED_CLASSES = {
    "div": {"callout", "table-wrap"} | {f"callout-{k.lower()}" for k in CALLOUTS},
    "p": {"callout-title"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
    "figure": {"audio"},
    "details": {"transcript"},
}
# Attribute values the renderer writes and nothing else: no autoplay, no preloading
# megabytes over a phone's data plan, no other media type.
ALLOWED_VALUES = {("audio", "preload"): {"none"}, ("audio", "controls"): {""},
                  ("source", "type"): {"audio/mpeg", "audio/ogg"}}

SrcResolver = Callable[[str], str | None]


def _callouts(state) -> None:
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "blockquote_open" or i + 2 >= len(tokens):
            continue
        inline = tokens[i + 2]
        if tokens[i + 1].type != "paragraph_open" or inline.type != "inline":
            continue
        first = inline.children[0] if inline.children else None
        m = CALLOUT_MARK.match(first.content) if first and first.type == "text" else None
        if not m:
            continue
        kind = m.group(1).upper()
        drop = 2 if len(inline.children) > 1 and inline.children[1].type == "softbreak" else 1
        inline.children = inline.children[drop:]
        tok.tag = "div"
        tok.attrSet("class", f"callout callout-{kind.lower()}")
        tok.attrSet("role", "note")
        close = _matching_close(tokens, i)
        tokens[close].tag = "div"
        title = Token("inline", "", 0, content=CALLOUTS[kind],
                      children=[Token("text", "", 0, content=CALLOUTS[kind])])
        p_open = Token("paragraph_open", "p", 1)
        p_open.attrSet("class", "callout-title")
        tokens[i + 1:i + 1] = [p_open, title, Token("paragraph_close", "p", -1)]
        if not inline.children:  # the marker stood alone in its paragraph
            start = i + 4
            del tokens[start:start + 3]


def _audio(state) -> None:
    """A paragraph holding only `![title](audio/x.ogg)` becomes a player, and the
    `> [!TRANSKRIP]` quote below it the player's transcript in a <details> (opens without
    JavaScript):

    <figure class="audio"><figcaption>title</figcaption>
    <audio controls preload="none"><source src="..." type="audio/ogg"></audio>
    <details class="transcript"><summary>Transkrip</summary> ...</details></figure>
    """
    tokens = state.tokens
    i = 0
    while i + 2 < len(tokens):
        image = _lone_audio(tokens, i)
        if image is None:
            i += 1
            continue
        resolve = state.env.get("resolve_src")
        target = str(image.attrGet("src"))
        src = (resolve(target) if resolve else None) or ""
        caption = escape(state.md.renderer.renderInlineAsText(
            image.children or [], state.md.options, state.env))
        player = Token("html_block", "", 0, content=(
            f'<figure class="audio"><figcaption>{caption}</figcaption>\n'
            f'<audio controls preload="none"><source src="{escape(src)}" '
            f'type="{mime_type(target)}"></audio>\n'))
        tokens[i:i + 3] = [player]
        end = _transcript(tokens, i + 1)
        tokens.insert(end, Token("html_block", "", 0, content="</figure>\n"))
        i = end + 1


def _lone_audio(tokens, i: int):
    """The image token of an audio link standing alone in the paragraph at `i`, or None."""
    if tokens[i].type != "paragraph_open" or tokens[i + 1].type != "inline":
        return None
    kids = [c for c in tokens[i + 1].children or []
            if not (c.type in ("text", "softbreak") and not c.content.strip())]
    if len(kids) != 1 or kids[0].type != "image" or not is_audio(str(kids[0].attrGet("src"))):
        return None
    return kids[0]


def _transcript(tokens, i: int) -> int:
    """Turn the `> [!TRANSKRIP]` quote at `i` (if there is one) into <details>; the index
    just after it (or `i`)."""
    if i + 2 >= len(tokens) or tokens[i].type != "blockquote_open" \
            or tokens[i + 2].type != "inline":
        return i
    inline = tokens[i + 2]
    first = inline.children[0] if inline.children else None
    if first is None or first.type != "text" \
            or first.content.strip().lower() not in TRANSCRIPT_MARKS:
        return i
    close = _matching_close(tokens, i)
    tokens[i].tag = tokens[close].tag = "details"
    tokens[i].attrSet("class", "transcript")
    drop = 2 if len(inline.children) > 1 and inline.children[1].type == "softbreak" else 1
    inline.children = inline.children[drop:]
    summary = Token("html_block", "", 0,
                    content=f"<summary>{TRANSCRIPT_TITLE}</summary>\n")
    tokens.insert(i + 1, summary)
    close += 1
    if not inline.children:  # the marker stood alone in its paragraph
        del tokens[i + 2:i + 5]
        close -= 3
    return close + 1


def _matching_close(tokens, open_index: int) -> int:
    depth = 0
    for j in range(open_index, len(tokens)):
        if tokens[j].type == "blockquote_open":
            depth += 1
        elif tokens[j].type == "blockquote_close":
            depth -= 1
            if depth == 0:
                return j
    raise ValueError("unbalanced blockquote")


def _table_alignment(state) -> None:
    # Alignment as a class: inline style attributes are blocked by our CSP.
    for tok in state.tokens:
        if tok.type in ("th_open", "td_open") and tok.attrGet("style"):
            m = ALIGN.search(str(tok.attrGet("style")))
            tok.attrs.pop("style", None)
            if m:
                tok.attrSet("class", f"align-{m.group(1)}")


def _image(self, tokens, idx, options, env):
    tok = tokens[idx]
    resolve = env.get("resolve_src")
    src = resolve(str(tok.attrGet("src"))) if resolve else None
    tok.attrSet("src", src or "")
    return self.image(tokens, idx, options, env)


def _table_open(self, tokens, idx, options, env):
    # Focusable so keyboard users can scroll a wide table on a narrow screen.
    return ('<div class="table-wrap" role="region" tabindex="0" aria-label="Tabel">'
            + self.renderToken(tokens, idx, options, env))


def _table_close(self, tokens, idx, options, env):
    return self.renderToken(tokens, idx, options, env) + "</div>"


def _build() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("callouts", _callouts)
    md.core.ruler.push("audio", _audio)
    md.core.ruler.push("table_alignment", _table_alignment)
    md.add_render_rule("image", _image)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


_md = _build()


def _attribute_value(tag: str, attribute: str, value: str) -> str | None:
    allowed = ALLOWED_VALUES.get((tag, attribute))
    return value if allowed is None or value in allowed else None


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS,
                     allowed_classes=ALLOWED_CLASSES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer", attribute_filter=_attribute_value)


def render(text: str, resolve_src: SrcResolver | None = None) -> str:
    return sanitise(_md.render(text, {"resolve_src": resolve_src}))


def render_inline(text: str, resolve_src: SrcResolver | None = None) -> str:
    return sanitise(_md.renderInline(text, {"resolve_src": resolve_src}))
