"""The gentle-language check in German: the same three kinds as English, German patterns.

Built from the English check's parts (tend.care.gentle: `Flag`, `KINDS`, `_rule`,
`_Text`), so a flag looks and explains the same in both languages (the explanation is
gettext'd and reaches the writer in their language) and, as there, nothing is stored,
nothing is sent anywhere, and nothing is blocked: the person decides.

1. **Vorwurf** (blame): "du machst mich wahnsinnig", "wegen dir", "das ist deine
   Schuld", "du bist schuld", "du hast den Abend ruiniert";
2. **immer und nie** (absolute): "du hörst mir nie zu", "du kommst immer zu spät",
   "nie hörst du zu", "jedes Mal, wenn du", "nichts, was du tust";
3. **Herabsetzung** (contempt): names aimed at "du" ("du bist so egoistisch", "du
   Idiot", "egoistisch von dir", "Lügner!") and put-downs ("was ist los mit dir",
   "werd erwachsen", "halt die Klappe", "beruhig dich", "egal.", "du übertreibst").

What German changes, pinned by the corpus in tests/care/test_gentle_de.py:

- The verb sits between "du" and "nie"/"immer" ("du hörst mir nie zu"), or the adverb
  comes first ("nie hörst du zu"): both orders are read, within one clause.
- Case tells who does what: only "du"/"ihr" as subject makes an absolute, so "Ich habe
  dich immer geliebt" and "wir reden nie über Geld" are left alone.
- "nicht immer" softens rather than generalises: "Du hörst nicht immer zu" is not flagged.
- A plain yes/no question starts with its verb ("Bist du immer so ruhig?") and is left
  alone; "Warum hörst du nie zu?" is not plain.
- "Egal, was passiert, ich bin da" is kind; "Egal." as a whole reply is not.
- As in English: negated and reassuring forms ("Es ist nicht deine Schuld", "Du bist
  nicht dumm"), warm uses ("Du bringst mich immer zum Lachen", "Du verurteilst mich
  nie") and quoted words („du hörst nie zu“, »egal«) are not flagged.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tend.care.gentle import (
    _APOSTROPHES,
    ABSOLUTE,
    BLAME,
    CONTEMPT,
    Flag,
    Rule,
    _rule,
    _Text,
    flags_from,
    matches,
    named_before,
)
from tend.care.gentle_words_de import (
    CLAIMS,
    INSULT_ADJECTIVES,
    INSULT_NOUNS,
    KIND_AFTER_NEVER,
    NEGATIONS,
    NEGATIVE,
    OTHERS,
    POSITIVE,
    SAYINGS,
    WARM_PHRASES,
    WHY,
    YOU,
)

# Letters beyond a-z: umlauts and ß are word characters (str patterns are Unicode).
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
# German quotes as well as English ones: low-high double and single quotes, and guillemets
# either way round.
_QUOTES = re.compile(
    r"\"[^\"\n]*\"|\u201c[^\u201d\n]*\u201d|\u201e[^\u201c\u201d\n]*[\u201c\u201d]"
    r"|\u201a[^\u2018\u2019\n]*[\u2018\u2019]|\u00bb[^\u00ab\n]*\u00ab|\u00ab[^\u00bb\n]*\u00bb"
    r"|(?<![\w'])'[^\n]+?'(?!\w)|(?<![\w\u2019])\u2018[^\n]+?\u2019(?!\w)"
)


@dataclass
class _GermanText(_Text):
    """The English reading of a text, with words that may hold umlauts and ß."""

    def words_before(self, start: int, count: int = 6) -> list[str]:
        begin, _end = self.sentence(start, start)
        return [w.lower() for w in _WORD.findall(self.norm, begin, start)[-count:]]

    def words_after(self, end: int, count: int = 6) -> list[str]:
        _begin, stop = self.sentence(end, end)
        return [w.lower() for w in _WORD.findall(self.norm, end, stop)[:count]]

    def words_in(self, start: int, end: int) -> list[str]:
        return [w.lower() for w in _WORD.findall(self.norm, start, end)]


def _words(t: _Text) -> _GermanText:
    assert isinstance(t, _GermanText)
    return t


def _denied(before: list[str], near: int = 2) -> bool:
    """A denial just before: "nicht", "kein", or "Ich sage nicht, dass", "nie gesagt"."""
    for i, word in enumerate(before):
        if word not in NEGATIONS:
            continue
        following = before[i + 1 : i + 3]
        if following[:1] == ["glauben"] and i > 0 and before[i - 1] in {"kann", "könnte"}:
            continue  # "Ich kann nicht glauben, dass du nie ..." is not a denial
        if i >= len(before) - near or any(c in CLAIMS for c in following):
            return True
    return False


def _warm(words: list[str]) -> bool:
    """Words around a phrase that make it kind: something warm, and nothing sore."""
    warm = any(w in POSITIVE for w in words) or any(
        words[i : i + len(p)] == list(p) for p in WARM_PHRASES for i in range(len(words))
    )
    return warm and not any(w in NEGATIVE or w in NEGATIONS for w in words)


# --- Guards: "is this match, in its place, not meant as an attack?" ------------------------


def _not_denied(t: _Text, m: re.Match[str]) -> bool:
    return _denied(_words(t).words_before(m.start()))


def _warm_after(t: _Text, m: re.Match[str]) -> bool:
    return _warm(_words(t).words_after(m.end()))


def _warm_around(t: _Text, m: re.Match[str]) -> bool:
    gt = _words(t)
    return _warm(gt.words_before(m.start(), 5) + gt.words_after(m.end()))


def _warm_within(t: _Text, m: re.Match[str]) -> bool:
    """For "du hast mich glücklich gemacht": the warm word is inside the match."""
    gt = _words(t)
    return _warm(gt.words_in(m.start(), m.end()) + gt.words_after(m.end()))


def _plain_question(t: _Text, m: re.Match[str]) -> bool:
    """A yes/no question starts with its verb: "Bist du immer so ruhig?", not "Warum"."""
    gt = _words(t)
    begin, end = gt.sentence(m.start(), m.end())
    before = gt.words_in(begin, m.start())
    asks = end < len(gt.norm) and gt.norm[end] == "?"
    return asks and len(before) == 1 and before[0] not in WHY


def _not_always(t: _Text, m: re.Match[str]) -> bool:
    """The words between "du" and the adverb make it something other than a verdict."""
    gt = _words(t)
    between = gt.words_in(m.start(), m.start("adv"))[1:]
    adverb = gt.words_in(m.start("adv"), m.end())[0]
    after = gt.words_after(m.end(), 3)
    if between and between[0] == "und":
        return True  # "du und ich streiten nie": we
    first = _WORD.search(gt.norm, m.start() + 3)
    if gt.words_in(m.start(), m.end())[0] == "ihr" and first and first.group()[0].isupper():
        return True  # "Ihr Bruder ist immer ...": "her", not "you"
    if adverb == "immer" and (
        (after and after[0] == "noch") or (between and between[-1] == "noch")
    ):
        return True  # "du bist immer noch sauer": still, not always
    if between and between[-1] in NEGATIONS:
        return True  # "du hörst nicht immer zu": softer, not a verdict
    if between and between[0] in SAYINGS:
        return True  # "du weißt nie, was kommt"
    if adverb == "immer" and between and between[0] in {"kannst", "darfst", "könntest"}:
        return True  # "du kannst immer zu mir kommen": an offer, not a verdict
    if adverb in {"nie", "niemals", "nimmer"}:
        kind = any(w in KIND_AFTER_NEVER for w in between + after[:2])
        if kind or after[:2] == ["im", "stich"]:
            return True  # "du verurteilst mich nie", "du lässt mich nie im Stich"
        if "gibst" in between and "auf" in after[:2]:
            return True  # "du gibst nie auf"
    return False


def _not_clause_start(t: _Text, m: re.Match[str]) -> bool:
    """ "Nie hörst du zu" opens its clause; "ich habe nie gesagt du ..." does not."""
    gt = _words(t)
    begin, _end = gt.sentence(m.start(), m.end())
    lead = gt.norm[begin : m.start()]
    clause = lead.rsplit(",", 1)[-1]
    if [w.lower() for w in _WORD.findall(clause)] not in ([], ["und"], ["aber"], ["doch"]):
        return True
    middle = gt.words_in(m.start(), m.end())[1:-1]
    return any(w in CLAIMS for w in middle)


def _reassures(t: _Text, m: re.Match[str]) -> bool:
    """ "Nichts, was du getan hast, war falsch / hat das verursacht" reassures."""
    after = _words(t).words_after(m.end())
    return any(w in {"falsch", "verursacht", "schuld", "verdient", "ausgelöst"} for w in after)


def _said_of_oneself(t: _Text, m: re.Match[str]) -> bool:
    """ "Ich werde erwachsen", "wenn ich erwachsen werde": not said to anyone."""
    before = _words(t).words_before(m.start(), 6)
    return bool(before) and (before[-1] in OTHERS or "ich" in before or "wir" in before)


def _after_a_subject(t: _Text, m: re.Match[str]) -> bool:
    """ "ich sei dumm", "er sei faul": reported speech, not "sei nicht so kindisch"."""
    before = _words(t).words_before(m.start(), 1)
    return bool(before) and before[0] in OTHERS


def _not_to_you(t: _Text, m: re.Match[str]) -> bool:
    before = _words(t).words_before(m.start(), 6)
    return not any(w in {"du", "ihr"} for w in before) or "ich" in before


def _not_alone(t: _Text, m: re.Match[str]) -> bool:
    """For "egal", "na und": only as a whole reply, not "Egal, was passiert"."""
    gt = _words(t)
    begin, end = gt.sentence(m.start(), m.end())
    rest = gt.norm[m.end() : end]
    lead = gt.norm[begin : m.start()]
    clause_start = lead.strip() == "" or lead.rstrip().endswith((",", "-", "\u2014", "\u2013"))
    clause_end = rest.strip() == "" or rest.lstrip().startswith((",", "-", "\u2014", "\u2013"))
    if clause_end and rest.strip():
        following = _WORD.findall(rest)[:1]
        if following and following[0].lower() in {"was", "wie", "wo", "wann", "wer", "ob", "wen"}:
            return True  # "Egal, was passiert, ich bin da."
    return not (clause_start and clause_end)


# --- Rules ---------------------------------------------------------------------------------

_DU = r"(?:du|ihr)"
_ADV = r"(?:immer|nie|niemals|nimmer|ständig|dauernd|andauernd|jedes\s+mal)"
# Words that only strengthen: "du machst mich immer so ...".
_MORE = (
    r"(?:\s+(?:immer|ständig|dauernd|andauernd|jedes\s+mal|echt|so|total|einfach|richtig|nur|"
    r"noch|wirklich|damit))*"
)
_INSULT = (
    r"(?:"
    + "|".join(
        sorted(
            [*INSULT_NOUNS, *(f"{a}(?:e|er|es|en|em)?" for a in INSULT_ADJECTIVES)],
            key=len,
            reverse=True,
        )
    )
    + r")\b"
)

RULES: tuple[Rule, ...] = (
    # Blame
    _rule(BLAME, rf"\b{_DU}\s+(?:machst|machtest|macht)\s+mich{_MORE}\b", _not_denied, _warm_after),
    _rule(
        BLAME,
        rf"\b{_DU}\s+(?:hast|habt)\s+mich{_MORE}\s+[^\W\d_]+\s+gemacht\b",
        _not_denied,
        _warm_within,
    ),
    _rule(
        BLAME,
        rf"\b{_DU}\s+(?:hast|habt|bringst|bringt)\s+mich{_MORE}\s+(?:dazu|so\s+weit)(?:\s+gebracht)?\b",
        _not_denied,
    ),
    _rule(BLAME, rf"\bwozu\s+{_DU}\s+mich\s+(?:\w+\s+)?gebracht\b"),
    _rule(
        BLAME,
        rf"\b{_DU}\s+(?:treibst|bringst|treibt|bringt)\s+mich{_MORE}\s+(?:in\s+den\s+wahnsinn|"
        r"zur\s+weißglut|auf\s+die\s+palme|um\s+den\s+verstand|zur\s+verzweiflung|in\s+rage)",
        _not_denied,
    ),
    _rule(
        BLAME,
        r"\b(?:wegen\s+(?:dir|euch)|deinetwegen|euretwegen)\b",
        _not_denied,
        _warm_around,
    ),
    _rule(
        BLAME,
        r"\b(?:(?:das|es|dies|alles)\s+(?:ist|war|wäre)\s+)?(?:(?:alles|allein|ganz\s+allein|nur|"
        r"doch)\s+)*(?:deine|eure)\s+schuld\b",
        _not_denied,
    ),
    _rule(
        BLAME,
        r"\b(?:du\s+bist|ihr\s+seid|du\s+hast|ihr\s+habt)\s+(?:(?:doch|ganz\s+allein|allein|"
        r"selbst|daran|echt|nur)\s+)*schuld\b",
        _not_denied,
    ),
    _rule(BLAME, r"\bich\s+gebe\s+(?:dir|euch)\s+die\s+schuld\b", _not_denied),
    _rule(
        BLAME,
        rf"\b{_DU}(?:\s+[^\W\d_]+){{0,4}}?\s+(?:ruiniert|ruinierst|zerstört|zerstörst|"
        r"kaputt\s*gemacht|versaut|versaust)\b",
        _not_denied,
    ),
    _rule(BLAME, rf"\b{_DU}\s+(?:machst|macht)(?:\s+[^\W\d_]+){{0,3}}?\s+kaputt\b", _not_denied),
    _rule(BLAME, r"\b(?:das|dies)\s+(?:hast\s+du|habt\s+ihr)\s+(?:mir|uns)\s+angetan\b"),
    _rule(BLAME, rf"\b{_DU}\s+(?:hast|habt)\s+(?:mir|uns)\s+das\s+angetan\b"),
    # Absolutes
    _rule(
        ABSOLUTE,
        rf"\b{_DU}(?:\s+[^\W\d_]+(?:'[^\W\d_]+)?){{0,3}}?\s+(?P<adv>{_ADV})\b",
        _not_denied,
        _plain_question,
        _not_always,
        _warm_around,
    ),
    _rule(
        ABSOLUTE,
        rf"\b(?:immer|nie|niemals|ständig|dauernd)\s+(?!wenn\b|als\b)[^\W\d_]+\s+{_DU}\b",
        _not_clause_start,
        _warm_around,
    ),
    _rule(
        ABSOLUTE,
        rf"\b(?:jedes\s+(?:einzelne\s+)?mal|immer)\s*,?\s*(?:wenn|als)\s+{_DU}\b",
        _not_denied,
        _warm_around,
    ),
    _rule(
        ABSOLUTE,
        rf"\bnichts\s*,?\s*(?:was|das)\s+{_DU}(?:\s+[^\W\d_]+){{0,3}}?\s+(?:tust|machst|sagst|"
        r"versuchst|tut|macht|sagt|getan|gemacht|gesagt)\b",
        _reassures,
        _warm_after,
    ),
    _rule(
        ABSOLUTE,
        rf"\balles\s*,?\s*(?:was|das)\s+{_DU}(?:\s+[^\W\d_]+){{0,3}}?\s+(?:tust|machst|sagst|"
        r"anfasst|tut|macht|sagt)\b",
        _warm_around,
    ),
    _rule(
        ABSOLUTE,
        rf"\b{_DU}\s+(?:kannst|kriegst|bekommst|könnt|kriegt)\s+(?:(?:einfach|aber\s+auch|echt|"
        r"wirklich|auch)\s+)*(?:gar\s+|überhaupt\s+)?nichts\s+(?:richtig|auf\s+die\s+reihe|"
        r"hin|gebacken)\b",
    ),
    _rule(
        ABSOLUTE,
        rf"\b{_DU}\s+(?:machst|macht)\s+(?:(?:einfach|echt|wirklich|immer)\s+)*alles\s+falsch\b",
    ),
    # Contempt: put-downs (the names are found by _names below)
    _rule(
        CONTEMPT,
        r"\bwas\s+(?:ist|stimmt)\s+(?:(?:denn|bloß|eigentlich|nur)\s+)*(?:los|nicht|falsch)\s+"
        r"mit\s+(?:dir|euch)\b",
    ),
    _rule(
        CONTEMPT,
        r"\bwas\s+(?:ist|soll)\s+(?:(?:denn|bloß|eigentlich)\s+)*(?:dein|euer)\s+problem\b",
    ),
    _rule(CONTEMPT, r"\bhast\s+du\s+(?:sie|die)\s+noch\s+alle\b"),
    _rule(
        CONTEMPT,
        r"\bwerd(?:e|et)?\s+(?:(?:doch|endlich|mal|einfach)\s+)*erwachsen\b",
        _said_of_oneself,
    ),
    _rule(CONTEMPT, r"\berwachsen\s+werden\b", _not_to_you),
    _rule(
        CONTEMPT,
        r"\b(?:halt|haltet)\s+(?:(?:doch|einfach|endlich|jetzt|mal)\s+)*(?:die\s+klappe|"
        r"den\s+mund|die\s+fresse|deinen\s+mund|die\s+schnauze)\b",
    ),
    _rule(
        CONTEMPT,
        r"\bkomm\s+(?:(?:doch|endlich|einfach|mal)\s+)*(?:drüber|darüber)\s+(?:weg|hinweg)\b",
    ),
    _rule(CONTEMPT, r"\bstell\s+dich\s+(?:doch\s+)?nicht\s+so\s+an\b"),
    _rule(
        CONTEMPT, r"\b(?:beruhig(?:e)?\s+dich|reg\s+dich\s+ab|krieg\s+dich\s+(?:wieder\s+)?ein)\b"
    ),
    _rule(CONTEMPT, r"\b(?:(?:ist\s+)?mir\s+(?:doch\s+)?)?(?:scheiß)?egal\b", _not_alone),
    _rule(CONTEMPT, r"\bwen\s+(?:interessiert|juckt)(?:'s|\s+das|\s+es)?(?!\w)", _not_alone),
    _rule(CONTEMPT, r"\bna\s+und\b", _not_alone),
    _rule(CONTEMPT, rf"\b{_DU}\s+(?:übertreibst|übertreibt)\b", _not_denied),
    _rule(
        CONTEMPT,
        rf"\b{_DU}\s+(?:reagierst|reagiert)\s+(?:(?:total|völlig|mal\s+wieder|wieder|so|echt)\s+)*über\b",
        _not_denied,
    ),
    _rule(
        CONTEMPT,
        r"\b(?:du\s+bist|du\s+warst|ihr\s+seid)\s+(?:(?:einfach|total|echt|so|mal\s+wieder|wieder|"
        r"immer)\s+)*(?:(?:viel\s+)?zu\s+(?:empfindlich|sensibel)|überempfindlich|dramatisch|"
        r"hysterisch|theatralisch)\b",
        _not_denied,
    ),
    _rule(
        CONTEMPT,
        r"\bmach(?:t)?\s+(?:doch\s+)?(?:nicht\s+so\s+ein(?:en)?|kein(?:en)?)\s+(?:drama|theater|"
        r"aufstand|zirkus)\b",
    ),
    _rule(
        CONTEMPT,
        rf"\b(?:sei|seid)\s+(?:doch\s+)?(?:nicht\s+)?(?:so\s+)?(?:ein(?:e|en)?\s+)?{_INSULT}",
        _after_a_subject,
    ),
    _rule(CONTEMPT, rf"\bhör\s+auf\s*,?\s*(?:so\s+)?{_INSULT}\s+zu\s+sein\b"),
)

_NAME = re.compile(r"\b" + _INSULT, re.IGNORECASE)


def _names(t: _GermanText) -> Iterator[tuple[int, int]]:
    """Names aimed at "du": "du bist so egoistisch", "du Idiot", "egoistisch von dir"."""
    for m in _NAME.finditer(t.norm):
        before = t.words_before(m.start(), 8)
        after = t.words_after(m.end(), 2)
        if after[:2] in (["von", "dir"], ["von", "euch"]):
            yield m.start(), m.end()
            continue
        if (
            m.group().lower().startswith(("verrückt", "irre"))
            and after
            and (after[0] in POSITIVE or after[0] in {"nach", "auf"})
        ):
            continue  # "verrückt nach dir", "irre gut"
        aimed = named_before(before, YOU, OTHERS)
        if aimed == -1:
            continue
        if aimed is None:
            # No one named: only a short cry ("Idiot!", "So erbärmlich.") is aimed at the reader.
            begin, end = t.sentence(m.start(), m.end())
            if len(_WORD.findall(t.norm, begin, end)) <= 3:
                yield m.start(), m.end()
            continue
        between = before[aimed + 1 :]
        # Before "du", only a denied claim counts: in "Du hörst nie zu, du Idiot" the
        # "nie" is a verdict of its own, not a denial of the name.
        if any(w in NEGATIONS for w in between) or _denied(before[:aimed], near=1):
            continue
        yield m.start(), m.end()


def _read(text: str) -> _GermanText:
    return _GermanText(
        original=text,
        # Not .lower(): it can change the length, and the rules ignore case anyway.
        norm=text.translate(_APOSTROPHES),
        quotes=[(q.start(), q.end()) for q in _QUOTES.finditer(text)],
    )


def check(text: str) -> list[Flag]:
    """The phrases in `text` that may land as an attack, in the order they appear."""
    return flags_from(text, matches(_read(text), RULES, _names))
