"""Plain-language (B1) advice for Dutch text that staff write and residents read.

The hook for every form with such text: `readability_advice(text)` gives the advice, the macro
`templates/learning/_readability.html` shows it under the field (and, with JavaScript, keeps it
up to date through the JSON endpoint `learning.readability_check`), and `check_requested(form)`
tells a view that the "Check readability" button was pressed, so it re-renders the form with the
advice instead of saving. Advice only: nothing here ever blocks saving.

What is measured:
- the Flesch-Douma score (textstat with language "nl": 206.835 - 0.93 x words per sentence
  - 77 x syllables per word; 60 or more is about B1);
- sentences of more than 15 words;
- long words: more than 13 letters, or 5 syllables or more (4 syllables is common in plain Dutch:
  "vrijwilligers", "ontmoetingen");
- officialese words and phrases with a plainer alternative (table `plain_words`, editable by
  coordinators, seeded from portal/learning/plain_words.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markupsafe import Markup
from textstat.textstat import textstatistics

MAX_SENTENCE_WORDS = 15
MAX_WORD_LETTERS = 13
MAX_WORD_SYLLABLES = 4
PLAIN_SCORE = 60
MIN_WORDS_FOR_SCORE = 5
MAX_TEXT = 20_000
MAX_LISTED = 15
CHECK_BUTTON = "readability_check"

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*", re.UNICODE)


@lru_cache(maxsize=1)
def _dutch() -> textstatistics:
    """Our own textstat instance set to Dutch (set_lang on the instance, not the module)."""
    stats = textstatistics()
    stats.set_lang("nl")
    return stats


@dataclass(frozen=True)
class LongSentence:
    text: str
    words: int


@dataclass(frozen=True)
class LongWord:
    word: str
    letters: int
    syllables: int


@dataclass(frozen=True)
class Officialese:
    found: str
    plain: str


@dataclass
class Advice:
    words: int
    score: float | None
    long_sentences: list[LongSentence] = field(default_factory=list)
    long_words: list[LongWord] = field(default_factory=list)
    officialese: list[Officialese] = field(default_factory=list)

    @property
    def is_plain(self) -> bool:
        return (self.score is None or self.score >= PLAIN_SCORE) and not (
            self.long_sentences or self.long_words or self.officialese)

    @property
    def level(self) -> str:
        """easy, fair, hard, very_hard or unknown: the template words it."""
        if self.score is None:
            return "unknown"
        if self.score >= 70:
            return "easy"
        if self.score >= PLAIN_SCORE:
            return "fair"
        if self.score >= 30:
            return "hard"
        return "very_hard"

    def as_dict(self) -> dict:
        return {
            "words": self.words, "score": self.score, "level": self.level,
            "is_plain": self.is_plain,
            "long_sentences": [{"text": s.text, "words": s.words} for s in self.long_sentences],
            "long_words": [{"word": w.word, "letters": w.letters, "syllables": w.syllables}
                           for w in self.long_words],
            "officialese": [{"found": o.found, "plain": o.plain} for o in self.officialese],
        }


def plain_text(text: str) -> str:
    """Text without HTML tags or entities (descriptions may hold sanitised HTML)."""
    text = re.sub(r"</(p|li|h\d)>|<br\s*/?>", "\n", text or "", flags=re.IGNORECASE)
    return Markup(text).striptags() if "<" in text or "&" in text else text


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def syllables(word: str) -> int:
    return max(1, _dutch().syllable_count(word.lower()))


def _long_word(word: str) -> LongWord | None:
    letters = sum(1 for ch in word if ch.isalpha())
    count = syllables(word)
    if letters > MAX_WORD_LETTERS or count > MAX_WORD_SYLLABLES:
        return LongWord(word, letters, count)
    return None


def _officialese_pattern(pairs: tuple[tuple[str, str], ...]):
    if not pairs:
        return None, {}
    lookup = {" ".join(o.lower().split()): p for o, p in pairs}
    alternatives = sorted(lookup, key=len, reverse=True)
    pattern = r"(?<![^\W_])(?:" + "|".join(
        r"\s+".join(re.escape(part) for part in o.split()) for o in alternatives) + r")(?![^\W_])"
    return re.compile(pattern, re.IGNORECASE | re.UNICODE), lookup


_pattern_cache: dict = {}


def _compiled(pairs: tuple[tuple[str, str], ...]):
    if pairs not in _pattern_cache:
        if len(_pattern_cache) > 8:
            _pattern_cache.clear()
        _pattern_cache[pairs] = _officialese_pattern(pairs)
    return _pattern_cache[pairs]


def analyse(text: str, pairs) -> Advice:
    """The advice for this text with these (officialese, plain) pairs. Pure: no database."""
    text = plain_text(text or "")[:MAX_TEXT]
    all_words = words(text)
    score = None
    if len(all_words) >= MIN_WORDS_FOR_SCORE:
        score = round(_dutch().flesch_reading_ease(text), 1)
    long_sentences = []
    for sentence in sentences(text):
        count = len(words(sentence))
        if count > MAX_SENTENCE_WORDS:
            long_sentences.append(LongSentence(sentence, count))
    seen, long_words = set(), []
    for word in all_words:
        if word.lower() in seen:
            continue
        seen.add(word.lower())
        found = _long_word(word)
        if found:
            long_words.append(found)
    pattern, lookup = _compiled(tuple(sorted(pairs)))
    officialese, found_keys = [], set()
    if pattern is not None:
        for match in pattern.finditer(text):
            key = " ".join(match.group(0).lower().split())
            if key not in found_keys:
                found_keys.add(key)
                officialese.append(Officialese(match.group(0), lookup[key]))
    return Advice(len(all_words), score, long_sentences[:MAX_LISTED], long_words[:MAX_LISTED],
                  officialese[:MAX_LISTED])


def active_pairs() -> list[tuple[str, str]]:
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.learning.models import PlainWord

    return [(officialese, plain) for officialese, plain in db.session.execute(
        sa.select(PlainWord.officialese, PlainWord.plain).where(PlainWord.is_active.is_(True)))]


def readability_advice(text: str) -> Advice:
    """The hook: advice for a text, with the coordinators' current list of plain words."""
    return analyse(text, active_pairs())


def check_requested(formdata) -> bool:
    """True when the form was sent with the "Check readability" button (show advice, not save)."""
    return formdata.get(CHECK_BUTTON) is not None


def advice_for_fields(*fields) -> dict[str, Advice]:
    """{field id: advice} for the fields to check, as the readability macro expects."""
    return {f.id: readability_advice(f.data or "") for f in fields}
