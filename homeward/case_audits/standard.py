"""The written standard each sampled case is audited against: seven questions, in the
inspectors' words, each with what the evidence drawn from the record means
(docs/case-audit.md says the same, with the rules in full)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    key: str
    number: int
    text: str
    evidence: str  # how the evidence is drawn from the record


STANDARD: tuple[Question, ...] = (
    Question(
        "risk",
        1,
        "Was risk assessed, and was it re-graded when things changed?",
        "Every risk grading of the episode, with when and by whom. Things changed when the "
        "classification changed, or a sighting, call or further report was added: a "
        "re-grading should follow the first change.",
    ),
    Question(
        "check",
        2,
        "Was the safe and well check done and shared?",
        "The police safe and well check after the return: done (when, by whom) and who it "
        "was shared with, or why it was not done.",
    ),
    Question(
        "interview",
        3,
        "Was the return interview offered and done within 72 hours?",
        "The return interview covering the episode: when it was offered, the outcome, and "
        "when it was done against the 72 hours from the return.",
    ),
    Question(
        "words",
        4,
        "Were the child's words recorded?",
        "The child's own account in the return interview, or failing that in the safe and "
        "well check.",
    ),
    Question(
        "plan",
        5,
        "Was the plan updated?",
        "Versions of the child's risk management plan written from the episode's start to "
        "28 days after the return, and plan reviews done in that time.",
    ),
    Question(
        "meeting",
        6,
        "Was a meeting held when the threshold was met?",
        "The threshold is met by a high-risk grading or by the council's repeat rule "
        "(default 3 episodes in 90 days). The strategy meetings about the child from the "
        "episode's start to 28 days after the return.",
    ),
    Question(
        "board",
        7,
        "Was the board told?",
        "The council's corporate parenting board report for the quarter the episode "
        "started in, and when it was made.",
    ),
)

QUESTIONS = {q.key: q for q in STANDARD}
KEYS = tuple(q.key for q in STANDARD)
