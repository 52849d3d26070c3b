"""Demo quiz history: submitted attempts with answers, so the trainers' item-analysis pages
(lms/studio/analysis/) have something to show.

A small item-response model, all from one seeded RNG: each learner has an ability, each
question a difficulty and a slope, and P(right) = 1 / (1 + exp(-slope (ability -
difficulty))). Per course one question is made too hard and one too easy, so the
warnings show up. Wrong answers favour one distractor per question. Questions are drawn
with `quiz.draw` and marked with `quiz.is_correct`, and attempts are scored as
`quiz.grade` does, so the rows look exactly like real ones; they are written in bulk
at the end (one INSERT per table). The caller records the best score of each learner
who completed a module through `progress.record_score`, as grading would.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from lms.core import numbers
from lms.learning import progress, quiz
from lms.models import (
    AttemptAnswer,
    Course,
    Enrollment,
    Module,
    ModuleProgress,
    Question,
    QuizAttempt,
)

RETAKE_GAIN = 0.9     # ability gained from reading the explanations before a retake
MAX_SITTINGS = 3      # a learner who completed the module passed within this many
GAVE_UP = 0.5         # share of learners who stopped before a quiz yet tried it


@dataclass
class Item:
    difficulty: float
    slope: float
    favourite: int | str | None  # the distractor (option index or text) wrong answers favour


@dataclass
class Sitting:
    drawn: list[dict]
    answers: list[tuple[Question, int, list[str], bool]]  # question, version, response, ok
    started_at: datetime | None = None
    submitted_at: datetime | None = None

    @property
    def right(self) -> int:
        return sum(ok for *_, ok in self.answers)

    @property
    def score(self) -> int:
        return numbers.percent(self.right, len(self.answers)) or 0

    def passes(self, pass_mark: int) -> bool:
        return numbers.reaches_mark(self.right, len(self.answers), pass_mark)


@dataclass
class QuizHistory:
    """Collects attempts while the demo progress is made; `save` writes them."""

    seed: int
    rng: random.Random = field(init=False)
    items: dict[int, Item] = field(default_factory=dict)
    abilities: dict[int, float] = field(default_factory=dict)
    pending: list[tuple[int, Module, Sitting]] = field(default_factory=list)
    failed: list[tuple[int, Module, int]] = field(default_factory=list)  # best scores

    def __post_init__(self):
        self.rng = random.Random(f"{self.seed}-quiz")

    # --- the model ------------------------------------------------------------------------

    def prepare(self, courses: list[Course]) -> None:
        """Difficulty, slope and favourite distractor of every current question; per
        course one too hard and one too easy (in quizzes everyone sees in full)."""
        rng = self.rng
        for course in sorted(courses, key=lambda c: c.slug):
            modules = [m for m in course.current_modules if m.has_quiz]
            texts = [a for m in modules for q in m.current_questions if q.kind == "text"
                     for a in q.answer[:1]]
            for module in modules:
                for q in module.current_questions:
                    self.items[q.id] = Item(rng.gauss(-0.6, 0.5), rng.uniform(0.8, 2.0),
                                            self._favourite(q, texts))
            full = [q for m in modules if not m.draw_count or m.draw_count >= len(
                m.current_questions) for q in m.current_questions if q.kind != "text"]
            if len(full) >= 2:
                hard, easy = rng.sample(full, 2)
                self.items[hard.id].difficulty, self.items[hard.id].slope = 2.3, 1.4
                self.items[easy.id].difficulty, self.items[easy.id].slope = -3.5, 1.2

    def _favourite(self, q: Question, texts: list[str]) -> int | str | None:
        if q.kind == "text":
            first = q.answer[0] if q.answer else ""
            if first.isdigit():
                return str(int(first) + self.rng.choice([-2, -1, 1, 2]))
            others = [t for t in texts if quiz.normalise(t) not in
                      {quiz.normalise(a) for a in q.answer}]
            return self.rng.choice(others) if others else "tidak tahu"
        wrong = [i for i in range(len(q.options)) if i not in q.answer]
        return self.rng.choice(wrong) if wrong else None

    def ability(self, employee_id: int) -> float:
        if employee_id not in self.abilities:
            self.abilities[employee_id] = self.rng.gauss(0.6, 1.0)
        return self.abilities[employee_id]

    def _response(self, q: Question, order: list[int], right: bool) -> list[str]:
        rng, item = self.rng, self.items[q.id]
        if q.kind == "text":
            if right:
                typed = rng.choice(q.answer)
                return [typed.lower() if rng.random() < 0.3 else typed]
            return [item.favourite if rng.random() < 0.6 else
                    rng.choice(["tidak tahu", "lupa", "belum tahu"])]
        key = sorted(q.answer)
        wrong = [i for i in range(len(q.options)) if i not in key]
        if right or not wrong and len(key) < 2:
            chosen = set(key)
        elif q.kind == "multiple":
            chosen = set(key)
            if len(key) >= 2 and (not wrong or rng.random() < 0.5):
                chosen.discard(rng.choice(key))       # missed one
            if wrong and (len(chosen) == len(key) or rng.random() < 0.4):
                chosen.add(item.favourite if rng.random() < 0.7 else rng.choice(wrong))
        else:
            chosen = {item.favourite if rng.random() < 0.65 else rng.choice(wrong)}
        return [str(i) for i in order if i in chosen]  # in display order, as submitted

    def _sit(self, module: Module, ability: float) -> Sitting:
        by_id = {q.id: q for q in module.current_questions}
        drawn = quiz.draw(module, self.rng)
        answers = []
        for d in drawn:
            q, item = by_id[d["q"]], self.items[d["q"]]
            p = 1 / (1 + math.exp(-item.slope * (ability - item.difficulty)))
            response = self._response(q, d["o"], self.rng.random() < p)
            answers.append((q, d["v"], response, quiz.is_correct(q, response)))
        return Sitting(drawn, answers)

    def _force(self, module: Module, sitting: Sitting, passed: bool) -> None:
        """Turn answers right (or wrong) one at a time until the score passes (or fails)."""
        drawn = {d["q"]: d for d in sitting.drawn}
        for _ in range(4 * len(sitting.answers)):
            if sitting.passes(module.pass_mark) == passed:
                return
            flip = [i for i, (*_, ok) in enumerate(sitting.answers) if ok != passed]
            i = self.rng.choice(flip)
            q, version, _, _ = sitting.answers[i]
            response = self._response(q, drawn[q.id]["o"], passed)
            sitting.answers[i] = (q, version, response, quiz.is_correct(q, response))

    # --- the learner's story --------------------------------------------------------------

    def _timed(self, employee_id: int, module: Module, sittings: list[Sitting],
               last_at: datetime) -> None:
        """The last sitting is submitted at `last_at`, earlier ones minutes before."""
        at = last_at
        for sitting in reversed(sittings):
            sitting.submitted_at = at
            sitting.started_at = at - timedelta(minutes=self.rng.randint(2, 8))
            at = sitting.started_at - timedelta(minutes=self.rng.randint(3, 12))
        self.pending.extend((employee_id, module, s) for s in sittings)

    def passed(self, employee_id: int, module: Module, at: datetime) -> int:
        """Attempts of a learner who completed the module at `at` (their passing attempt);
        returns the best score, which is the passing one."""
        limit = min(module.max_attempts or MAX_SITTINGS, MAX_SITTINGS)
        ability, sittings = self.ability(employee_id), []
        for n in range(limit):
            sitting = self._sit(module, ability + n * RETAKE_GAIN)
            if n == limit - 1:
                self._force(module, sitting, passed=True)
            sittings.append(sitting)
            if sitting.passes(module.pass_mark):
                break
        self._timed(employee_id, module, sittings, at)
        return max(s.score for s in sittings)

    def gave_up(self, employee_id: int, module: Module, at: datetime) -> None:
        """Maybe one or two failed attempts, the last at `at`, by a learner who stopped
        before this module. Their best score is written by `save`."""
        if self.rng.random() > GAVE_UP:
            return
        limit = min(module.max_attempts or 2, self.rng.choice([1, 1, 2]))
        ability = self.ability(employee_id) - 0.5
        sittings = []
        for n in range(limit):
            sitting = self._sit(module, ability + n * RETAKE_GAIN)
            self._force(module, sitting, passed=False)
            sittings.append(sitting)
        self._timed(employee_id, module, sittings, at)
        self.failed.append((employee_id, module, max(s.score for s in sittings)))

    # --- writing --------------------------------------------------------------------------

    def save(self, session: Session) -> int:
        """Insert the collected attempts and their answers (one INSERT each), and the
        module progress of those who failed and stopped; returns how many attempts.

        The failed ones' progress is what `progress.record_score(..., passed=False)`
        leaves (a best score, not completed), written in bulk with one recount per
        course instead of three statements per learner."""
        rows = [{"employee_id": employee_id, "module_id": module.id, "drawn": s.drawn,
                 "started_at": s.started_at, "submitted_at": s.submitted_at,
                 "score": s.score, "passed": s.passes(module.pass_mark)}
                for employee_id, module, s in self.pending]
        if rows:
            ids = session.execute(QuizAttempt.__table__.insert().returning(
                QuizAttempt.id, sort_by_parameter_order=True), rows).scalars().all()
            session.execute(AttemptAnswer.__table__.insert(), [
                {"attempt_id": attempt_id, "question_id": q.id, "question_version": v,
                 "response": response, "correct": ok}
                for attempt_id, (_, _, s) in zip(ids, self.pending, strict=True)
                for q, v, response, ok in s.answers])
        if self.failed:
            session.execute(ModuleProgress.__table__.insert(), [
                {"employee_id": employee_id, "module_id": module.id, "best_score": best}
                for employee_id, module, best in self.failed])
            for course_id in sorted({module.course_id for _, module, _ in self.failed}):
                progress.recount(session, course_id)
            for obj in list(session.identity_map.values()):  # recount bypassed them
                if isinstance(obj, Enrollment):
                    session.expire(obj, ["modules_done", "score"])
        count = len(rows)
        self.pending, self.failed = [], []
        return count
