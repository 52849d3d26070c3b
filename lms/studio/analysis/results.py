"""What the two statistics pages are given: plain dataclasses whose properties derive
the percentages, so templates never divide (and never divide by zero)."""

from dataclasses import dataclass, field

from lms.models import Course, Module, Question
from lms.studio.analysis.figures import MIN_ANSWERS, MIN_GROUP, Breakdown, Flag, mean_of, percent_of


@dataclass
class OptionCount:
    index: int                # the option's index in the source (stored in responses)
    html: str | None          # None when this version's wording was not kept
    correct: bool | None      # None when unknown (older version)
    count: int
    percent: int              # of this version's answers

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class WrongText:
    text: str
    count: int


@dataclass
class VersionStats:
    version: int
    current: bool             # the question's stored wording is this version's
    answers: int = 0
    correct: int = 0
    group: int = 0            # size of the upper and of the lower group
    upper_correct: int = 0
    lower_correct: int = 0
    options: list[OptionCount] = field(default_factory=list)
    wrong_texts: list[WrongText] = field(default_factory=list)
    opds: Breakdown | None = None
    flags: list[Flag] = field(default_factory=list)
    prompt_html: str | None = None  # an earlier version's own wording, when kept

    @property
    def facility(self) -> float | None:
        return self.correct / self.answers if self.answers else None

    @property
    def facility_percent(self) -> int | None:
        return percent_of(self.correct, self.answers)

    @property
    def p_upper(self) -> float | None:
        return self.upper_correct / self.group if self.group else None

    @property
    def p_lower(self) -> float | None:
        return self.lower_correct / self.group if self.group else None

    @property
    def discrimination(self) -> float | None:
        return self.p_upper - self.p_lower if self.group else None

    @property
    def enough(self) -> bool:
        return self.answers >= MIN_ANSWERS


@dataclass
class QuestionStats:
    question: Question
    number: int | None        # its place in the current quiz; None when removed
    versions: list[VersionStats]  # newest first; only versions with answers

    @property
    def retired(self) -> bool:
        return self.question.retired_at is not None

    @property
    def current_unanswered(self) -> bool:
        """The current version has no first-attempt answers yet."""
        return not self.retired and all(v.version != self.question.version
                                        for v in self.versions)


@dataclass
class QuizSummary:
    module: Module
    attempts: int = 0         # every submitted attempt
    learners: int = 0         # learners with a submitted attempt (= first attempts)
    first_passed: int = 0
    first_score_sum: int = 0
    passed_ever: int = 0

    @property
    def pass_percent(self) -> int | None:
        return percent_of(self.first_passed, self.learners)

    @property
    def mean_score(self) -> int | None:
        return mean_of(self.first_score_sum, self.learners)

    @property
    def passed_ever_percent(self) -> int | None:
        return percent_of(self.passed_ever, self.learners)


@dataclass
class ModuleFunnel:
    number: int
    module: Module
    started: int
    finished: int

    @property
    def finished_percent(self) -> int | None:
        return percent_of(self.finished, self.started)


@dataclass
class Stop:
    after: int                # furthest completed module's number; 0: none
    module: Module | None
    learners: int


@dataclass
class CourseStats:
    course: Course
    enrolled: int
    completed: int
    funnel: list[ModuleFunnel]
    stops: list[Stop]         # one per 0..number of modules, in order
    quizzes: list[QuizSummary]

    @property
    def not_completed(self) -> int:
        return self.enrolled - self.completed


@dataclass
class ModuleStats:
    module: Module
    summary: QuizSummary
    opds: Breakdown
    questions: list[QuestionStats]
    min_answers: int = MIN_ANSWERS
    min_group: int = MIN_GROUP
