"""The quiz page: the quiz by OPD, then facility, discrimination, option counts, common
wrong short answers and OPD figures for every question version. Each helper is one
aggregate query over the first attempts; module_stats puts the rows together."""

from collections import defaultdict

from sqlalchemy import case, func, select, true
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.learning.quiz import normalise
from lms.models import AttemptAnswer, Employee, Module, Question, QuestionVersion
from lms.studio.analysis.course import quiz_summaries
from lms.studio.analysis.figures import (
    GROUP_PERCENT,
    TOP_WRONG_TEXTS,
    Breakdown,
    Group,
    flags_for,
    percent_of,
    protect,
)
from lms.studio.analysis.results import (
    ModuleStats,
    OptionCount,
    QuestionStats,
    VersionStats,
    WrongText,
)
from lms.studio.analysis.sql import as_int, first_attempts, top_opds

VersionKey = tuple[int, int]  # (question id, version)


def module_stats(session: Session, module: Module) -> ModuleStats:
    first = first_attempts(session, [module.id])
    [summary] = quiz_summaries(session, [module])
    tops = top_opds()
    quiz_opds = _quiz_by_opd(session, first, tops)
    versions = _version_figures(session, first)

    questions = list(session.scalars(select(Question).where(Question.module_id == module.id)
                                     .order_by(Question.position, Question.id)))
    by_id = {q.id: q for q in questions}
    for (q, v), stats in versions.items():
        stats.current = by_id[q].version == v

    chosen = _option_counts(session, first, module, questions)
    wrong = _wrong_texts(session, first, module, questions)
    opd_rows = _version_opds(session, first, tops)

    wordings = {(w.question_id, w.version): w for w in session.scalars(
        select(QuestionVersion).where(QuestionVersion.question_id.in_(list(by_id))))}
    for (q, v), stats in versions.items():
        question = by_id[q]
        counts = chosen.get((q, v), {})
        # Versions from before wordings were kept show their options by number only.
        wording = question if stats.current else wordings.get((q, v))
        if not stats.current and wording is not None:
            stats.prompt_html = wording.prompt_html
        if question.kind != "text":
            known = range(len(wording.options)) if wording is not None else range(
                max(counts, default=-1) + 1)
            stats.options = [OptionCount(
                i, wording.options[i] if wording is not None else None,
                (i in wording.answer) if wording is not None else None,
                counts.get(i, 0), percent_of(counts.get(i, 0), stats.answers) or 0)
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


def _quiz_by_opd(session: Session, first, tops) -> Breakdown:
    # Summed per unit first (few rows), then rolled up to the OPD, so the prefix match
    # on paths runs per unit, not per attempt.
    per_unit = (select(Employee.opd_id, func.count().label("n"),
                       func.sum(as_int(first.c.passed)).label("passed"),
                       func.sum(first.c.score).label("score"))
                .select_from(first).join(Employee, Employee.id == first.c.employee_id)
                .group_by(Employee.opd_id).subquery("quiz_unit"))
    return protect([
        Group(name, int(learners), int(passed or 0), int(score_sum or 0))
        for _, name, learners, passed, score_sum in session.execute(
            select(tops.c.top_id, tops.c.top_name, func.sum(per_unit.c.n),
                   func.sum(per_unit.c.passed), func.sum(per_unit.c.score))
            .join(tops, tops.c.opd_id == per_unit.c.opd_id)
            .group_by(tops.c.top_id, tops.c.top_name))])


def _version_figures(session: Session, first) -> dict[VersionKey, VersionStats]:
    """Facility and discrimination per question version (`current` is set later)."""
    qid, ver = AttemptAnswer.question_id, AttemptAnswer.question_version
    per = (select(qid.label("qid"), ver.label("ver"), as_int(AttemptAnswer.correct).label("ok"),
                  func.count().over(partition_by=(qid, ver)).label("n"),
                  func.row_number().over(partition_by=(qid, ver),
                                         order_by=(first.c.score.desc(), first.c.id))
                  .label("r"))
           .join(first, first.c.id == AttemptAnswer.attempt_id)
           .subquery("ranked_answer"))
    size = numbers.half_up_sql(per.c.n * GROUP_PERCENT, 100)  # as figures.group_size
    g = case((size < 1, 1), else_=size)
    versions: dict[VersionKey, VersionStats] = {}
    for q, v, answers, correct, group, upper, lower in session.execute(
            select(per.c.qid, per.c.ver, func.count(), func.sum(per.c.ok), func.max(g),
                   func.sum(case((per.c.r <= g, per.c.ok), else_=0)),
                   func.sum(case((per.c.r > per.c.n - g, per.c.ok), else_=0)))
            .group_by(per.c.qid, per.c.ver)):
        versions[q, v] = VersionStats(v, False, answers, int(correct), int(group), int(upper),
                                      int(lower))
    return versions


def _response_elements(session: Session):
    """The stored response array as rows of text, one per element."""
    if session.get_bind().dialect.name == "postgresql":
        fn = func.json_array_elements_text(AttemptAnswer.response)
    else:
        fn = func.json_each(AttemptAnswer.response)
    return fn.table_valued("value", joins_implicitly=True).alias("element")


def _option_counts(session: Session, first, module: Module,
                   questions: list[Question]) -> dict[VersionKey, dict[int, int]]:
    """How often each option was chosen (choice questions). The kind is filtered through
    a join, not `question_id IN (...)`: PostgreSQL without fresh statistics then ANDs
    the (question, version) index into a per-attempt lookup, 30x slower."""
    chosen: dict[VersionKey, dict[int, int]] = defaultdict(dict)
    if not any(q.kind != "text" for q in questions):
        return chosen
    qid, ver = AttemptAnswer.question_id, AttemptAnswer.question_version
    element = _response_elements(session)
    for q, v, value, count in session.execute(
            select(qid, ver, element.c.value, func.count())
            .join(first, first.c.id == AttemptAnswer.attempt_id)
            .join(element, true())
            .join(Question, Question.id == qid)
            .where(Question.module_id == module.id, Question.kind != "text")
            .group_by(qid, ver, element.c.value)):
        chosen[q, v][int(value)] = count
    return chosen


def _wrong_texts(session: Session, first, module: Module,
                 questions: list[Question]) -> dict[VersionKey, dict[str, list]]:
    """The wrong short answers per version, merged: normalised text -> [the most common
    spelling, answers in all, answers with that spelling]."""
    wrong: dict[VersionKey, dict[str, list]] = defaultdict(dict)
    if not any(q.kind == "text" for q in questions):
        return wrong
    qid, ver = AttemptAnswer.question_id, AttemptAnswer.question_version
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
    return wrong


def _version_opds(session: Session, first, tops) -> dict[VersionKey, list[Group]]:
    """Each version by OPD, per unit first as in _quiz_by_opd (before protect())."""
    qid, ver = AttemptAnswer.question_id, AttemptAnswer.question_version
    per_unit = (select(qid.label("qid"), ver.label("ver"), Employee.opd_id,
                       func.count().label("n"),
                       func.sum(as_int(AttemptAnswer.correct)).label("ok"))
                .join(first, first.c.id == AttemptAnswer.attempt_id)
                .join(Employee, Employee.id == first.c.employee_id)
                .group_by(qid, ver, Employee.opd_id).subquery("answer_unit"))
    opd_rows: dict[VersionKey, list[Group]] = defaultdict(list)
    for q, v, _, name, answers, correct in session.execute(
            select(per_unit.c.qid, per_unit.c.ver, tops.c.top_id, tops.c.top_name,
                   func.sum(per_unit.c.n), func.sum(per_unit.c.ok))
            .join(tops, tops.c.opd_id == per_unit.c.opd_id)
            .group_by(per_unit.c.qid, per_unit.c.ver, tops.c.top_id, tops.c.top_name)):
        opd_rows[q, v].append(Group(name, int(answers), int(correct)))
    return opd_rows
