"""The rules every figure follows: thresholds, flags, the upper/lower group size and the
OPD privacy rule. Plain Python, no queries, so the rules can be tested on their own."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.core import numbers

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


def percent_of(part: int | None, whole: int | None) -> int | None:
    """Rounded half up (lms.core.numbers); None when there is nothing to count."""
    return numbers.percent(part, whole) if whole and part is not None else None


def mean_of(total: int | None, count: int | None) -> int | None:
    return numbers.half_up(total, count) if count and total is not None else None


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
    return max(1, numbers.half_up(GROUP_PERCENT * n, 100))


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
        return percent_of(self.hits, self.learners)

    @property
    def mean_score(self) -> int | None:
        return mean_of(self.score_sum, self.learners)


@dataclass
class Breakdown:
    groups: list[Group]       # by name; hidden ones without figures
    pooled: Group | None      # the hidden ones together, when they reach MIN_GROUP

    @property
    def any_hidden(self) -> bool:
        return any(g.hidden for g in self.groups)


def to_hide(sizes: list[int], names: list[str]) -> dict[int, str]:
    """Which groups to hide, by index, and why: "small" under MIN_GROUP people, then
    "protect" for the next smallest until the hidden ones together reach MIN_GROUP (or
    all are hidden), so no small group's figures can be worked out by subtraction from
    the total. Used by every breakdown that shows people's answers in groups."""
    shown = sorted((i for i, n in enumerate(sizes) if n >= MIN_GROUP),
                   key=lambda i: (sizes[i], names[i]))
    hidden = {i: "small" for i, n in enumerate(sizes) if n < MIN_GROUP}
    pool = sum(sizes[i] for i in hidden)
    while 0 < pool < MIN_GROUP and shown:
        extra = shown.pop(0)
        hidden[extra] = "protect"
        pool += sizes[extra]
    return hidden


def protect(rows: list[Group]) -> Breakdown:
    """Groups under MIN_GROUP hidden, and as many more as `to_hide` says, with the hidden
    ones pooled when they reach MIN_GROUP together."""
    reasons = to_hide([g.learners for g in rows], [g.name for g in rows])
    shown = [g for i, g in enumerate(rows) if i not in reasons]
    hidden = [(rows[i], reason) for i, reason in reasons.items()]
    pool = sum(g.learners for g, _ in hidden)
    pooled = None
    if hidden and pool >= MIN_GROUP:
        parts = [g for g, _ in hidden]
        scores = [g.score_sum for g in parts]
        pooled = Group(_l("Hidden OPDs together"), pool, sum(g.hits for g in parts),
                       None if None in scores else sum(scores))
    out = list(shown) + [Group(g.name, None, None, None, why) for g, why in hidden]
    return Breakdown(sorted(out, key=lambda g: g.name), pooled)
