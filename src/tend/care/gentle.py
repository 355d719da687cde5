"""A gentle-language check: notices words that can land as an attack, and offers another way.

It runs here, on plain rules (regular expressions and a few word lists): no model, no
service, nothing sent anywhere, nothing stored or logged. It explains and never blocks:
the person decides whether to change a word, and can always send what they wrote.

Three kinds of words are noticed:

1. **blame** puts one's own feeling on the other ("you made me", "because of you",
   "it's your fault", "you always make me");
2. **absolute** turns a moment into a verdict ("you always", "you never", "every time
   you", "nothing you do");
3. **contempt** judges the person: names ("idiot", "selfish", "liar", ...) aimed at
   "you", and put-downs ("what's wrong with you", "grow up", "shut up", "whatever").

Choices, pinned by the corpus in tests/care/test_gentle.py:

- Only what is aimed at the other counts. "I always", "we never", "never mind",
  "I have always loved you", "I feel stupid" and "you called me lazy" are not flagged.
- Negated and reassuring forms are not flagged: "it's not your fault", "you're not
  lazy", "I'm not saying you never help".
- Warm uses are not flagged: "you always make me laugh", "every time you hug me",
  "you never judge me", "whatever you need", "you never know".
- Quoted words are reported, not aimed: in `When you said "you never listen", I felt
  small` nothing is flagged.
- A plain question ("do you always walk this way?") is not flagged; "why do you always"
  is.
- Curly apostrophes and any letter case are read as their plain forms.

Rules like these miss things and sometimes flag a kind sentence; the page says so, and
the corpus grows when someone finds a case.

Other languages: `check` reads the text by the rules of the language the person uses
(the one active, or `language`), from `tend.care.gentle_<code>` when there is one (its
own word lists and patterns, these same kinds and guidance), and by these English rules
otherwise. README, "Adding a language".
"""

import contextvars
import functools
import importlib
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tend.care.gentle_words import (
    AUXILIARIES,
    CLAIMS,
    INSULTS,
    KIND_AFTER_NEVER,
    MADE_FOR,
    NEGATIONS,
    NEGATIVE,
    OBJECT_OF,
    OTHERS,
    POSITIVE,
    SAYINGS,
    YOU,
)

BLAME = "blame"
ABSOLUTE = "absolute"
CONTEMPT = "contempt"


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    why: Promise
    suggestion: Promise


KINDS: dict[str, Kind] = {
    BLAME: Kind(
        BLAME,
        _("Blame"),
        _(
            "This puts what you feel on them. It tends to be heard as an accusation, "
            "and people defend themselves instead of listening."
        ),
        _("Try: “I feel … when … because I need …”"),
    ),
    ABSOLUTE: Kind(
        ABSOLUTE,
        _("Always and never"),
        _(
            "Words like “always” and “never” turn one moment into a verdict about who "
            "they are. They may argue with the exception and miss what you mean."
        ),
        _("Try naming one moment: “When … happened, I felt … because I need …”"),
    ),
    CONTEMPT: Kind(
        CONTEMPT,
        _("Put-downs"),
        _(
            "Names and put-downs judge the person, not what happened. They hurt, and "
            "make it hard for either of you to stay open."
        ),
        _("Try saying what hurt instead: “I felt … when … because I need …”"),
    ),
}


@dataclass(frozen=True)
class Flag:
    kind: str
    phrase: str  # as the person wrote it: text[start:end]
    start: int
    end: int
    why: str
    suggestion: str


@dataclass(frozen=True)
class Group:
    """The flags of one kind, for showing the explanation once."""

    kind: Kind
    phrases: tuple[str, ...]


# --- Reading the text ---------------------------------------------------------------------

# One character for one, so that positions in the normalised text are positions in the
# original: curly and other apostrophes become a plain one.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u2032`\u00b4", "'"))
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;\n\u2026]")
# Quotations, found in the original text (the curly quotes still tell opening from
# closing there). A straight or curly single quote only opens after a non-letter and
# only closes before one, so "don't" inside a quotation does not end it.
_QUOTES = re.compile(
    r"\"[^\"\n]*\"|\u201c[^\u201d\n]*\u201d|\u00ab[^\u00bb\n]*\u00bb|\u201e[^\u201c\u201d\n]*[\u201c\u201d]"
    r"|(?<![\w'])'[^\n]+?'(?!\w)|(?<![\w\u2019])\u2018[^\n]+?\u2019(?!\w)"
)


@dataclass
class _Text:
    original: str
    norm: str  # the same length: plain apostrophes (case is left alone, so offsets hold)
    quotes: list[tuple[int, int]]

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        before = [m.end() for m in _SENTENCE_END.finditer(self.norm, 0, start)]
        after = _SENTENCE_END.search(self.norm, end)
        return (before[-1] if before else 0), (after.start() if after else len(self.norm))

    def words_before(self, start: int, count: int = 6) -> list[str]:
        begin, _end = self.sentence(start, start)
        return [w.lower() for w in _WORD.findall(self.norm, begin, start)[-count:]]

    def words_after(self, end: int, count: int = 6) -> list[str]:
        _begin, stop = self.sentence(end, end)
        return [w.lower() for w in _WORD.findall(self.norm, end, stop)[:count]]

    def quoted(self, start: int, end: int) -> bool:
        return any(q_start <= start and end <= q_end for q_start, q_end in self.quotes)


def _negated(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def _denied(before: list[str]) -> bool:
    """A denial just before: "not", "isn't", or "I'm not saying", "I never said"."""
    for i, word in enumerate(before):
        if not _negated(word):
            continue
        following = before[i + 1 : i + 3]
        if word in {"can't", "cannot"} and following[:1] == ["believe"]:
            continue  # "I can't believe you never ..." is not a denial
        if i >= len(before) - 2 or any(c in CLAIMS for c in following):
            return True
    return False


def _warm(words: list[str]) -> bool:
    """Words around a phrase that make it kind: something warm, and nothing sore."""
    return any(w in POSITIVE for w in words) and not any(
        w in NEGATIVE or w in INSULTS or _negated(w) for w in words
    )


def _asked(before: list[str]) -> bool:
    """A plain question ("do you always ..."), but not "why do you always ..."."""
    if not before or before[-1] not in AUXILIARIES:
        return False
    return not (len(before) >= 2 and before[-2] in {"why", "how"})


# --- Rules ----------------------------------------------------------------------------------

# A guard answers "is this match, in its place, not meant as an attack?"
Guard = Callable[[_Text, re.Match[str]], bool]


def _not_denied(t: _Text, m: re.Match[str]) -> bool:
    return _denied(t.words_before(m.start()))


def _not_asked(t: _Text, m: re.Match[str]) -> bool:
    return _asked(t.words_before(m.start(), 3))


def _not_subject(t: _Text, m: re.Match[str]) -> bool:
    """ "you" is someone else's object here: "I'll be there for you always"."""
    before = t.words_before(m.start(), 1)
    return bool(before) and before[0] in OBJECT_OF


def _warm_after(t: _Text, m: re.Match[str]) -> bool:
    return _warm(t.words_after(m.end()))


def _warm_around(t: _Text, m: re.Match[str]) -> bool:
    return _warm(t.words_before(m.start(), 5) + t.words_after(m.end()))


def _made_for(t: _Text, m: re.Match[str]) -> bool:
    after = t.words_after(m.end(), 1)
    return bool(after) and after[0] in MADE_FOR


def _kind_never(t: _Text, m: re.Match[str]) -> bool:
    after = t.words_after(m.end(), 3)
    if after and after[0] in SAYINGS:
        return True
    if after and after[0] == "ever":
        after = after[1:]
    return bool(after) and (after[0] in KIND_AFTER_NEVER or after[:3] == ["let", "me", "down"])


def _imperative(t: _Text, m: re.Match[str]) -> bool:
    """False when said to the other person: alone, or after "just", "you need to" ..."""
    before = t.words_before(m.start(), 4)
    if not before or before[-1] in {"just", "please", "oh", "now", "so", "seriously", "god"}:
        return False
    return not (before[-1] == "to" and any(w in YOU for w in before))


def _not_alone(t: _Text, m: re.Match[str]) -> bool:
    """For "whatever", "who cares": only as a whole reply, not "whatever you need"."""
    begin, end = t.sentence(m.start(), m.end())
    rest = t.norm[m.end() : end]
    lead = t.norm[begin : m.start()]
    clause_start = lead.strip() == "" or lead.rstrip().endswith((",", "-", "\u2014", "\u2013"))
    clause_end = rest.strip() == "" or rest.lstrip().startswith((",", "-", "\u2014", "\u2013"))
    return not (clause_start and clause_end)


_YOU = r"(?:you|u)"
_YOU_ARE = r"(?:you'?re|you\s+are|you\s+were|u\s+r|ur)"
_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    guards: tuple[Guard, ...] = ()


def _rule(kind: str, pattern: str, *guards: Guard) -> Rule:
    return Rule(kind, re.compile(pattern, _FLAGS), guards)


RULES: tuple[Rule, ...] = (
    # Blame
    _rule(
        BLAME,
        rf"\b{_YOU}\s+(?:always\s+|just\s+|really\s+|even\s+|constantly\s+)?"
        r"(?:made|make|makes|making)\s+me\b",
        _not_denied,
        _warm_after,
        _made_for,
    ),
    _rule(BLAME, r"\bbecause\s+of\s+(?:you|u)\b", _not_denied, _warm_around),
    _rule(
        BLAME,
        r"\b(?:(?:it|this|that|everything|all\s+this)(?:'s|\s+is|\s+was|\s+will\s+be)\s+)?"
        r"(?:all\s+)?(?:your|ur)\s+(?:own\s+)?fault\b",
        _not_denied,
    ),
    _rule(BLAME, rf"\b{_YOU_ARE}\s+(?:the\s+one\s+)?to\s+blame\b", _not_denied),
    _rule(BLAME, rf"\b{_YOU}\s+(?:ruined|ruin|ruins|wrecked|destroyed)\b", _not_denied),
    _rule(
        BLAME,
        rf"\b{_YOU}\s+drive\s+me\s+(?:crazy|mad|nuts|insane|up\s+the\s+wall)\b",
        _not_denied,
        _warm_after,
    ),
    _rule(BLAME, rf"\b{_YOU}\s+did\s+this\s+to\s+(?:me|us)\b", _not_denied),
    # Absolutes
    _rule(
        ABSOLUTE,
        rf"\b(?:{_YOU_ARE}|{_YOU}(?:'ve|\s+have)?)\s+(?:always|constantly|continually)\b",
        _not_denied,
        _not_asked,
        _not_subject,
        _warm_around,
    ),
    _rule(
        ABSOLUTE,
        rf"\b(?:{_YOU_ARE}|{_YOU}(?:'ve|\s+have|\s+can|\s+will|'ll)?)\s+never\b",
        _not_denied,
        _not_asked,
        _not_subject,
        _kind_never,
    ),
    _rule(
        ABSOLUTE,
        rf"\b{_YOU}\s+(?:don't|do\s+not|can't|cannot|won't|didn't)\s+ever\b",
        _not_denied,
        _not_asked,
    ),
    _rule(ABSOLUTE, rf"\b(?:don't|won't|can't|didn't)\s+{_YOU}\s+ever\b"),
    _rule(ABSOLUTE, rf"\bevery\s+(?:single\s+)?time\s+{_YOU}\b", _not_denied, _warm_around),
    _rule(
        ABSOLUTE,
        rf"\bnothing\s+{_YOU}\s+(?:ever\s+)?(?:do|does|did|say|says|said|try|tried|make|makes)\b",
        lambda t, m: any(
            w in {"wrong", "caused", "cause", "fault", "deserve", "deserved"}
            for w in t.words_after(m.end())
        ),
        _warm_after,
    ),
    _rule(
        ABSOLUTE,
        rf"\beverything\s+{_YOU}\s+(?:do|does|did|say|says|said|touch|touches)\b",
        _warm_around,
    ),
    _rule(
        ABSOLUTE,
        rf"\b{_YOU}\s+(?:can't|cannot|can\s+never)\s+(?:ever\s+)?(?:do|get)\s+anything\s+right\b",
    ),
    # Contempt: put-downs (the names are found by _names below)
    _rule(CONTEMPT, rf"\bwhat(?:'s|\s+is)\s+(?:wrong|the\s+matter)\s+with\s+{_YOU}\b"),
    _rule(CONTEMPT, r"\bgrow\s+up\b", _imperative),
    _rule(CONTEMPT, r"\bshut\s+up\b", _imperative),
    _rule(CONTEMPT, r"\bget\s+over\s+it\b", _imperative),
    _rule(CONTEMPT, r"\bcalm\s+down\b", _imperative),
    _rule(CONTEMPT, r"\bwhatever\b", _not_alone),
    _rule(CONTEMPT, r"\bwho\s+cares\b", _not_alone),
    _rule(
        CONTEMPT,
        rf"\b{_YOU_ARE}\s+(?:just\s+|totally\s+|completely\s+|always\s+|so\s+)?"
        r"(?:overreacting|over-reacting|too\s+sensitive|so\s+sensitive|being\s+(?:dramatic|"
        r"hysterical|ridiculous|childish|paranoid|crazy|a\s+baby))\b",
        _not_denied,
    ),
    _rule(
        CONTEMPT,
        r"\b(?:don't|stop)\s+(?:be|being|acting)\s+(?:so\s+|such\s+an?\s+|like\s+an?\s+)?"
        r"(?:" + "|".join(sorted(INSULTS)) + r")\b",
    ),
)

_INSULT = re.compile(r"\b(?:" + "|".join(sorted(INSULTS, key=len, reverse=True)) + r")\b", _FLAGS)


def _names(t: _Text) -> Iterator[tuple[int, int]]:
    """Names aimed at "you": "you're so selfish", "you idiot", "selfish of you", "Liar!"."""
    for m in _INSULT.finditer(t.norm):
        before = t.words_before(m.start(), 8)
        after = t.words_after(m.end(), 2)
        if after[:2] == ["of", "you"]:
            yield m.start(), m.end()
            continue
        if (
            m.group().lower() in {"crazy", "insane", "nuts"}
            and after
            and (after[0] in POSITIVE or after[0] in {"about", "for", "in"})
        ):
            continue  # "you're crazy good at this", "crazy about you"
        aimed = named_before(before, YOU, OTHERS)
        if aimed == -1:
            continue
        if aimed is None:
            # No one named: only a short cry ("Idiot!", "So pathetic.") is aimed at the reader.
            begin, end = t.sentence(m.start(), m.end())
            if len(_WORD.findall(t.norm, begin, end)) <= 3:
                yield m.start(), m.end()
            continue
        between = before[aimed + 1 :]
        if any(_negated(w) for w in between) or _denied(before[:aimed]):
            continue
        yield m.start(), m.end()


def _read(text: str) -> _Text:
    return _Text(
        original=text,
        # Not .lower(): it can change the length ("İ" becomes two characters), and the
        # rules ignore case anyway.
        norm=text.translate(_APOSTROPHES),
        quotes=[(q.start(), q.end()) for q in _QUOTES.finditer(text)],
    )


# Set while a language's own check runs: should it call `check` (say, to read English
# words mixed in), that call uses the English rules rather than coming back to it.
_in_language_check = contextvars.ContextVar("in_language_check", default=False)


@functools.cache
def _checker(language: str) -> Callable[[str], list[Flag]] | None:
    """`tend.care.gentle_<language>.check`, for a language tend offers, if it exists."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        return None
    try:
        module = importlib.import_module(f"tend.care.gentle_{language}")
    except ModuleNotFoundError as missing:
        if missing.name != f"tend.care.gentle_{language}":
            raise  # the module exists and is broken: that must not pass for English
        return None
    return module.check


def check(text: str, language: str | None = None) -> list[Flag]:
    """The phrases in `text` that may land as an attack, in the order they appear, read
    by the rules of `language` (by default, the language of the page)."""
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    own = None if code == "en" or _in_language_check.get() else _checker(code)
    if own is None:
        return check_english(text)
    reset = _in_language_check.set(True)
    try:
        return own(text)
    finally:
        _in_language_check.reset(reset)


def check_english(text: str) -> list[Flag]:
    """The English rules above (the corpus in tests/care/test_gentle.py)."""
    return flags_from(text, matches(_read(text), RULES, _names))


def named_before(before: list[str], you: Collection[str], others: Collection[str]) -> int | None:
    """Whom a name is for, from the nearest word before it that says: the index of a
    word for the reader, -1 when it is about someone or something else (me, us, them,
    that), None when nobody is named."""
    for i in range(len(before) - 1, -1, -1):
        if before[i] in you:
            return i
        if before[i] in others:
            return -1
    return None


def matches(
    t: _Text, rules: Iterable[Rule], names: Callable[[Any], Iterator[tuple[int, int]]]
) -> list[tuple[int, int, str]]:
    """Every language's first step: its rules' matches and its names for a person, each
    outside quotes and not let off by one of its rule's guards."""
    found: list[tuple[int, int, str]] = []
    for rule in rules:
        for m in rule.pattern.finditer(t.norm):
            if t.quoted(m.start(), m.end()):
                continue
            if any(guard(t, m) for guard in rule.guards):
                continue
            found.append((m.start(), m.end(), rule.kind))
    for start, end in names(t):
        if not t.quoted(start, end):
            found.append((start, end, CONTEMPT))
    return found


def flags_from(
    text: str, found: list[tuple[int, int, str]], joins: frozenset[str] = frozenset({""})
) -> list[Flag]:
    """Every language's last step: where two matches overlap ("you always make me" is
    blame and an absolute) the longer wins, and names side by side, or with only a word
    of `joins` between them, are one put-down ("lazy slob")."""
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(end <= k_start or start >= k_end for k_start, k_end, _k in kept):
            kept.append((start, end, kind))
    merged: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(kept):
        if (
            merged
            and merged[-1][2] == kind == CONTEMPT
            and text[merged[-1][1] : start].strip() in joins
        ):
            merged[-1] = (merged[-1][0], end, kind)
        else:
            merged.append((start, end, kind))
    return [
        Flag(
            kind=kind,
            phrase=text[start:end],
            start=start,
            end=end,
            why=str(KINDS[kind].why),
            suggestion=str(KINDS[kind].suggestion),
        )
        for start, end, kind in merged
    ]


def grouped(flags: list[Flag]) -> list[Group]:
    """Flags by kind, in the order of KINDS, each phrase once."""
    groups = []
    for key, kind in KINDS.items():
        phrases = tuple(dict.fromkeys(f.phrase for f in flags if f.kind == key))
        if phrases:
            groups.append(Group(kind, phrases))
    return groups


def widget_attrs(field_name: str, auto_id: str = "id_%s") -> dict[str, str | Promise]:
    """The htmx attributes that wire a textarea to the check.

    In a form: `forms.Textarea(attrs=widget_attrs("text"))`; in the template, right after
    the field: `{% include "care/gentle_slot.html" with for_id="id_text" %}`. The slot is
    a polite live region, so what is noticed is read out without moving focus; the
    field's own help text keeps its aria-describedby.
    """
    return {
        "hx-post": reverse_lazy("gentle_check"),
        "hx-trigger": "input changed delay:800ms, change",
        "hx-target": f"#gentle-{auto_id % field_name}",
        "hx-swap": "innerHTML",
        "hx-sync": "this:replace",
        "hx-vals": json.dumps({"field": field_name}),
    }
