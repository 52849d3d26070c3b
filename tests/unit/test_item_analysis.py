"""Item analysis: every figure checked against values worked out by hand.

The quiz of module "pengantar" in tests/data/courses/dasar (pass mark 75) has
  Q1 sandi-kuat      single choice, options 0..2, key [1]
  Q2 kebiasaan-aman  multiple choice, options 0..2, key [0, 2]
  Q3 otp-bank        true/false, options 0..1, key [1]
  Q4 singkatan-otp   short text
Attempt scores are set directly (they need not match these four answers: the analysis
ranks by the stored score, as the quiz may hold other questions).
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from lms.core import clock
from lms.learning import progress, quiz
from lms.models import AttemptAnswer, Module, Question, QuizAttempt
from lms.studio import analysis as ia
from tests.support.factories import make_employee

T0 = datetime(2026, 2, 2, 2, 0, tzinfo=UTC)


def sit(db, employee, module, score, answers, minutes=0):
    """A submitted attempt; answers: [(question, response, correct[, version])]."""
    attempt = QuizAttempt(employee_id=employee.id, module_id=module.id, drawn=[],
                          started_at=T0 + timedelta(minutes=minutes - 5),
                          submitted_at=T0 + timedelta(minutes=minutes), score=score,
                          passed=score >= module.pass_mark)
    db.session.add(attempt)
    db.session.flush()
    for question, response, correct, *version in answers:
        db.session.add(AttemptAnswer(attempt_id=attempt.id, question_id=question.id,
                                     question_version=version[0] if version else 1,
                                     response=response, correct=correct))
    db.session.flush()
    return attempt


def questions(course):
    module = course.current_modules[0]
    return module, {q.key: q for q in module.current_questions}


def learner(org, i, where):
    return make_employee(f"19900101202001{i:04d}", org[where])


@pytest.fixture
def eleven(db, org, course):
    """11 learners' first attempts, a retake and two open attempts.

    score  OPD (top level)         Q1 resp ok  Q2 resp     ok  Q3 (version) ok  Q4 text
    100    kominfo                 1       T   -               v1 T            one time password T
     90    kominfo (aptika unit)   1       T   0           F   v1 T            Kode Rahasia F
     80    kominfo                 0       F   -               v1 T            kode rahasia F
     75    kominfo (aptika unit)   1       T   0,2         T   v1 F            koderahasia F
     70    kominfo                 1       T   -               v1 T            password F
     60    kominfo                 2       F   0,2         T   v1 T            ｐａｓｓｗｏｒｄ F
     50    kecamatan (kel1)        1       T   -               v2 T            kode sekali pakai T
     40    kecamatan (kel2)        0       F   0,2         T   v2 F
     30    kecamatan               0       F   -               v2 F
     20    bkpsdm                  1       T   -               v2 F
     10    bkpsdm                  2       F   2,0         T   v2 F
    The 10-point learner retakes later (100, all right): ignored by question figures.
    """
    module, q = questions(course)
    q["otp-bank"].version = 2  # the trainer edited Q3 after six learners answered it
    rows = [
        (100, "kominfo", ("1", True), None, (1, True), ("one time password", True)),
        (90, "aptika", ("1", True), (["0"], False), (1, True), ("Kode Rahasia", False)),
        (80, "kominfo", ("0", False), None, (1, True), ("kode rahasia", False)),
        (75, "aptika", ("1", True), (["0", "2"], True), (1, False), ("koderahasia", False)),
        (70, "kominfo", ("1", True), None, (1, True), ("password", False)),
        (60, "kominfo", ("2", False), (["0", "2"], True), (1, True),
         ("ｐａｓｓｗｏｒｄ", False)),
        (50, "kel1", ("1", True), None, (2, True), ("kode sekali pakai", True)),
        (40, "kel2", ("0", False), (["0", "2"], True), (2, False), None),
        (30, "kec", ("0", False), None, (2, False), None),
        (20, "bkpsdm", ("1", True), None, (2, False), None),
        (10, "bkpsdm", ("2", False), (["2", "0"], True), (2, False), None),
    ]
    people = []
    for i, (score, where, q1, q2, q3, q4) in enumerate(rows):
        person = learner(org, i, where)
        people.append(person)
        answers = [(q["sandi-kuat"], [q1[0]], q1[1])]
        if q2:
            answers.append((q["kebiasaan-aman"], q2[0], q2[1]))
        version, ok = q3
        answers.append((q["otp-bank"], ["1" if ok else "0"], ok, version))
        if q4:
            answers.append((q["singkatan-otp"], [q4[0]], q4[1]))
        sit(db, person, module, score, answers, minutes=i)
    # A retake after seeing the explanations, and open (unsubmitted) attempts.
    sit(db, people[10], module, 100, [(q["sandi-kuat"], ["1"], True),
                                      (q["otp-bank"], ["1"], True, 2)], minutes=60)
    db.session.add(QuizAttempt(employee_id=people[9].id, module_id=module.id, drawn=[]))
    only_open = learner(org, 99, "kominfo")
    db.session.add(QuizAttempt(employee_id=only_open.id, module_id=module.id, drawn=[]))
    db.session.flush()
    return module, q


def by_key(stats):
    return {s.question.key: s for s in stats.questions}


def test_facility_and_discrimination_by_hand(db, eleven):
    module, _ = eleven
    q1 = by_key(ia.module_stats(db.session, module))["sandi-kuat"]
    [v] = q1.versions
    # Facility: 6 of the 11 first attempts are right (the retake's right answer is not
    # counted): p = 6/11 = 0.545.
    assert (v.answers, v.correct) == (11, 6)
    assert v.facility == pytest.approx(6 / 11)
    assert v.facility_percent == 55
    # Discrimination: n = 11, g = round(0.27 * 11) = round(2.97) = 3.
    # Upper group: scores 100, 90, 80 -> right, right, wrong: p_upper = 2/3.
    # Lower group: scores 30, 20, 10 -> wrong, right, wrong: p_lower = 1/3.
    # D = 2/3 - 1/3 = 0.333.
    assert (v.group, v.upper_correct, v.lower_correct) == (3, 2, 1)
    assert v.discrimination == pytest.approx(1 / 3)


def test_discrimination_ranks_only_those_who_answered_that_question(db, eleven):
    module, _ = eleven
    q2 = by_key(ia.module_stats(db.session, module))["kebiasaan-aman"]
    [v] = q2.versions
    # Drawn for 5 learners (scores 90, 75, 60, 40, 10): p = 4/5. n = 5, g = round(1.35)
    # = 1: upper is the 90 (wrong), lower the 10 (right): D = 0 - 1 = -1. Ranked among
    # all 11, the groups would be 100/90/80 and 30/20/10 instead.
    assert (v.answers, v.correct, v.group) == (5, 4, 1)
    assert (v.upper_correct, v.lower_correct) == (0, 1)
    assert v.discrimination == -1


def test_group_size_rounds_half_up_and_is_at_least_one():
    assert [ia.group_size(n) for n in (1, 2, 4, 5, 6, 11, 20, 50, 100)] == \
        [1, 1, 1, 1, 2, 3, 5, 14, 27]  # 0.27*50 = 13.5 -> 14; 0.27*6 = 1.62 -> 2


def test_ties_in_score_rank_the_earlier_attempt_higher(db, org, course):
    module, q = questions(course)
    # Four learners all score 50: n = 4, g = 1. The earliest attempt (right) is the
    # upper group, the latest (wrong) the lower group: D = 1 - 0 = 1.
    for i, ok in enumerate([True, False, True, False]):
        sit(db, learner(org, i, "kominfo"), module, 50,
            [(q["sandi-kuat"], ["1" if ok else "0"], ok)], minutes=i)
    [v] = by_key(ia.module_stats(db.session, module))["sandi-kuat"].versions
    assert (v.group, v.upper_correct, v.lower_correct, v.discrimination) == (1, 1, 0, 1)


def test_option_counts_use_original_indexes(db, eleven):
    module, q = eleven
    stats = by_key(ia.module_stats(db.session, module))
    [v1] = stats["sandi-kuat"].versions
    assert [(o.index, o.count, o.percent, o.correct) for o in v1.options] == [
        (0, 3, 27, False), (1, 6, 55, True), (2, 2, 18, False)]
    assert v1.options[1].html == q["sandi-kuat"].options[1]
    # Multiple choice: each chosen option counts (["0","2"] four times, ["0"] once).
    [v2] = stats["kebiasaan-aman"].versions
    assert [(o.index, o.count) for o in v2.options] == [(0, 5), (1, 0), (2, 4)]


def test_shuffled_attempts_store_original_option_indexes(db, org, course):
    """The premise of the option counts: the form sends display positions, and
    read_answers stores the original indexes."""
    import random
    module, q = questions(course)
    module.shuffle = True
    person = learner(org, 1, "kominfo")
    attempt = quiz.start(db.session, person.id, module, rng=random.Random(3))
    [shown] = [d["o"] for d in attempt.drawn if d["q"] == q["sandi-kuat"].id]
    assert shown.index(1) != 1  # the right option is shown somewhere else
    by_id = {x.id: x for x in q.values()}
    form = {f"q{d['q']}": ["one time password"] if by_id[d["q"]].kind == "text"
            else [str(d["o"].index(by_id[d["q"]].answer[0]))] for d in attempt.drawn}
    quiz.grade(db.session, attempt, quiz.read_answers(db.session, attempt, form))
    [v] = by_key(ia.module_stats(db.session, module))["sandi-kuat"].versions
    assert [o.count for o in v.options] == [0, 1, 0]  # key [1], whatever the shown order


def test_versions_are_reported_separately(db, eleven):
    module, q = eleven
    item = by_key(ia.module_stats(db.session, module))["otp-bank"]
    v2, v1 = item.versions  # newest first
    assert (v2.version, v2.current, v2.answers, v2.correct) == (2, True, 5, 1)
    assert (v1.version, v1.current, v1.answers, v1.correct) == (1, False, 6, 5)
    # v1: n = 6, g = 2; upper 100, 90 both right, lower 70, 60 both right: D = 0.
    # v2: n = 5, g = 1; upper 50 right, lower 10 wrong: D = 1.
    assert (v1.discrimination, v2.discrimination) == (0, 1)
    # Each version is shown with its own wording, kept when it was published.
    assert [o.html for o in v1.options] == ["Benar", "Salah"] and v1.options[1].count == 5
    assert v1.prompt_html and "OTP" in v1.prompt_html and v2.prompt_html is None
    assert [o.html for o in v2.options] == q["otp-bank"].options
    assert [o.count for o in v2.options] == [4, 1]


def test_versions_from_before_wordings_were_kept_show_option_numbers(db, eleven):
    from lms.models import QuestionVersion
    module, q = eleven
    db.session.execute(delete(QuestionVersion).where(
        QuestionVersion.question_id == q["otp-bank"].id, QuestionVersion.version == 1))
    item = by_key(ia.module_stats(db.session, module))["otp-bank"]
    v2, v1 = item.versions
    assert [o.html for o in v1.options] == [None, None] and v1.prompt_html is None
    assert [o.correct for o in v1.options] == [None, None] and v1.options[1].count == 5


def test_wrong_short_answers_are_merged_after_normalising(db, eleven):
    module, _ = eleven
    [v] = by_key(ia.module_stats(db.session, module))["singkatan-otp"].versions
    assert (v.answers, v.correct) == (7, 2)
    assert [w.count for w in v.wrong_texts] == [3, 2]
    assert quiz.normalise(v.wrong_texts[0].text) == "koderahasia"
    assert quiz.normalise(v.wrong_texts[1].text) == "password"
    assert v.options == []


def test_top_five_wrong_answers_only(db, org, course):
    module, q = questions(course)
    for i in range(7):
        for j in range(i + 1):  # answer "w<i>" given i + 1 times
            sit(db, learner(org, i * 10 + j, "kominfo"), module, 0,
                [(q["singkatan-otp"], [f"w{i}"], False)], minutes=i)
    [v] = by_key(ia.module_stats(db.session, module))["singkatan-otp"].versions
    assert [(w.text, w.count) for w in v.wrong_texts] == [
        ("w6", 7), ("w5", 6), ("w4", 5), ("w3", 4), ("w2", 3)]


def test_opd_breakdown_hides_groups_under_five(db, eleven):
    module, _ = eleven
    stats = ia.module_stats(db.session, module)
    [v] = by_key(stats)["sandi-kuat"].versions
    groups = {g.name: g for g in v.opds.groups}
    # Aptika staff count under Diskominfo, kelurahan staff under the kecamatan.
    kominfo = groups["Dinas Komunikasi dan Informatika"]
    assert (kominfo.learners, kominfo.hits, kominfo.percent, kominfo.hidden) == (6, 4, 67, None)
    for name in ("Kecamatan Pamulang", "BKPSDM"):  # 3 and 2 learners
        assert (groups[name].learners, groups[name].hits, groups[name].hidden) == \
            (None, None, "small")
    # Together the two hidden ones have 5 learners: shown pooled (2 of 5 right).
    assert (v.opds.pooled.learners, v.opds.pooled.hits) == (5, 2)
    # The quiz by OPD: Diskominfo 6 first attempts, 4 passed, mean 475/6 = 79.
    quiz_kominfo = {g.name: g for g in stats.opds.groups}["Dinas Komunikasi dan Informatika"]
    assert (quiz_kominfo.learners, quiz_kominfo.hits, quiz_kominfo.mean_score) == (6, 4, 79)


def test_small_groups_cannot_be_worked_out_by_subtraction():
    b = ia.protect([ia.Group("A", 10, 5), ia.Group("B", 6, 3), ia.Group("C", 2, 1)])
    hidden = {g.name: g.hidden for g in b.groups}
    # C alone (2) is under 5; showing A and B would reveal C as total minus A minus B,
    # so B (the smallest shown) is hidden too, and B + C (8) are shown together.
    assert hidden == {"A": None, "B": "protect", "C": "small"}
    assert (b.pooled.learners, b.pooled.hits) == (8, 4)
    b = ia.protect([ia.Group("A", 3, 1), ia.Group("B", 1, 1)])
    assert [g.hidden for g in b.groups] == ["small", "small"] and b.pooled is None
    b = ia.protect([ia.Group("A", 5, 1), ia.Group("B", 7, 1)])
    assert [g.hidden for g in b.groups] == [None, None] and b.pooled is None


def test_flag_thresholds():
    codes = lambda *args: [f.code for f in ia.flags_for(*args)]  # noqa: E731
    assert codes(19, 1.0, -0.5) == []                  # not enough answers yet
    assert codes(20, 0.95, 0.25) == ["too_easy"]
    assert codes(20, 0.90, 0.25) == []                 # p > 0.90 only
    assert codes(20, 0.29, 0.25) == ["too_hard"]
    assert codes(20, 0.30, 0.25) == []
    assert codes(20, 0.5, -0.01) == ["negative"]
    assert codes(20, 0.5, 0.0) == ["weak"]
    assert codes(20, 0.5, 0.19) == ["weak"]
    assert codes(20, 0.5, 0.20) == []
    assert all(f.hint for f in ia.flags_for(20, 0.95, -1))


def test_flags_need_twenty_answers(db, eleven, org):
    module, q = eleven
    stats = by_key(ia.module_stats(db.session, module))
    [v] = stats["sandi-kuat"].versions
    assert not v.enough and v.flags == []
    # 20 learners who all get Q1 right: too easy, and D = 1 - 1 = 0 tells nobody apart.
    for i in range(20):
        sit(db, learner(org, 100 + i, "bkpsdm"), module, 50 + i,
            [(q["kebiasaan-aman"], ["0", "2"], True)], minutes=i)
    [v] = by_key(ia.module_stats(db.session, module))["kebiasaan-aman"].versions
    assert v.answers == 25 and v.enough
    # 24 of 25 right (p = 0.96): g = round(6.75) = 7; the only wrong answer (score 90)
    # is in the upper group (scores 90, 75, 69..65), the lower group (10, 40, 50..54) is
    # all right: D = 6/7 - 7/7 = -0.14.
    assert [f.code for f in v.flags] == ["too_easy", "negative"]


def test_removed_and_unanswered_questions(db, eleven):
    module, q = eleven
    q["singkatan-otp"].retired_at = clock.now()
    extra = Question(module_id=module.id, key="baru", position=9, kind="truefalse",
                     prompt_html="<p>Baru</p>", options=["Benar", "Salah"], answer=[0])
    db.session.add(extra)
    db.session.flush()
    db.session.expire(module)
    items = ia.module_stats(db.session, module).questions
    assert [(s.question.key, s.number) for s in items] == [
        ("sandi-kuat", 1), ("kebiasaan-aman", 2), ("otp-bank", 3), ("baru", 4),
        ("singkatan-otp", None)]
    assert items[-1].retired and items[3].current_unanswered and items[3].versions == []


def test_quiz_summary_first_attempts(db, eleven):
    module, _ = eleven
    s = ia.module_stats(db.session, module).summary
    # 12 submitted attempts by 11 learners (open attempts do not count). First attempts:
    # 100, 90, 80, 75 pass (mark 75): 4/11 = 36%; mean 625/11 = 56.8 -> 57. The retake
    # passes too: 5 of 11 passed in the end.
    assert (s.attempts, s.learners, s.first_passed, s.pass_percent) == (12, 11, 4, 36)
    assert (s.mean_score, s.passed_ever, s.passed_ever_percent) == (57, 5, 45)


def test_course_funnel_and_where_learners_stop(db, org, course):
    db.session.add(Module(course_id=course.id, key="tambahan", position=99, title="Tambahan"))
    db.session.flush()
    db.session.expire(course)
    first, second, third = course.current_modules
    e = [learner(org, i, "kominfo") for i in range(7)]
    progress.enroll(db.session, e[0].id, course)               # nothing done: stops at 0
    quiz.start(db.session, e[1].id, first)                     # open attempt: started 1
    progress.complete_module(db.session, e[2].id, first)       # stops after 1
    progress.complete_module(db.session, e[3].id, second)      # skipped 1: after 2
    for module in (first, second):                             # after 2
        progress.complete_module(db.session, e[4].id, module)
    for module in (first, second, third):                      # course completed
        progress.complete_module(db.session, e[5].id, module)
    sit(db, e[6], first, 40, [])  # failed quiz; sit() writes no enrolment: started all the same
    stats = ia.course_stats(db.session, course)
    assert (stats.enrolled, stats.completed, stats.not_completed) == (6, 1, 5)
    assert [(f.number, f.started, f.finished) for f in stats.funnel] == [
        (1, 5, 3), (2, 3, 3), (3, 1, 1)]
    assert stats.funnel[0].finished_percent == 60
    assert [(s.after, s.learners) for s in stats.stops] == [(0, 2), (1, 1), (2, 2), (3, 0)]
    assert [s.module for s in stats.stops] == [None, first, second, third]
    [summary] = stats.quizzes
    assert (summary.module, summary.learners, summary.attempts, summary.first_passed) == \
        (first, 1, 1, 0)
