"""RINGKAS.md, the course's job aid ("lembar ringkas"): one A4 page a learner prints and
keeps by the keyboard. Optional; a reserved name like README.md, never a module.

Its rules, besides those of module text (no '#' heading, no '- [x]' lines): front matter
with `title:` only, no images or audio (a printed page of steps, and a screen reader reads
it as text), at most MAX_CHARS characters of text and MAX_SECTIONS '##' headings, so that
it prints on one page: at most MAX_CHARS characters, MAX_SECTIONS '##' headings and
MAX_LINES printed lines (tests/browser/test_job_aid.py prints every shipped one, and the
largest the checker accepts in several shapes, to check).
"""

import math
import re

from flask_babel import lazy_gettext as _l

from lms.content.parse import JOB_AID_FILE, image_refs, option, unfenced_lines
from lms.content.source import JobAidSource, Problem

KEYS = {"title"}
MAX_CHARS = 2400
MAX_SECTIONS = 4
# Characters alone cannot promise one page: 300 one-word list items are 2,400 characters
# and six pages. So lines count too, as printed at 11 pt across A4 (about LINE_CHARS
# characters a line; a heading takes two, a table row a quarter more for its borders and
# padding, a table's |---| row none).
LINE_CHARS = 90
MAX_LINES = 50
TABLE_ROW = 1.25
TABLE_RULE = re.compile(r"^\|?[\s:|-]*-[\s:|-]*\|?$")


def printed_lines(body: str) -> int:
    """About how many lines `body` takes on paper (see MAX_LINES)."""
    total = 0.0
    for line in body.splitlines():
        text = line.strip()
        if not text or TABLE_RULE.match(text):
            continue
        lines = 2 if text.startswith("#") else max(1, math.ceil(len(text) / LINE_CHARS))
        total += lines * (TABLE_ROW if text.startswith("|") else 1)
    return math.ceil(total)
H1 = re.compile(r"^#\s")
H2 = re.compile(r"^##\s")


def validate(aid: JobAidSource) -> list[Problem]:
    rel = aid.rel
    out = [Problem(rel, aid.meta_lines.get(str(key), 1), _l(
        "unknown front-matter key '%(key)s' (allowed: %(allowed)s)", key=key,
        allowed=", ".join(sorted(KEYS)))) for key in aid.meta if key not in KEYS]
    if aid.meta_ok and not aid.title.strip():
        out.append(Problem(rel, aid.meta_lines.get("title", 1),
                           _l("the job aid (%(file)s) has no title", file=JOB_AID_FILE)))
    sections = 0
    for n, line in unfenced_lines(aid.body_md, aid.body_line):
        if H1.match(line):
            out.append(Problem(rel, n, _l("use '##' for headings inside the job aid: the "
                                          "title from the front matter is the only '#'")))
        elif H2.match(line):
            sections += 1
            if sections == MAX_SECTIONS + 1:
                out.append(Problem(rel, n, _l(
                    "the job aid has more than %(n)d '##' headings: it does not fit on one "
                    "A4 page. Keep only the steps people look up at their desk",
                    n=MAX_SECTIONS)))
        elif option(line.strip()):
            out.append(Problem(rel, n, _l(
                "this line looks like a quiz answer ('- [x]' or '- [ ]'): the job aid holds "
                "no quiz. Write a checklist without '[ ]' and '[x]'")))
    for ref in image_refs(aid.body_md, aid.body_line):
        out.append(Problem(rel, ref.line, _l(
            "the job aid holds no images or audio ('%(target)s'): it is printed as one page "
            "of text. Put pictures in a module", target=ref.target)))
    size = len(aid.body_md.strip())
    if size > MAX_CHARS:
        out.append(Problem(rel, aid.body_line, _l(
            "the job aid has %(n)d characters of text, more than %(max)d: it does not fit "
            "on one A4 page. Shorten it", n=size, max=MAX_CHARS)))
    lines = printed_lines(aid.body_md)
    if lines > MAX_LINES:
        out.append(Problem(rel, aid.body_line, _l(
            "the job aid takes about %(n)d printed lines, more than %(max)d: it does not fit "
            "on one A4 page. Shorten it, or join short lines (a heading counts as two)",
            n=lines, max=MAX_LINES)))
    return out
