"""Learning analytics for a course's trainers ("item analysis"): how each quiz and each
question works, and how far learners get through a course.

Every figure is an SQL aggregation (GROUP BY, window functions) that runs alike on SQLite
(3.25 or newer) and PostgreSQL; Python only shapes the handful of aggregated rows that
come back (one per question version, option, OPD or module). Functions take a session
and models, never the request, and write nothing.

Decisions (also in docs/decisions.md, "Item analysis"):

- **First attempts only.** Question and quiz figures use each learner's first submitted
  attempt at a module's quiz (earliest `submitted_at`, then lowest id); unsubmitted
  attempts have no answers and are ignored. Retakes come after the learner has seen the
  explanations, so counting them would make every question look easier than it is.
  "Attempts" and "passed eventually" in the quiz summary do count every submitted attempt.
- **Per question version.** An edited question gets a new `version`; each answer records
  the version it was given to, so each (question, version) has its own figures and an
  untouched question keeps its history.
- **Facility** p = correct answers / answers, for one (question, version).
- **Discrimination** D = p(upper group) - p(lower group) (Kelley's upper-lower index).
  The population is the first attempts that answered that question version (quizzes may
  draw a subset of questions), ranked by the attempt's score (which includes this
  question, as in the classic index): highest score first, ties broken by attempt id
  (earlier attempt ranks higher). Group size g = max(1, round-half-up(0.27 n)), computed
  in integers as (27 n + 50) div 100; the upper group is ranks 1..g, the lower group the
  last g ranks. With n = 1 both groups are the same learner and D = 0.
- **Options.** `AttemptAnswer.response` holds the ORIGINAL option indexes as strings
  (`quiz.read_answers` accepts only `str(i)` for the `i` in the attempt's drawn order,
  so shuffling changes display order, not stored values). Counts are per option index
  per version; a multiple-choice answer counts once for each option it holds, so shares
  can add up to more than 100%. The wording of an option is only known for the
  question's current version (older wordings are not stored): older versions show
  options by number. Short-text questions show the five most common wrong answers
  instead, merged by `quiz.normalise` (case, Unicode forms and spaces ignored).
- **By OPD.** The OPD of a learner is the node directly under the root of the tree (the
  level the HR city overview lists) above their *current* unit; staff placed on the root
  itself count under the root. Privacy: an OPD with fewer than 5 learners shows "fewer
  than 5" and no figures; if the hidden OPDs together still have fewer than 5 learners,
  the next smallest OPDs are hidden too (otherwise subtracting the shown OPDs from the
  total would reveal them), and the hidden ones are shown pooled when they reach 5.
  Names, NIPs and individual answers never leave this module.
- **Flags** need at least 20 answers to a version (below that: "not enough answers
  yet"): too easy p > 0.90, too hard p < 0.30, works the wrong way D < 0, does not tell
  learners apart 0 <= D < 0.20; each with a plain-language hint.
- **Course funnel.** A learner started a module when they have a module progress row or
  any quiz attempt for it (opening a module page records nothing); finished when the
  module progress has `completed_at`. "Where learners stop": among learners enrolled and
  not (yet) done with the course, how many have module k as their furthest completed
  current module (by position; 0 = not even the first).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select, true, union_all
from sqlalchemy.orm import Session, aliased

from .models import (
    AttemptAnswer,
    Course,
    Employee,
    Enrollment,
    Module,
    ModuleProgress,
    Opd,
    Question,
    QuizAttempt,
)
from .quiz import normalise

GROUP_PERCENT = 27          # upper and lower groups: 27% of the answers each
MIN_ANSWERS = 20            # flags only from this many answers to one version
MIN_GROUP = 5               # smallest OPD group shown with figures
TOO_EASY = 0.90             # p above: too easy
TOO_HARD = 0.30             # p below: too hard
WEAK_DISCRIMINATION = 0.20  # 0 <= D below: does not tell learners apart
TOP_WRONG_TEXTS = 5

FLAGS = {
    "too_easy": (_l("Too easy"),
                 _l("Almost everyone gets this right: it may be too obvious, or a wrong "
                    "option gives the answer away.")),
    "too_hard": (_l("Too hard"),
                 _l("Most learners get this wrong: check the answer key, the wording, and "
                    "whether the module explains this clearly.")),
    "negative": (_l("Works the wrong way"),
                 _l("Learners who did well overall got this wrong more often than those "
                    "who did badly: check the answer key and the wording.")),
    "weak": (_l("Does not tell learners apart"),
             _l("Learners who did well overall get this right about as often as those "
                "who did badly: the question may be unclear, or ask about something the "
                "module does not teach.")),
}


# --- results ------------------------------------------------------------------------------

def _percent(part: int | None, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole and part is not None else None


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    hint: str


def flags_for(answers: int, facility: float | None,
              discrimination: float | None) -> list[Flag]:
    """The warnings for one question version; none below MIN_ANSWERS answers."""
    if answers < MIN_ANSWERS or facility is None:
        return []
    codes = []
    if facility > TOO_EASY:
        codes.append("too_easy")
    if facility < TOO_HARD:
        codes.append("too_hard")
    if discrimination is not None:
        if discrimination < 0:
            codes.append("negative")
        elif discrimination < WEAK_DISCRIMINATION:
            codes.append("weak")
    return [Flag(code, *FLAGS[code]) for code in codes]


def group_size(n: int) -> int:
    """max(1, round-half-up(0.27 n)), the same integer formula the SQL uses."""
    return max(1, (GROUP_PERCENT * n + 50) // 100)


@dataclass
class Group:
    """One top-level OPD (or the hidden ones pooled). `hidden` is None when the figures
    are shown, "small" for fewer than MIN_GROUP learners, "protect" when hidden so that
    small groups cannot be worked out from the total."""

    name: str
    learners: int | None
    hits: int | None          # correct answers, or first attempts passed
    score_sum: int | None = None
    hidden: str | None = None

    @property
    def percent(self) -> int | None:
        return _percent(self.hits, self.learners)

    @property
    def mean_score(self) -> int | None:
        return round(self.score_sum / self.learners) if self.learners and \
            self.score_sum is not None else None


@dataclass
class Breakdown:
    groups: list[Group]       # by name; hidden ones without figures
    pooled: Group | None      # the hidden ones together, when they reach MIN_GROUP

    @property
    def any_hidden(self) -> bool:
        return any(g.hidden for g in self.groups)


def protect(rows: list[Group]) -> Breakdown:
    """Hide groups under MIN_GROUP learners, then the next smallest until the hidden
    ones together reach MIN_GROUP (or all are hidden), so no small group's figures can
    be worked out by subtraction from the total."""
    shown = sorted((g for g in rows if g.learners >= MIN_GROUP),
                   key=lambda g: (g.learners, g.name))
    small = [g for g in rows if g.learners < MIN_GROUP]
    hidden = [(g, "small") for g in small]
    pool = sum(g.learners for g in small)
    while 0 < pool < MIN_GROUP and shown:
        extra = shown.pop(0)
        hidden.append((extra, "protect"))
        pool += extra.learners
    pooled = None
    if hidden and pool >= MIN_GROUP:
        parts = [g for g, _ in hidden]
        scores = [g.score_sum for g in parts]
        pooled = Group(_l("Hidden OPDs together"), pool, sum(g.hits for g in parts),
                       None if None in scores else sum(scores))
    out = list(shown) + [Group(g.name, None, None, None, why) for g, why in hidden]
    return Breakdown(sorted(out, key=lambda g: g.name), pooled)


@dataclass
class OptionCount:
    index: int                # the option's index in the source (stored in responses)
    html: str | None          # None when this version's wording is no longer stored
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

    @property
    def facility(self) -> float | None:
        return self.correct / self.answers if self.answers else None

    @property
    def facility_percent(self) -> int | None:
        return _percent(self.correct, self.answers)

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
        return _percent(self.first_passed, self.learners)

    @property
    def mean_score(self) -> int | None:
        return round(self.first_score_sum / self.learners) if self.learners else None

    @property
    def passed_ever_percent(self) -> int | None:
        return _percent(self.passed_ever, self.learners)


@dataclass
class ModuleFunnel:
    number: int
    module: Module
    started: int
    finished: int

    @property
    def finished_percent(self) -> int | None:
        return _percent(self.finished, self.started)


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


# --- queries ------------------------------------------------------------------------------

def _first_attempts(session: Session, module_ids: list[int]):
    """Each learner's first submitted attempt per module, as a common table expression.
    PostgreSQL is told to compute it once (MATERIALIZED): planners cannot estimate how
    many rows `row_number() = 1` keeps, and PostgreSQL, guessing one, would otherwise
    rerun the window for every answer row it joins."""
    nth = func.row_number().over(
        partition_by=(QuizAttempt.employee_id, QuizAttempt.module_id),
        order_by=(QuizAttempt.submitted_at, QuizAttempt.id))
    ranked = (select(QuizAttempt.id, QuizAttempt.employee_id, QuizAttempt.module_id,
                     QuizAttempt.score, QuizAttempt.passed, nth.label("nth"))
              .where(QuizAttempt.module_id.in_(module_ids),
                     QuizAttempt.submitted_at.is_not(None))
              .subquery("ranked_attempt"))
    first = (select(ranked.c.id, ranked.c.employee_id, ranked.c.module_id, ranked.c.score,
                    ranked.c.passed)
             .where(ranked.c.nth == 1))
    if session.get_bind().dialect.name == "postgresql":
        return first.cte("first_attempt").prefix_with("MATERIALIZED")
    return first.subquery("first_attempt")


def _top_opds():
    """(unit id, id and name of its top-level OPD) for every unit of the tree."""
    top = aliased(Opd)
    level = case((Opd.depth == 0, 0), else_=1)
    return (select(Opd.id.label("opd_id"), top.id.label("top_id"), top.name.label("top_name"))
            .join(top, and_(Opd.path.like(top.path + "%"), top.depth == level))
            .subquery("top_opd"))


def _as_int(value):
    """1 for true, 0 for false: booleans summed alike on SQLite and PostgreSQL."""
    return case((value, 1), else_=0)


def quiz_summaries(session: Session, modules: list[Module]) -> list[QuizSummary]:
    ids = [m.id for m in modules]
    out = {m.id: QuizSummary(m) for m in modules}
    if not ids:
        return []
    every = session.execute(
        select(QuizAttempt.module_id, func.count(),
               func.count(case((QuizAttempt.passed, QuizAttempt.employee_id)).distinct()))
        .where(QuizAttempt.module_id.in_(ids), QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.module_id))
    for module_id, attempts, passed_ever in every:
        out[module_id].attempts, out[module_id].passed_ever = attempts, passed_ever
    first = _first_attempts(session, ids)
    firsts = session.execute(
        select(first.c.module_id, func.count(), func.sum(_as_int(first.c.passed)),
               func.sum(first.c.score))
        .group_by(first.c.module_id))
    for module_id, learners, passed, score_sum in firsts:
        summary = out[module_id]
        summary.learners, summary.first_passed = learners, int(passed or 0)
        summary.first_score_sum = int(score_sum or 0)
    return [out[i] for i in ids]


def course_stats(session: Session, course: Course) -> CourseStats:
    modules = course.current_modules
    ids = [m.id for m in modules]
    enrolled, completed = session.execute(
        select(func.count(), func.count(Enrollment.completed_at))
        .where(Enrollment.course_id == course.id)).one()
    started, finished, stops = {}, {}, {}
    if ids:
        touched = union_all(
            select(ModuleProgress.employee_id, ModuleProgress.module_id)
            .where(ModuleProgress.module_id.in_(ids)),
            select(QuizAttempt.employee_id, QuizAttempt.module_id)
            .where(QuizAttempt.module_id.in_(ids))).subquery("touched")
        started = dict(session.execute(
            select(touched.c.module_id, func.count(touched.c.employee_id.distinct()))
            .group_by(touched.c.module_id)).all())
        finished = dict(session.execute(
            select(ModuleProgress.module_id, func.count())
            .where(ModuleProgress.module_id.in_(ids), ModuleProgress.completed_at.is_not(None))
            .group_by(ModuleProgress.module_id)).all())
        number = case({m.id: n for n, m in enumerate(modules, start=1)},
                      value=ModuleProgress.module_id)
        furthest = (select(Enrollment.employee_id,
                           func.coalesce(func.max(number), 0).label("after"))
                    .outerjoin(ModuleProgress, and_(
                        ModuleProgress.employee_id == Enrollment.employee_id,
                        ModuleProgress.module_id.in_(ids),
                        ModuleProgress.completed_at.is_not(None)))
                    .where(Enrollment.course_id == course.id,
                           Enrollment.completed_at.is_(None))
                    .group_by(Enrollment.employee_id).subquery("furthest"))
        stops = dict(session.execute(
            select(furthest.c.after, func.count()).group_by(furthest.c.after)).all())
    funnel = [ModuleFunnel(n, m, started.get(m.id, 0), finished.get(m.id, 0))
              for n, m in enumerate(modules, start=1)]
    stop_rows = [Stop(0, None, stops.get(0, 0))] + [
        Stop(n, m, stops.get(n, 0)) for n, m in enumerate(modules, start=1)]
    quizzes = quiz_summaries(session, [m for m in modules if m.has_quiz])
    return CourseStats(course, enrolled, completed, funnel, stop_rows, quizzes)


def _response_elements(session: Session):
    """The stored response array as rows of text, one per element."""
    if session.get_bind().dialect.name == "postgresql":
        fn = func.json_array_elements_text(AttemptAnswer.response)
    else:
        fn = func.json_each(AttemptAnswer.response)
    return fn.table_valued("value", joins_implicitly=True).alias("element")


def module_stats(session: Session, module: Module) -> ModuleStats:
    first = _first_attempts(session, [module.id])
    [summary] = quiz_summaries(session, [module])
    tops = _top_opds()

    # The quiz by OPD: summed per unit first (few rows), then rolled up to the OPD, so
    # the prefix match on paths runs per unit, not per attempt.
    per_unit = (select(Employee.opd_id, func.count().label("n"),
                       func.sum(_as_int(first.c.passed)).label("passed"),
                       func.sum(first.c.score).label("score"))
                .select_from(first).join(Employee, Employee.id == first.c.employee_id)
                .group_by(Employee.opd_id).subquery("quiz_unit"))
    quiz_opds = protect([
        Group(name, int(learners), int(passed or 0), int(score_sum or 0))
        for _, name, learners, passed, score_sum in session.execute(
            select(tops.c.top_id, tops.c.top_name, func.sum(per_unit.c.n),
                   func.sum(per_unit.c.passed), func.sum(per_unit.c.score))
            .join(tops, tops.c.opd_id == per_unit.c.opd_id)
            .group_by(tops.c.top_id, tops.c.top_name))])

    # Facility and discrimination per question version.
    qid, ver = AttemptAnswer.question_id, AttemptAnswer.question_version
    per = (select(qid.label("qid"), ver.label("ver"), _as_int(AttemptAnswer.correct).label("ok"),
                  func.count().over(partition_by=(qid, ver)).label("n"),
                  func.row_number().over(partition_by=(qid, ver),
                                         order_by=(first.c.score.desc(), first.c.id))
                  .label("r"))
           .join(first, first.c.id == AttemptAnswer.attempt_id)
           .subquery("ranked_answer"))
    size = (per.c.n * GROUP_PERCENT + 50) // 100
    g = case((size < 1, 1), else_=size)
    versions: dict[tuple[int, int], VersionStats] = {}
    for q, v, answers, correct, group, upper, lower in session.execute(
            select(per.c.qid, per.c.ver, func.count(), func.sum(per.c.ok), func.max(g),
                   func.sum(case((per.c.r <= g, per.c.ok), else_=0)),
                   func.sum(case((per.c.r > per.c.n - g, per.c.ok), else_=0)))
            .group_by(per.c.qid, per.c.ver)):
        versions[q, v] = VersionStats(v, False, answers, int(correct), int(group), int(upper),
                                      int(lower))

    questions = list(session.scalars(select(Question).where(Question.module_id == module.id)
                                     .order_by(Question.position, Question.id)))
    by_id = {q.id: q for q in questions}
    for (q, v), stats in versions.items():
        stats.current = by_id[q].version == v

    # How often each option was chosen (choice questions). The kind is filtered through
    # a join, not `question_id IN (...)`: PostgreSQL without fresh statistics then
    # ANDs the (question, version) index into a per-attempt lookup, 30x slower.
    choice_ids = [q.id for q in questions if q.kind != "text"]
    chosen: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    if choice_ids:
        element = _response_elements(session)
        for q, v, value, count in session.execute(
                select(qid, ver, element.c.value, func.count())
                .join(first, first.c.id == AttemptAnswer.attempt_id)
                .join(element, true())
                .join(Question, Question.id == qid)
                .where(Question.module_id == module.id, Question.kind != "text")
                .group_by(qid, ver, element.c.value)):
            chosen[q, v][int(value)] = count

    # The most common wrong short answers.
    text_ids = [q.id for q in questions if q.kind == "text"]
    wrong: dict[tuple[int, int], dict[str, list]] = defaultdict(dict)
    if text_ids:
        typed = func.lower(func.trim(AttemptAnswer.response[0].as_string()))
        key = func.replace(typed, " ", "")
        for q, v, shown, count in session.execute(
                select(qid, ver, func.min(typed), func.count())
                .join(first, first.c.id == AttemptAnswer.attempt_id)
                .join(Question, Question.id == qid)
                .where(Question.module_id == module.id, Question.kind == "text",
                       AttemptAnswer.correct.is_(False))
                .group_by(qid, ver, key)):
            # SQL folds case (ASCII) and spaces; normalise() merges what is left.
            merged = wrong[q, v].setdefault(normalise(shown or ""), [shown or "", 0, 0])
            if count > merged[2]:
                merged[0], merged[2] = shown or "", count
            merged[1] += count

    # Each version by OPD (per unit first, as above).
    per_unit = (select(qid.label("qid"), ver.label("ver"), Employee.opd_id,
                       func.count().label("n"),
                       func.sum(_as_int(AttemptAnswer.correct)).label("ok"))
                .join(first, first.c.id == AttemptAnswer.attempt_id)
                .join(Employee, Employee.id == first.c.employee_id)
                .group_by(qid, ver, Employee.opd_id).subquery("answer_unit"))
    opd_rows: dict[tuple[int, int], list[Group]] = defaultdict(list)
    for q, v, _, name, answers, correct in session.execute(
            select(per_unit.c.qid, per_unit.c.ver, tops.c.top_id, tops.c.top_name,
                   func.sum(per_unit.c.n), func.sum(per_unit.c.ok))
            .join(tops, tops.c.opd_id == per_unit.c.opd_id)
            .group_by(per_unit.c.qid, per_unit.c.ver, tops.c.top_id, tops.c.top_name)):
        opd_rows[q, v].append(Group(name, int(answers), int(correct)))

    for (q, v), stats in versions.items():
        question = by_id[q]
        counts = chosen.get((q, v), {})
        if question.kind != "text":
            known = range(len(question.options)) if stats.current else range(
                max(counts, default=-1) + 1)
            stats.options = [OptionCount(
                i, question.options[i] if stats.current else None,
                (i in question.answer) if stats.current else None,
                counts.get(i, 0), round(100 * counts.get(i, 0) / stats.answers))
                for i in known]
        texts = sorted(wrong.get((q, v), {}).values(), key=lambda t: (-t[1], t[0]))
        stats.wrong_texts = [WrongText(t, n) for t, n, _ in texts[:TOP_WRONG_TEXTS]]
        stats.opds = protect(opd_rows.get((q, v), []))
        stats.flags = flags_for(stats.answers, stats.facility, stats.discrimination)

    current = [q for q in questions if q.retired_at is None]
    numbers = {q.id: n for n, q in enumerate(current, start=1)}
    shown = [QuestionStats(q, numbers.get(q.id),
                           sorted((s for (i, _), s in versions.items() if i == q.id),
                                  key=lambda s: -s.version))
             for q in questions]
    shown = [s for s in shown if not s.retired or s.versions]
    shown.sort(key=lambda s: (s.number is None, s.number or 0, s.question.position))
    return ModuleStats(module, summary, quiz_opds, shown)
