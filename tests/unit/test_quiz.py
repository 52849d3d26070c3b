"""Drawing, grading and recording quizzes, against a real database."""

import random

import pytest
from sqlalchemy import func, select

from lms.learning import quiz
from lms.models import AttemptAnswer, Enrollment, ModuleProgress, QuizAttempt


@pytest.fixture
def module(course):
    return course.modules[0]


@pytest.fixture
def learner(people):
    return people["learner"]


def key_of(module):
    return {q.id: q for q in module.current_questions}


def right_answers(db, attempt):
    """What a learner who knows everything would submit."""
    form = {}
    for d in attempt.drawn:
        q = db.session.get(quiz.Question, d["q"])
        form[f"q{q.id}"] = ([q.answer[0]] if q.kind == "text"
                            else [str(i) for i in q.answer])
    return form


def wrong_answers(db, attempt):
    form = {}
    for d in attempt.drawn:
        q = db.session.get(quiz.Question, d["q"])
        wrong = next(i for i in range(len(q.options)) if i not in q.answer) if q.options else 0
        form[f"q{q.id}"] = ["salah"] if q.kind == "text" else [str(wrong)]
    return form


def test_present_shows_no_key(db, module, learner):
    attempt = quiz.start(db.session, learner.id, module, random.Random(1))
    shown = quiz.present(db.session, attempt)
    assert [s.kind for s in shown] == ["single", "multiple", "truefalse", "text"]
    for s in shown:
        assert set(vars(s)) == {"field", "number", "kind", "prompt_html", "options"}
        assert all("Penjelasan" not in html for _, html in s.options)


def test_correct_answers_pass_and_complete_module(db, module, learner):
    attempt = quiz.start(db.session, learner.id, module)
    responses = quiz.read_answers(db.session, attempt, right_answers(db, attempt))
    quiz.grade(db.session, attempt, responses)
    db.session.commit()
    assert (attempt.score, attempt.passed) == (100, True)
    state = db.session.get(ModuleProgress, (learner.id, module.id))
    assert state.completed_at is not None and state.best_score == 100
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 4


def test_short_answer_ignores_case_and_spaces(db, module):
    q = next(q for q in module.current_questions if q.kind == "text")
    assert quiz.is_correct(q, ["  One Time   PASSWORD "])
    assert quiz.is_correct(q, ["onetimepassword"])
    assert quiz.is_correct(q, ["KODE sekali pakai"])
    assert not quiz.is_correct(q, ["kata sandi"])


def test_multiple_choice_is_all_or_nothing(db, module):
    q = next(q for q in module.current_questions if q.kind == "multiple")
    assert quiz.is_correct(q, ["2", "0"])
    assert not quiz.is_correct(q, ["0"])
    assert not quiz.is_correct(q, ["0", "1", "2"])


def test_score_below_pass_mark_fails(db, module, learner):
    attempt = quiz.start(db.session, learner.id, module)
    form = right_answers(db, attempt)
    text_q = next(k for k in form if not form[k][0].isdigit())
    form[text_q] = ["salah"]
    quiz.grade(db.session, attempt, quiz.read_answers(db.session, attempt, form))
    db.session.commit()
    assert (attempt.score, attempt.passed) == (75, True)  # 3 of 4, pass mark 75
    second = quiz.start(db.session, learner.id, module)
    quiz.grade(db.session, second, quiz.read_answers(db.session, second,
                                                     wrong_answers(db, second)))
    assert (second.score, second.passed) == (0, False)
    state = db.session.get(ModuleProgress, (learner.id, module.id))
    assert state.best_score == 75  # the best score stays


def test_graded_once(db, module, learner):
    attempt = quiz.start(db.session, learner.id, module)
    responses = quiz.read_answers(db.session, attempt, right_answers(db, attempt))
    quiz.grade(db.session, attempt, responses)
    db.session.commit()
    with pytest.raises(quiz.AlreadyGraded):
        quiz.grade(db.session, attempt, responses)
    db.session.rollback()
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 4


@pytest.mark.parametrize("tamper", ["unknown option", "foreign question", "two radios"])
def test_tampered_input_is_refused(db, module, learner, tamper):
    attempt = quiz.start(db.session, learner.id, module)
    form = right_answers(db, attempt)
    single = next(f"q{q.id}" for q in module.current_questions if q.kind == "single")
    if tamper == "unknown option":
        form[single] = ["7"]
    elif tamper == "foreign question":
        form["q99999"] = ["0"]
    else:
        form[single] = ["0", "1"]
    with pytest.raises(quiz.TamperedInput):
        quiz.read_answers(db.session, attempt, form)


def test_unanswered_questions_are_named(db, module, learner):
    attempt = quiz.start(db.session, learner.id, module)
    form = right_answers(db, attempt)
    drawn_fields = [f"q{d['q']}" for d in attempt.drawn]
    del form[drawn_fields[1]]
    form[drawn_fields[3]] = ["   "]
    with pytest.raises(quiz.Incomplete) as exc:
        quiz.read_answers(db.session, attempt, form)
    assert exc.value.unanswered == [2, 4]


def test_attempt_limit(db, module, learner):
    for _ in range(2):  # attempts: 2
        attempt = quiz.start(db.session, learner.id, module)
        quiz.grade(db.session, attempt,
                   quiz.read_answers(db.session, attempt, right_answers(db, attempt)))
    assert quiz.attempts_left(db.session, learner.id, module) == 0
    with pytest.raises(quiz.NoAttemptsLeft):
        quiz.start(db.session, learner.id, module)


def test_open_attempt_is_reused(db, module, learner):
    first = quiz.start(db.session, learner.id, module)
    assert quiz.start(db.session, learner.id, module).id == first.id
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1
    assert db.session.scalars(select(Enrollment)).one().employee_id == learner.id


def test_draw_and_shuffle(db, module):
    module.draw_count, module.shuffle = 2, True
    seen_sets, seen_orders = set(), set()
    for seed in range(40):
        drawn = quiz.draw(module, random.Random(seed))
        assert len(drawn) == 2
        seen_sets.add(frozenset(d["q"] for d in drawn))
        for d in drawn:
            q = next(q for q in module.current_questions if q.id == d["q"])
            assert sorted(d["o"]) == list(range(len(q.options)))
            if q.kind == "truefalse":
                assert d["o"] == [0, 1]  # Benar before Salah, always
            else:
                seen_orders.add(tuple(d["o"]))
    assert len(seen_sets) > 3 and len(seen_orders) > 2


def test_edited_question_invalidates_open_attempt(db, module, learner):
    attempt = quiz.start(db.session, learner.id, module)
    module.current_questions[0].version += 1
    with pytest.raises(quiz.QuizChanged):
        quiz.read_answers(db.session, attempt, right_answers(db, attempt))


def test_review_only_after_grading(db, module, learner):
    attempt = quiz.start(db.session, learner.id, module)
    with pytest.raises(quiz.QuizError):
        quiz.review(db.session, attempt)
    quiz.grade(db.session, attempt,
               quiz.read_answers(db.session, attempt, right_answers(db, attempt)))
    reviewed = quiz.review(db.session, attempt)
    assert all(r.correct and r.explanation_html for r in reviewed)
    assert reviewed[3].accepted == ["one time password", "kode sekali pakai"]


def shown_answers(db, attempt, right=True):
    """What a learner submits: the values of the options they tick, as the page shows
    them (display positions), not the indexes of the course file."""
    form = {}
    for d, s in zip(attempt.drawn, quiz.present(db.session, attempt), strict=True):
        q = db.session.get(quiz.Question, d["q"])
        if q.kind == "text":
            form[s.field] = [q.answer[0] if right else "salah"]
            continue
        picked = [i for i in range(len(q.options)) if (i in q.answer) == right]
        picked = picked if right else picked[:1]
        form[s.field] = [str(d["o"].index(i)) for i in picked]
    return form


def test_option_values_are_display_positions_and_tell_nothing(db, module, learner):
    """The value of an option is where it stands on the page (0, 1, 2 ... in the order
    shown), so the HTML says nothing about the key or the order in the course file."""
    module.shuffle, module.max_attempts = True, 0
    where_right = {}
    for seed in range(150):
        attempt = quiz.start(db.session, learner.id, module, random.Random(seed))
        for d, s in zip(attempt.drawn, quiz.present(db.session, attempt), strict=True):
            q = db.session.get(quiz.Question, d["q"])
            if q.kind == "text":
                continue
            assert [v for v, _ in s.options] == [str(n) for n in range(len(q.options))]
            assert [html for _, html in s.options] == [q.options[i] for i in d["o"]]
            if q.kind == "single":
                position = d["o"].index(q.answer[0])
                where_right[position] = where_right.get(position, 0) + 1
        if seed % 2:
            right = shown_answers(db, attempt, right=seed % 4 == 1)
            quiz.grade(db.session, attempt, quiz.read_answers(db.session, attempt, right))
            assert attempt.score == (100 if seed % 4 == 1 else 0)
            stored = {a.question_id: a.response for a in attempt.answers}
            for d in attempt.drawn:  # answers keep the course file's indexes
                q = db.session.get(quiz.Question, d["q"])
                if q.kind != "text" and seed % 4 == 1:
                    assert sorted(int(v) for v in stored[q.id]) == sorted(q.answer)
        else:
            quiz.discard(db.session, attempt)
    # The right option of the 3-option question stands anywhere, about equally often.
    assert sorted(where_right) == [0, 1, 2] and min(where_right.values()) > 30


def test_values_beyond_the_shown_positions_are_refused(db, module, learner):
    module.shuffle = True
    attempt = quiz.start(db.session, learner.id, module, random.Random(5))
    form = shown_answers(db, attempt)
    single = next(f"q{q.id}" for q in module.current_questions if q.kind == "single")
    for bad in (["3"], ["-1"], ["01"], [" 1"], ["1", "1"]):
        with pytest.raises(quiz.TamperedInput):
            quiz.read_answers(db.session, attempt, {**form, single: bad})
