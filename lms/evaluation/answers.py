"""Answering the participant evaluation, anonymously, and the rule that may hold back a
certificate's download until it is answered.

What is written when a person answers for a course:
- `evaluation_done` (employee, course, answered): that they answered, nothing more;
- `evaluation_pending` (a random id, the course, the form version, the scores, the
  comment): no person, no time.
Once MIN_GROUP answers of one course are pending, they move to `evaluation_response`
and `evaluation_score` together, shuffled, each under a new random id, in the request
that brings the last of them. So the released rows come in batches of at least five:
no order of rows, ids or transactions tells which of those five people wrote which
answer, and results only ever read released rows.
"""

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.core import cells, numbers
from lms.core.database import lock_key
from lms.core.upsert import dialect_insert
from lms.evaluation import questionnaire
from lms.models import (
    Course,
    Enrollment,
    EvaluationDone,
    EvaluationForm,
    EvaluationPending,
    EvaluationResponse,
    EvaluationScore,
    EvaluationStat,
)
from lms.studio.analysis.figures import MIN_GROUP

SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {1: _l("Strongly disagree"), 2: _l("Disagree"), 3: _l("Neutral"),
                4: _l("Agree"), 5: _l("Strongly agree")}
MAX_COMMENT = 1000
MAX_COMMENTS_SHOWN = 300  # a random sample, as ids are random
_random = secrets.SystemRandom()


class AlreadyDone(Exception):
    """This person has answered or skipped the evaluation of this course."""


class NotSkippable(Exception):
    """The evaluation is required before this course's certificate."""


class BadAnswer(ValueError):
    """A value the form never offered (tampered input): a 400."""


def done(session: Session, employee_id: int, course_id: int) -> EvaluationDone | None:
    return session.get(EvaluationDone, (employee_id, course_id))


def completion(session: Session, employee_id: int, course_id: int):
    return session.scalar(select(Enrollment.completed_at).where(
        Enrollment.employee_id == employee_id, Enrollment.course_id == course_id))


def open_for(session: Session, employee_id: int, course: Course) -> EvaluationForm | None:
    """The questionnaire this person may answer for `course` now: the course completed,
    a questionnaire stored, nothing answered or skipped yet."""
    if completion(session, employee_id, course.id) is None:
        return None
    if done(session, employee_id, course.id) is not None:
        return None
    return questionnaire.current(session)


def required_for(session: Session, employee_id: int, course_id: int) -> bool:
    """The admin's setting applies to this completion: on, and the course completed
    since it was switched on (certificates of earlier completions never wait)."""
    row = questionnaire.read_settings(session)
    if not row.required or row.required_since is None:
        return False
    completed = completion(session, employee_id, course_id)
    return completed is not None and completed >= row.required_since


def certificate_waits(session: Session, employee_id: int, course_id: int) -> bool:
    """The learner's certificate download waits for the evaluation: required for this
    completion, a questionnaire to answer, and not answered yet."""
    if not required_for(session, employee_id, course_id):
        return False
    row = done(session, employee_id, course_id)
    if row is not None and row.answered:
        return False
    return questionnaire.current(session) is not None


def read(form: EvaluationForm, fields: dict[str, str]) -> tuple[dict[str, int], str]:
    """(scores, comment) from the posted fields `item-<key>`; an item left empty is not
    answered. Refuses any value the form did not offer."""
    scores, comment = {}, ""
    for item in form.items:
        raw = (fields.get(f"item-{item['key']}") or "").strip()
        if item["kind"] == questionnaire.COMMENT:
            comment = cells.CONTROL.sub("", raw)[:MAX_COMMENT].strip()
        elif raw:
            if raw not in {str(v) for v in SCALE}:
                raise BadAnswer(item["key"])
            scores[item["key"]] = int(raw)
    return scores, comment


def submit(session: Session, employee_id: int, course: Course, form: EvaluationForm,
           scores: dict[str, int], comment: str) -> None:
    _mark(session, employee_id, course.id, answered=True)
    session.add(EvaluationPending(id=secrets.token_hex(16), course_id=course.id,
                                  form_id=form.id, scores=scores, comment=comment))
    session.flush()
    release(session, course.id)


def skip(session: Session, employee_id: int, course: Course) -> None:
    if required_for(session, employee_id, course.id):
        raise NotSkippable
    _mark(session, employee_id, course.id, answered=False)


def _mark(session: Session, employee_id: int, course_id: int, answered: bool) -> None:
    try:
        with session.begin_nested():
            session.add(EvaluationDone(employee_id=employee_id, course_id=course_id,
                                       answered=answered))
    except IntegrityError:
        raise AlreadyDone from None


def release(session: Session, course_id: int, at_least: int = MIN_GROUP) -> int:
    """Move a course's pending answers to the results once there are `at_least`; the
    number moved. Under the course's lock, so two requests never release one twice."""
    lock_key(session, "evaluation", str(course_id))
    waiting = session.scalar(select(func.count()).select_from(EvaluationPending)
                             .where(EvaluationPending.course_id == course_id))
    if waiting < at_least:
        return 0
    rows = list(session.scalars(select(EvaluationPending)
                                .where(EvaluationPending.course_id == course_id)))
    _random.shuffle(rows)
    tally: dict[tuple[str, int], int] = {}
    for row in rows:
        new_id = secrets.token_hex(16)
        session.add(EvaluationResponse(id=new_id, course_id=course_id, form_id=row.form_id,
                                       comment=row.comment))
        session.flush()
        for key, value in row.scores.items():
            session.add(EvaluationScore(response_id=new_id, item_key=key, value=value))
            tally[(key, value)] = tally.get((key, value), 0) + 1
    _count(session, course_id, tally)
    session.execute(delete(EvaluationPending).where(
        EvaluationPending.id.in_([r.id for r in rows])))
    session.flush()
    return len(rows)


def _count(session: Session, course_id: int, tally: dict[tuple[str, int], int]) -> None:
    table = EvaluationStat.__table__
    for (key, value), n in tally.items():
        insert = dialect_insert(session)(table).values(course_id=course_id, item_key=key,
                                                       value=value, answers=n)
        session.execute(insert.on_conflict_do_update(
            index_elements=["course_id", "item_key", "value"],
            set_={"answers": table.c.answers + insert.excluded.answers}))


def recount(session: Session) -> None:
    """evaluation_stat again from every released score, in one statement."""
    session.execute(delete(EvaluationStat))
    session.execute(insert(EvaluationStat).from_select(
        ["course_id", "item_key", "value", "answers"],
        select(EvaluationResponse.course_id, EvaluationScore.item_key, EvaluationScore.value,
               func.count())
        .join(EvaluationResponse, EvaluationResponse.id == EvaluationScore.response_id)
        .group_by(EvaluationResponse.course_id, EvaluationScore.item_key,
                  EvaluationScore.value)))
    session.flush()


# --- results: SQL sums, groups under MIN_GROUP hidden --------------------------------------

@dataclass
class ItemResult:
    key: str
    text: str
    answers: int
    counts: dict[int, int]  # value -> answers
    mean_tenths: int | None  # 4.2 is 42; None when hidden
    agree_percent: int | None  # share of 4 and 5

    @property
    def hidden(self) -> bool:
        return self.mean_tenths is None


def item_results(session: Session, course_id: int, form: EvaluationForm) -> list[ItemResult]:
    """Each scale item of the current questionnaire over every released answer to the
    course, matched by item ID (so a reworded item keeps its history: give an item a new
    ID when its meaning changes)."""
    rows = session.execute(
        select(EvaluationStat.item_key, EvaluationStat.value, EvaluationStat.answers)
        .where(EvaluationStat.course_id == course_id)).all()
    by_key: dict[str, dict[int, int]] = {}
    for key, value, n in rows:
        by_key.setdefault(key, {})[value] = n
    out = []
    for item in form.items:
        if item["kind"] != questionnaire.SCALE:
            continue
        counts = {v: by_key.get(item["key"], {}).get(v, 0) for v in SCALE}
        out.append(_result(item, counts))
    return out


def _result(item: dict, counts: dict[int, int]) -> ItemResult:
    n = sum(counts.values())
    if n < MIN_GROUP:
        return ItemResult(item["key"], item["text"], n, {v: 0 for v in SCALE}, None, None)
    total = sum(v * c for v, c in counts.items())
    return ItemResult(item["key"], item["text"], n, counts,
                      numbers.half_up(10 * total, n),
                      numbers.percent(counts[4] + counts[5], n))


def responses(session: Session, course_id: int) -> int:
    return session.scalar(select(func.count()).select_from(EvaluationResponse)
                          .where(EvaluationResponse.course_id == course_id))


def comments(session: Session, course_id: int) -> list[str]:
    """The open comments, without names (there are none to show), in the order of their
    random ids; none while fewer than MIN_GROUP answers are released."""
    if responses(session, course_id) < MIN_GROUP:
        return []
    return list(session.scalars(select(EvaluationResponse.comment).where(
        EvaluationResponse.course_id == course_id, EvaluationResponse.comment != "")
        .order_by(EvaluationResponse.id).limit(MAX_COMMENTS_SHOWN)))


def response_counts(session: Session, course_ids: list[int]) -> dict[int, int]:
    return dict(session.execute(
        select(EvaluationResponse.course_id, func.count())
        .where(EvaluationResponse.course_id.in_(course_ids))
        .group_by(EvaluationResponse.course_id)).all())
