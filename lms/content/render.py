"""Markdown -> safe HTML. Run once per content version (at sync or publish), never per
request: the result is stored and served as is.

Raw HTML in Markdown is switched off and the output is sanitised again with nh3, so a
course file can never put script or style into a learner's page.
"""

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

# GitHub's alert syntax ("> [!TIP]") reads well on any git host and marks callouts.
CALLOUTS = {"NOTE": "Catatan", "TIP": "Tips", "IMPORTANT": "Penting",
            "WARNING": "Perhatian", "CAUTION": "Hati-hati"}
CALLOUT_MARK = re.compile(r"^\[!(" + "|".join(CALLOUTS) + r")\]\s*$", re.IGNORECASE)
ALIGN = re.compile(r"text-align:\s*(left|center|right)")

ALLOWED_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em",
                "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td",
                "img", "hr", "br", "div", "del", "s"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"},
                 "ol": {"start"},
                 "div": {"role", "tabindex", "aria-label"}}
ALLOWED_CLASSES = {
    "div": {"callout", "table-wrap"} | {f"callout-{k.lower()}" for k in CALLOUTS},
    "p": {"callout-title"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
}

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
    md.core.ruler.push("table_alignment", _table_alignment)
    md.add_render_rule("image", _image)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    return md


_md = _build()


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS,
                     allowed_classes=ALLOWED_CLASSES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer")


def render(text: str, resolve_src: SrcResolver | None = None) -> str:
    return sanitise(_md.render(text, {"resolve_src": resolve_src}))


def render_inline(text: str, resolve_src: SrcResolver | None = None) -> str:
    return sanitise(_md.renderInline(text, {"resolve_src": resolve_src}))
