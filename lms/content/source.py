"""What a course folder says, before any database is involved."""

from dataclasses import dataclass, field
from pathlib import Path

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """One finding of the checker. An error stops a sync or a publish; a warning
    (severity WARNING, its message starting "warning: ") is printed and shown, and
    changes nothing."""

    path: str
    line: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    @property
    def warning(self) -> bool:
        return self.severity == WARNING


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.warning]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.warning]


@dataclass
class ImageRef:
    target: str
    alt: str
    line: int


@dataclass
class QuestionSource:
    key: str
    line: int
    prompt_md: str
    multiple_flag: bool = False
    options: list[str] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    option_lines: list[int] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    explanation_md: str = ""
    text: str = ""  # the question's source, for change detection

    @property
    def kind(self) -> str:
        if self.accepted and not self.options:
            return "text"
        if sorted(o.strip().lower() for o in self.options) in (["benar", "salah"],
                                                              ["false", "true"]):
            return "truefalse"
        if self.multiple_flag or len(self.correct) > 1:
            return "multiple"
        return "single"


@dataclass
class QuizSettings:
    pass_mark: int = 70
    attempts: int = 0
    shuffle: bool = False
    draw: int | None = None
    line: int = 0  # where `quiz:` stands in the front matter, 0 when absent


@dataclass
class ModuleSource:
    path: Path
    rel: str  # path as shown in messages
    key: str
    title: str
    minutes: int
    body_md: str
    body_line: int
    quiz: QuizSettings
    questions: list[QuestionSource]
    quiz_line: int  # line of "## Kuis", 0 when the module has no quiz
    text: str
    meta_lines: dict[str, int] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    meta_ok: bool = True  # False when the front matter could not be read at all


@dataclass
class JobAidSource:
    """RINGKAS.md: the course's one-page job aid (lembar ringkas)."""

    rel: str
    title: str
    body_md: str
    body_line: int
    text: str
    meta_lines: dict[str, int] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    meta_ok: bool = True


@dataclass
class CourseSource:
    path: Path
    rel: str
    slug: str
    title: str
    summary: str
    jp: int
    version: str
    published: bool
    order: int
    description_md: str
    description_line: int
    modules: list[ModuleSource]
    text: str
    meta_lines: dict[str, int] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    meta_ok: bool = True  # False when the front matter could not be read at all
    job_aid: JobAidSource | None = None
    confidence: str = ""  # the confidence question (lms/evaluation), "" when none
