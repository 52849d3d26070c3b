"""A module file as the studio's forms see it, and back to Markdown.

Questions the trainer did not touch keep their exact source text, so saving one
question never rewrites (or re-versions) the others.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l

from lms.content import frontmatter
from lms.content.parse import parse_module_text
from lms.content.source import ModuleSource, QuestionSource

QUESTION_TYPES = ("single", "multiple", "truefalse", "text")
TRUE_FALSE = ("Benar", "Salah")


def true_false_value(option: str) -> str:
    """The form's value for a true/false option however the file spells it."""
    return "Benar" if option.strip().lower() in ("benar", "true") else "Salah"


@dataclass
class QuestionFields:
    key: str
    kind: str = "single"
    prompt: str = ""
    options: list[tuple[str, bool]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    explanation: str = ""
    source: str = ""  # the block as written; "" when the form changed it

    @property
    def headline(self) -> str:
        return next(iter(self.prompt.strip().splitlines()), "")


@dataclass
class ModuleText:
    meta: dict
    body: str
    questions: list[QuestionFields]
    source: ModuleSource | None
    readable: bool = True  # False: the front matter cannot be read, only the raw editor

    @property
    def form_safe(self) -> bool:
        """A form may rewrite this file without dropping anything it cannot show."""
        return self.readable and all(len(q.options) <= MAX_FORM_OPTIONS
                                     for q in self.questions)


MAX_FORM_OPTIONS = 10


def read(name: str, text: str) -> ModuleText:
    module, _ = parse_module_text(text, Path(name), name)
    meta = dict(module.meta) if module.meta_ok else {}
    return ModuleText(meta=meta, body=module.body_md.strip("\n"),
                      questions=[_form(q) for q in module.questions], source=module,
                      readable=module.meta_ok)


def read_course(text: str) -> ModuleText:
    """A course README: front matter and the whole introduction (no quiz in it, so a
    '## Kuis' heading there is just a heading)."""
    fm = frontmatter.split(text)
    return ModuleText(meta=dict(fm.data), body=fm.body.strip("\n"), questions=[],
                      source=None, readable=not fm.errors)


def _form(q: QuestionSource) -> QuestionFields:
    kind = q.kind
    if q.multiple_flag and kind not in ("text", "truefalse"):
        kind = "multiple"
    return QuestionFields(key=q.key, kind=kind, prompt=q.prompt_md.strip(),
                        options=[(text, i in q.correct) for i, text in enumerate(q.options)],
                        accepted=list(q.accepted), explanation=q.explanation_md.strip(),
                        source=q.text.rstrip())


def compose(module: ModuleText) -> str:
    meta = dict(module.meta)
    if not module.questions:
        meta.pop("quiz", None)
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    text = f"---\n{head}---\n\n{module.body.strip()}\n"
    if module.questions:
        blocks = [q.source or question_block(q) for q in module.questions]
        text += "\n## Kuis\n\n" + "\n\n".join(b.strip("\n") for b in blocks) + "\n"
    return text


def _one_line(text: str) -> str:
    """Headings and options are one line; spacing inside the line is kept as written."""
    return " ".join(part.strip() for part in text.strip().splitlines())


def question_block(q: QuestionFields) -> str:
    prompt = q.prompt.strip().splitlines() or [""]
    flag = " .beberapa" if q.kind == "multiple" else ""
    lines = [f"### {_one_line(prompt[0])} {{#{q.key}{flag}}}", ""]
    rest = "\n".join(prompt[1:]).strip()
    if rest:
        lines += [rest, ""]
    if q.kind == "text":
        lines.append("Jawaban:")
        lines += [f"- {_one_line(a)}" for a in q.accepted if a.strip()]
    else:
        lines += [f"- [{'x' if right else ' '}] {_one_line(text)}"
                  for text, right in q.options if text.strip()]
    explanation = q.explanation.strip().splitlines()
    if explanation:
        lines.append("")
        lines.append(f"> **Penjelasan:** {explanation[0]}".rstrip())
        lines += [f"> {line}".rstrip() for line in explanation[1:]]
    return "\n".join(lines)


def gaps(q: QuestionFields) -> dict[str, list]:
    """What the question editor's fields still lack, by field, in the form's words (the
    checker says the same things in the file's terms: '- [x]', 'Jawaban:'). A question
    with gaps is not saved."""
    out: dict[str, list] = {}

    def add(name: str, message) -> None:
        out.setdefault(name, []).append(message)

    if not q.prompt.strip():
        add("prompt", _l("Write the question."))
    if q.kind in ("single", "multiple"):
        texts = [t.strip() for t, _ in q.options if t.strip()]
        right = sum(1 for t, c in q.options if c and t.strip())
        if len(texts) < 2:
            add("options", _l("Write at least two options."))
        if q.kind == "single" and right == 0:
            add("options", _l("Tick one right answer."))
        elif q.kind == "single" and right > 1:
            add("options", _l("Tick only one right answer, or choose “Several right answers” "
                              "above."))
        elif right == 0:
            add("options", _l("Tick every right answer."))
        if len({t.lower() for t in texts}) < len(texts):
            add("options", _l("Two options say the same thing: write each one once."))
    elif q.kind == "truefalse" and sum(1 for _, c in q.options if c) != 1:
        add("truefalse", _l("Choose whether the statement is Benar or Salah."))
    elif q.kind == "text" and not any(a.strip() for a in q.accepted):
        add("accepted", _l("Write at least one answer that counts as right."))
    if not q.explanation.strip():
        add("explanation", _l("Write an explanation: learners read it after grading."))
    return out


def new_key(prompt: str, taken: set[str]) -> str:
    """A readable, stable question ID from the question's first words."""
    ascii_text = unicodedata.normalize("NFKD", prompt).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    base = "-".join(words)[:40].strip("-") or "soal"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key
