"""HTML rendered once per worker and reused: the page layout's header and footer, the
course cards.

A fragment is stored under a key naming everything it prints, so a stored one is never
stale and every worker would render the same. What belongs to one request only (the
session's CSRF token, the signed-in name, the page's own address) is rendered as a blank,
a per-process random word no stored text can spell, and put in, escaped, on the way out.
Nothing is shared between processes; a worker's store is bounded and dropped whole when
full (docs/performance.md)."""

import secrets
from collections.abc import Callable, Hashable

from markupsafe import Markup, escape


class Blank:
    """Stands in for one per-request value while a fragment is rendered."""

    def __init__(self) -> None:
        self.text = "blank" + secrets.token_hex(16)

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:  # not escaped again by the template
        return self.text

    def __call__(self) -> str:  # csrf_token() in a template
        return self.text


class Kept:
    """Rendered fragments of one kind, at most `size` of them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._html: dict[Hashable, str] = {}

    def __len__(self) -> int:
        return len(self._html)

    def clear(self) -> None:
        self._html.clear()

    def get(self, key: Hashable, render: Callable[[], str]) -> str:
        html = self._html.get(key)
        if html is None:
            if len(self._html) >= self.size:
                self._html.clear()
            html = self._html[key] = render()
        return html


def fill(html: str, values: dict[Blank, str | Callable[[], str]]) -> Markup:
    """`html` with each blank replaced by its value, escaped (a Markup value as it is).
    A callable value is asked for only when its blank occurs."""
    for blank, value in values.items():
        if blank.text in html:
            html = html.replace(blank.text, escape(value() if callable(value) else value))
    return Markup(html)
