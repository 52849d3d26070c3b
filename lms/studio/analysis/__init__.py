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
- **Options.** `AttemptAnswer.response` holds the ORIGINAL option indexes as strings (the
  quiz page sends display positions and `quiz.read_answers` maps them back through the
  attempt's drawn order, so shuffling changes display order, not stored values). Counts are
  per option index per version; a multiple-choice answer counts once for each option it
  holds, so shares can add up to more than 100%. Each version is shown with its own wording
  and key, kept in `question_version` when it was published; versions answered before that
  table existed show their options by number. Short-text questions show the five most common
  wrong answers instead, merged by `quiz.normalise` (case, Unicode forms and spaces
  ignored).
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


# The public names, re-exported so callers write `analysis.module_stats`.
from lms.studio.analysis.course import course_stats, quiz_summaries
from lms.studio.analysis.figures import (
    FLAGS,
    GROUP_PERCENT,
    MIN_ANSWERS,
    MIN_GROUP,
    TOO_EASY,
    TOO_HARD,
    TOP_WRONG_TEXTS,
    WEAK_DISCRIMINATION,
    Breakdown,
    Flag,
    Group,
    flags_for,
    group_size,
    protect,
)
from lms.studio.analysis.questions import module_stats
from lms.studio.analysis.results import (
    CourseStats,
    ModuleFunnel,
    ModuleStats,
    OptionCount,
    QuestionStats,
    QuizSummary,
    Stop,
    VersionStats,
    WrongText,
)

__all__ = [
    "FLAGS", "GROUP_PERCENT", "MIN_ANSWERS", "MIN_GROUP", "TOO_EASY", "TOO_HARD",
    "TOP_WRONG_TEXTS", "WEAK_DISCRIMINATION",
    "Breakdown", "CourseStats", "Flag", "Group", "ModuleFunnel", "ModuleStats", "OptionCount",
    "QuestionStats", "QuizSummary", "Stop", "VersionStats", "WrongText",
    "course_stats", "flags_for", "group_size", "module_stats", "protect", "quiz_summaries",
]
