"""Draw, present and grade quizzes. The answer key stays here: `present` gives the
browser prompts and options only, `grade` compares on the server.

Functions take model objects and plain data (never the request), and flush; the view
commits once.
"""

import random
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lms.core import clock, numbers
from lms.core.database import lock_key
from lms.learning import progress
from lms.models import AttemptAnswer, Module, Question, QuizAttempt
from lms.pretest import parallel


class QuizError(Exception):
    pass


class NoAttemptsLeft(QuizError):
    pass


class TamperedInput(QuizError):
    """The submission names a question or option this attempt never showed."""


class AlreadyGraded(QuizError):
    pass


class QuizChanged(QuizError):
    """A question was edited or retired after this attempt was drawn."""


@dataclass
class Shown:
    """A question as the learner sees it: no key, no explanation, no flag."""

    field: str
    number: int
    kind: str
    prompt_html: str
    # (value, html) in display order; the value is the display position ("0", "1", ...),
    # so the page tells nothing about the key or the order in the course file.
    options: list[tuple[str, str]]


@dataclass
class Incomplete(QuizError):
    unanswered: list[int]  # question numbers as shown


def submitted_count(session: Session, employee_id: int, module_id: int) -> int:
    return session.scalar(select(func.count(QuizAttempt.id)).where(
        QuizAttempt.employee_id == employee_id, QuizAttempt.module_id == module_id,
        QuizAttempt.submitted_at.is_not(None)))


def attempts_left(session: Session, employee_id: int, module: Module) -> int | None:
    """None when the quiz allows unlimited attempts."""
    if not module.max_attempts:
        return None
    return max(0, module.max_attempts - submitted_count(session, employee_id, module.id))


def open_attempt(session: Session, employee_id: int, module: Module) -> QuizAttempt | None:
    return session.scalars(select(QuizAttempt).where(
        QuizAttempt.employee_id == employee_id, QuizAttempt.module_id == module.id,
        QuizAttempt.submitted_at.is_(None)).order_by(QuizAttempt.id.desc())).first()


def start(session: Session, employee_id: int, module: Module,
          rng: random.Random | None = None) -> QuizAttempt:
    """The learner's open attempt at this quiz, or a new one with freshly drawn questions.
    Parallel starts (a double click, two tabs) queue on the lock, so the later ones find
    the first one's attempt instead of each drawing one past the attempt limit."""
    lock_key(session, "quiz_start", f"{employee_id}:{module.id}")
    attempt = open_attempt(session, employee_id, module)
    if attempt is not None:
        return attempt
    if attempts_left(session, employee_id, module) == 0:
        raise NoAttemptsLeft()
    progress.enroll(session, employee_id, module.course)
    attempt = QuizAttempt(employee_id=employee_id, module_id=module.id,
                          drawn=draw(module, rng or random.SystemRandom(),
                                     parallel.items_to_avoid(session, employee_id, module)))
    session.add(attempt)
    session.flush()
    return attempt


def draw(module: Module, rng: random.Random, avoid: frozenset[int] = frozenset()) -> list[dict]:
    """`avoid`: questions to leave out while the pool has enough others (a pre-test's)."""
    questions = module.current_questions
    if module.draw_count and module.draw_count < len(questions):
        fresh = [q for q in questions if q.id not in avoid]
        if avoid and len(fresh) >= module.draw_count:
            chosen = rng.sample(fresh, module.draw_count)
        elif avoid:  # too few others: all of them, topped up from the avoided ones
            chosen = fresh + rng.sample([q for q in questions if q.id in avoid],
                                        module.draw_count - len(fresh))
        else:
            chosen = rng.sample(questions, module.draw_count)
        picked = set(q.id for q in chosen)
        questions = [q for q in questions if q.id in picked]
    if module.shuffle:
        questions = questions[:]
        rng.shuffle(questions)
    drawn = []
    for q in questions:
        order = list(range(len(q.options)))
        if module.shuffle and q.kind != "truefalse":
            rng.shuffle(order)
        drawn.append({"q": q.id, "v": q.version, "o": order})
    return drawn


def _questions(session: Session, attempt: QuizAttempt) -> list[tuple[dict, Question]]:
    ids = [d["q"] for d in attempt.drawn]
    by_id = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids)))}
    return [(d, by_id[d["q"]]) for d in attempt.drawn]


def present(session: Session, attempt: QuizAttempt) -> list[Shown]:
    return shown(attempt.drawn, {q.id: q for _d, q in _questions(session, attempt)})


def shown(drawn: list[dict], by_id: Mapping[int, object]) -> list[Shown]:
    """The drawn questions as the learner sees them; `by_id` holds question rows or
    objects with kind, prompt_html and options."""
    result = []
    for number, d in enumerate(drawn, start=1):
        q = by_id[d["q"]]
        options = [(str(position), q.options[i]) for position, i in enumerate(d["o"])]
        result.append(Shown(f"q{q.id}", number, q.kind, q.prompt_html, options))
    return result


def read_answers(session: Session, attempt: QuizAttempt,
                 form: Mapping[str, list[str]]) -> dict[int, list[str]]:
    """Turn submitted fields into {question id: response}, refusing anything this attempt
    did not show. Options come as display positions and leave as course-file indexes.
    Raises Incomplete when a question was left unanswered, QuizChanged when the trainer
    edited it meanwhile (the attempt is then discarded by the caller)."""
    drawn = _questions(session, attempt)
    if any(q.version != d["v"] or q.retired_at is not None for d, q in drawn):
        raise QuizChanged()
    expected = {f"q{q.id}": (d, q) for d, q in drawn}
    for name in form:
        if name.startswith("q") and name not in expected:
            raise TamperedInput(name)
    responses, unanswered = {}, []
    for number, (name, (d, q)) in enumerate(expected.items(), start=1):
        values = [v for v in form.get(name, []) if v.strip()]
        if q.kind == "text":
            if len(values) > 1:
                raise TamperedInput(name)
        else:
            # The form sends display positions; what is stored and graded is the option's
            # index in the course file, through this attempt's own draw.
            by_position = {str(position): str(i) for position, i in enumerate(d["o"])}
            if any(v not in by_position for v in values) or len(set(values)) != len(values):
                raise TamperedInput(name)
            if q.kind != "multiple" and len(values) > 1:
                raise TamperedInput(name)
            values = [by_position[v] for v in values]
        if not values:
            unanswered.append(number)
        responses[q.id] = values
    if unanswered:
        raise Incomplete(unanswered)
    return responses


def normalise(text: str) -> str:
    """Short answers match ignoring case, accents' composition and all spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def is_correct(question: Question, response: list[str]) -> bool:
    if question.kind == "text":
        return bool(response) and normalise(response[0]) in {
            normalise(a) for a in question.answer}
    return sorted(int(v) for v in response) == sorted(question.answer)


def discard(session: Session, attempt: QuizAttempt) -> None:
    """Drop an ungraded attempt (nothing was recorded against it)."""
    session.delete(attempt)
    session.flush()


def grade(session: Session, attempt: QuizAttempt,
          responses: dict[int, list[str]]) -> QuizAttempt:
    """Grade an attempt exactly once. The conditional UPDATE is the claim: of two
    concurrent submissions (double click, two tabs) only one changes the row, on SQLite
    and PostgreSQL alike; the other gets AlreadyGraded and records nothing."""
    now = clock.now()
    claimed = session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id,
                                  QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise AlreadyGraded()
    session.refresh(attempt)
    questions = _questions(session, attempt)
    right = 0
    for d, q in questions:
        ok = is_correct(q, responses[q.id])
        right += ok
        session.add(AttemptAnswer(attempt=attempt, question_id=q.id, question_version=d["v"],
                                  response=responses[q.id], correct=ok))
    module = attempt.module
    attempt.score = numbers.percent(right, len(questions)) or 0
    attempt.passed = numbers.reaches_mark(right, len(questions), module.pass_mark)
    session.flush()
    parallel.record_post(session, attempt)  # the post-test of a pre-test, if any
    progress.record_score(session, attempt.employee_id, module, attempt.score,
                          attempt.passed, at=now)
    return attempt


@dataclass
class Reviewed:
    number: int
    prompt_html: str
    kind: str
    options: list[tuple[str, bool, bool]]  # (html, chosen, correct) in display order
    response_text: str
    accepted: list[str]
    correct: bool
    explanation_html: str


def review(session: Session, attempt: QuizAttempt) -> list[Reviewed]:
    """A graded attempt with its key and explanations: shown only after grading."""
    if attempt.submitted_at is None:
        raise QuizError("not graded yet")
    answers = {a.question_id: a for a in attempt.answers}
    out = []
    for number, (d, q) in enumerate(_questions(session, attempt), start=1):
        answer = answers[q.id]
        chosen = set(answer.response)
        options = [(q.options[i], str(i) in chosen, i in q.answer) for i in d["o"]]
        text = answer.response[0] if q.kind == "text" and answer.response else ""
        accepted = list(q.answer) if q.kind == "text" else []
        out.append(Reviewed(number, q.prompt_html, q.kind, options, text, accepted,
                            answer.correct, q.explanation_html))
    return out
