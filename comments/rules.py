"""Moderation rules for reader comments (being written: see issue 4).

``check(...)`` returns a Verdict: publish, hold or reject, with the reasons.
"""

from dataclasses import dataclass, field

PUBLISH, HOLD, REJECT = "publish", "hold", "reject"


@dataclass
class Reason:
    code: str  # e.g. "banned_word", "suspect_word", "folded_match", "links", "phone"…
    label: str  # translated, shown in the queue
    matched: list = field(default_factory=list)  # the pieces of text that matched

    def as_dict(self):
        return {"code": self.code, "label": str(self.label), "matched": list(self.matched)}


@dataclass
class Verdict:
    action: str = PUBLISH
    reasons: list = field(default_factory=list)


def check(text, name="", *, mode="pre", first_time=False):
    """Judge a comment's text and name. ``mode`` is the article's effective
    mode ("pre" or "post"); ``first_time`` is True when the commenter has no
    approved comment yet."""
    return Verdict(action=HOLD if mode == "pre" else PUBLISH)
