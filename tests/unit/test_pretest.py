"""Pre-test: the format's rules with their lines, the parallel form, the gain formulas
and the small-group rule, without HTTP."""

import random

import pytest

from lms.content.validate import load
from lms.learning import quiz
from lms.models import CoursePretest
from lms.pretest import gains
from lms.pretest.gains import Gain
from tests.support.pretest import make_course, write_course


def problems(tmp_path, pretest, **kwargs):
    write_course(tmp_path, pretest=pretest, **kwargs)
    _, found = load(tmp_path)
    return [(p.path.rsplit("/", 1)[-1], p.line, str(p.message), p.warning) for p in found]


def test_a_valid_pretest_has_no_problem_and_is_stored_at_sync(db, tmp_path):
    assert problems(tmp_path, "pretest:\n  questions: 3\n  test_out: 60\n") == []
    course = make_course(db, tmp_path / "synced")
    row = db.session.get(CoursePretest, course.id)
    assert (row.questions, row.test_out) == (3, 60)


@pytest.mark.parametrize("pretest, line, words", [
    ("pretest: 3\n", 7, "holds settings written indented"),
    ("pretest:\n  questions: 7\n", 8, "from 1 to the number of questions in the final quiz "
     "03-kuis-akhir.md (6)"),
    ("pretest:\n  questions: 0\n", 8, "from 1 to the number"),
    ("pretest:\n  questions: tiga\n", 8, "from 1 to the number"),
    ("pretest:\n  test_out: 80\n", 7, "needs 'questions'"),
    ("pretest:\n  questions: 2\n  test_out: 0\n", 9, "'test_out' must be a whole number"),
    ("pretest:\n  questions: 2\n  test_out: 101\n", 9, "'test_out' must be a whole number"),
    ("pretest:\n  questions: 2\n  soal: 3\n", 9, "unknown key 'soal' under 'pretest'"),
])
def test_format_problems_name_their_line(tmp_path, english, pretest, line, words):
    found = problems(tmp_path, pretest)
    assert [(f, n) for f, n, *_ in found] == [("README.md", line)], found
    assert words in found[0][2]
    assert not found[0][3]  # an error, not a warning


def test_a_pretest_needs_a_quiz_to_draw_from(tmp_path, english):
    folder = write_course(tmp_path)
    for name in ("02-bagian.md", "03-kuis-akhir.md"):
        (folder / name).unlink()
    _, found = load(tmp_path)
    assert [(p.line, "no module of this course has a quiz" in str(p.message))
            for p in found if not p.warning] == [(7, True)]  # beside the JP warning


def test_a_pool_too_small_for_two_forms_is_a_warning(tmp_path, english):
    found = problems(tmp_path, "pretest:\n  questions: 4\n")  # 4 + draw 3 > 6
    assert [(f, n, w) for f, n, _, w in found] == [("README.md", 8, True)]
    assert "will repeat some pre-test questions" in found[0][2]


def test_unknown_course_keys_are_still_refused(tmp_path, english):
    found = problems(tmp_path, "pre_test:\n  questions: 3\n")
    assert found[0][1] == 7 and "unknown front-matter key 'pre_test'" in found[0][2]


# --- the parallel form ---------------------------------------------------------------

def _final(db, tmp_path, pool=6, draw=3):
    course = make_course(db, tmp_path, pool=pool, draw=draw,
                         pretest="pretest:\n  questions: 3\n")
    return course.current_modules[-1]


def test_the_post_test_avoids_the_pretest_items_when_the_pool_allows(db, tmp_path):
    final = _final(db, tmp_path)
    for seed in range(30):
        rng = random.Random(seed)
        avoid = frozenset(q.id for q in rng.sample(final.current_questions, 3))
        drawn = {d["q"] for d in quiz.draw(final, rng, avoid)}
        assert len(drawn) == 3 and not drawn & avoid


def test_a_small_pool_repeats_only_what_it_must(db, tmp_path):
    final = _final(db, tmp_path, pool=6, draw=4)
    for seed in range(30):
        rng = random.Random(seed)
        avoid = frozenset(q.id for q in rng.sample(final.current_questions, 3))
        drawn = {d["q"] for d in quiz.draw(final, rng, avoid)}
        assert len(drawn) == 4 and len(drawn & avoid) == 1  # the 3 others, plus one


def test_without_a_pretest_the_draw_is_as_before(db, tmp_path):
    """Same seed, same questions: the demo's and everyone's RNG sequence is unchanged."""
    final = _final(db, tmp_path)
    rng = random.Random(5)
    expected_ids = {q.id for q in rng.sample(final.current_questions, 3)}
    assert {d["q"] for d in quiz.draw(final, random.Random(5))} == expected_ids


# --- gain formulas, against hand-computed values --------------------------------------

def test_gain_figures_from_the_sums(english):
    # pre 40 60 20 80 50 (sum 250, mean 50), post 80 90 60 100 70 (sum 400, mean 80)
    g = Gain("x", 5, 250, 400)
    assert (g.mean_pre, g.mean_post, g.mean_gain) == ("50.0", "80.0", "+30.0")
    # Hake: (80 - 50) / (100 - 50) = 0.60
    assert g.normalised == "0.60" and g.normalised_hundredths == 60


def test_gain_rounding_and_a_loss(english):
    # pre 33 33 34 0 0 (sum 100, mean 20.0), post 20 20 20 20 17 (sum 97, mean 19.4)
    g = Gain("x", 5, 100, 97)
    assert (g.mean_pre, g.mean_post, g.mean_gain) == ("20.0", "19.4", "-0.6")
    assert g.normalised == "-0.01"  # -3 / 400 = -0.0075, half up to -0.01
    # 6 learners, pre sum 301 (50.1666..), post sum 452 (75.333..): g = 151 / 299 = 0.505
    h = Gain("y", 6, 301, 452)
    assert (h.mean_pre, h.mean_post, h.mean_gain, h.normalised) == (
        "50.2", "75.3", "+25.2", "0.51")


def test_no_normalised_gain_when_nobody_had_room_to_gain(english):
    assert Gain("x", 5, 500, 500).normalised == "–"


def test_small_groups_are_hidden_and_cannot_be_subtracted():
    rows = [Gain("A", 6, 300, 400), Gain("B", 3, 90, 200), Gain("C", 7, 350, 600)]
    shown, pooled = gains._protect(rows)
    by_name = {g.name: g for g in shown}
    assert by_name["B"].hidden == "small" and by_name["B"].learners is None
    # B alone (3) is under 5, so the next smallest (A, 6) is hidden too; C stays.
    assert by_name["A"].hidden == "protect" and by_name["C"].learners == 7
    assert (pooled.learners, pooled.pre_sum, pooled.post_sum) == (9, 390, 600)


def test_a_total_under_five_shows_nothing():
    total = gains._total([Gain("A", 2, 100, 150), Gain("B", 2, 50, 90)], "Kursus")
    assert total.hidden == "small" and total.learners is None
    assert gains._total([Gain("A", 5, 100, 150)], "Kursus").learners == 5
