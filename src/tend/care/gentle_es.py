"""The gentle-language check in Spanish: the same three kinds as tend.care.gentle, in Spanish.

Like the English check, it runs on plain rules (regular expressions and the word lists in
gentle_words_es), sends and keeps nothing, and never blocks: it explains, and the person
decides. The flags, their explanations and their suggestions are gentle's own (the
explanations are translated through the catalogue), so the page shows them the same way.

1. **blame** ("me haces sentir", "por tu culpa", "es culpa tuya", "lo arruinaste",
   "me sacas de quicio");
2. **absolute** ("siempre llegas tarde", "nunca me escuchas", "no me escuchas nunca",
   "cada vez que sales", "todo lo que dices");
3. **contempt**: names aimed at "tú" ("eres un egoísta", "¡mentiroso!", "qué egoísta de
   tu parte") and put-downs ("¿cuál es tu problema?", "cállate", "supéralo", "lo que sea",
   "estás exagerando").

Spanish drops the pronoun, so "you" is read from the verb: a word after "siempre" or
"nunca" (and any "me", "te", "lo" ... between) that ends as a verb said to "tú" does (-as,
-es, -aste, -iste: "llegas", "haces", "dijiste", also "vos" forms without accents). That
is why "siempre llego tarde", "nunca hablamos de dinero" and "siempre llega tarde" are not
flagged. Choices, pinned by the corpus in tests/care/test_gentle_es.py:

- Accents are optional ("tu" is read as "tú"); any case; curly apostrophes as plain ones.
- Negated and reassuring forms are not flagged: "no es tu culpa", "no digo que nunca
  ayudes", "no eres tonto".
- Warm uses are not flagged: "siempre me haces reír", "nunca me juzgas", "me haces falta",
  "me hiciste un café", "cada vez que me abrazas", "te quiero, tonta".
- "Me hiciste daño" says a hurt plainly and is not flagged; "me hiciste sentir ..." is.
- A plain question ("¿siempre vuelves por aquí?") is not flagged; "¿por qué siempre ...?" is.
- Quoted words are reported, not aimed: «nunca escuchas» in quotes is not flagged.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tend.care.gentle import (
    _APOSTROPHES,
    _QUOTES,
    ABSOLUTE,
    BLAME,
    CONTEMPT,
    Flag,
    _not_alone,
    _Text,
    flags_from,
    matches,
    named_before,
)
from tend.care.gentle_words_es import (
    CLAIMS,
    CLITICS,
    FOND,
    INSULTS,
    KIND_AFTER_NEVER,
    MADE_FOR,
    NEGATIONS,
    NOT_VERBS,
    OTHERS,
    SAYINGS,
    SORE,
    WARM,
    YOU,
)

# One character for one, so positions in the read text are positions in the original.
_ACCENTS = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")
_WORD = re.compile(r"[a-zñ0-9]+", re.IGNORECASE)


class _Texto(_Text):
    """gentle's reading of a text, with Spanish words (ñ) rather than English ones."""

    def words_before(self, start: int, count: int = 6) -> list[str]:
        begin, _end = self.sentence(start, start)
        return [w.lower() for w in _WORD.findall(self.norm, begin, start)[-count:]]

    def words_after(self, end: int, count: int = 6) -> list[str]:
        _begin, stop = self.sentence(end, end)
        return [w.lower() for w in _WORD.findall(self.norm, end, stop)[:count]]

    def words_of(self, start: int, end: int) -> list[str]:
        return [w.lower() for w in _WORD.findall(self.norm, start, end)]


def _second_person(word: str) -> bool:
    """Does this word end as a verb said to "tú" does ("llegas", "haces", "dijiste")?"""
    word = word.lower()
    return word not in NOT_VERBS and word.endswith(("as", "es", "ste"))


def _denied(before: list[str]) -> bool:
    """A denial just before: "no", "nunca", or "no digo que", "nunca dije que"."""
    for i, word in enumerate(before):
        if word not in NEGATIONS:
            continue
        following = before[i + 1 : i + 4]
        if "puedo" in following[:2] and "creer" in following:
            continue  # "no puedo creer que nunca ..." is not a denial
        if i >= len(before) - 2 or any(c in CLAIMS for c in following[:2]):
            return True
    return False


def _warm(words: list[str]) -> bool:
    """Something warm among the words, and nothing sore."""
    return any(w.startswith(WARM) for w in words) and not any(
        w.startswith(SORE) or w in NEGATIONS or w in INSULTS for w in words
    )


# --- Guards (as in gentle: True means "not meant as an attack here") ------------------------


def _not_denied(t: _Texto, m: re.Match[str]) -> bool:
    return _denied(t.words_before(m.start()))


def _asked(t: _Texto, m: re.Match[str]) -> bool:
    """A plain question opened just before: "¿Siempre vuelves por aquí?", not "¿Por qué..."."""
    begin, _end = t.sentence(m.start(), m.start())
    return t.norm[begin : m.start()].rstrip().endswith("\u00bf")


def _not_to_you(t: _Texto, m: re.Match[str]) -> bool:
    return not _second_person(m.group("verb"))


def _warm_around(t: _Texto, m: re.Match[str]) -> bool:
    return _warm(
        t.words_before(m.start(), 5) + t.words_of(m.start(), m.end()) + t.words_after(m.end())
    )


def _warm_after(t: _Texto, m: re.Match[str]) -> bool:
    return _warm(t.words_after(m.end()))


def _kind_never(t: _Texto, m: re.Match[str]) -> bool:
    verb = m.group("verb").lower()
    if verb in {"dejas", "paras"}:
        # "nunca dejas de sorprenderme" is kind; "nunca dejas de quejarte" is not.
        after = t.words_after(m.end(), 4)
        return after[:1] == ["de"] and _warm(after[1:])
    return verb in SAYINGS or verb.startswith(KIND_AFTER_NEVER)


def _made_for(t: _Texto, m: re.Match[str]) -> bool:
    after = t.words_after(m.end(), 1)
    return bool(after) and after[0] in MADE_FOR


def _a_verb_follows(t: _Texto, m: re.Match[str]) -> bool:
    """For a bare "tú siempre": a verb after it is read by the rules with a verb."""
    after = [w for w in t.words_after(m.end(), 3) if w not in CLITICS]
    return bool(after) and _second_person(after[0])


def _reassured(t: _Texto, m: re.Match[str]) -> bool:
    """ "Nada de lo que hiciste causó esto": reassurance, not a verdict."""
    return any(w.startswith(("caus", "culp", "provoc", "merec")) for w in t.words_after(m.end()))


def _fond(t: _Texto, m: re.Match[str]) -> bool:
    """ "No seas tonta, te quiero": said with love."""
    begin, end = t.sentence(m.start(), m.end())
    name = t.words_of(m.start(), m.end())[-1]
    return name in FOND and any(w.startswith(WARM) for w in t.words_of(begin, end))


def _not_a_whole_reply(t: _Texto, m: re.Match[str]) -> bool:
    """ "¡Madura!", "Madura ya.": said to the other; not "la fruta está madura"."""
    begin, end = t.sentence(m.start(), m.end())
    rest = set(t.words_of(begin, end)) - {"madura", "ya", "de", "una", "vez", "por", "favor"}
    return bool(rest)


_CL = r"(?:(?:me|te|nos|lo|la|le|los|las|les|se)\s+){0,2}"
_VERB = r"(?P<verb>[a-zñ]+)"
_TU = r"(?:(?:tu|vos)\s+)?"
_INSULT_WORDS = "|".join(sorted(INSULTS, key=len, reverse=True))


# As gentle's Guard and Rule, over the Spanish reading of the text.
Guard = Callable[[_Texto, re.Match[str]], bool]


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    guards: tuple[Guard, ...] = ()


def _r(kind: str, pattern: str, *guards: Guard) -> Rule:
    return Rule(kind, re.compile(pattern, re.IGNORECASE), guards)


RULES: tuple[Rule, ...] = (
    # Blame
    _r(
        BLAME,
        rf"\b{_TU}(?:siempre\s+)?(?:me|nos)\s+(?:haces|hiciste|has\s+hecho|hacias|vas\s+a\s+hacer)\b",
        _not_denied,
        _warm_after,
        _made_for,
    ),
    _r(
        BLAME,
        r"\bme\s+(?:pones|pusiste|has\s+puesto)\s+(?:muy\s+|tan\s+)?(?:trist\w*|nervios\w*|"
        r"histeric\w*|enferm\w*|furios\w*|mal|de\s+mal\s+humor|de\s+los\s+nervios)",
        _not_denied,
    ),
    _r(BLAME, r"\bpor\s+tu\s+culpa\b", _not_denied),
    _r(
        BLAME,
        r"\b(?:(?:todo|esto|eso)\s+)?(?:es|fue|ha\s+sido|sera|era)\s+(?:toda\s+)?"
        r"(?:tu\s+culpa|culpa\s+tuya)\b",
        _not_denied,
    ),
    _r(BLAME, r"\b(?:tu\s+culpa|culpa\s+tuya)\b", _not_denied),
    _r(
        BLAME,
        rf"\b(?:la\s+culpa\s+es\s+(?:toda\s+)?tuya|{_TU}tienes\s+(?:toda\s+)?la\s+culpa)\b",
        _not_denied,
    ),
    _r(
        BLAME,
        r"\b(?:(?:lo|la|me|nos)\s+)?(?:arruinaste|arruinas|estropeaste|estropeas|destrozaste|"
        r"fastidiaste|jodiste|has\s+(?:arruinado|estropeado|destrozado|fastidiado|jodido))\b",
        _not_denied,
    ),
    _r(BLAME, r"\bme\s+(?:sacas|sacaste|estas\s+sacando)\s+de\s+quicio\b", _not_denied),
    _r(
        BLAME,
        r"\bme\s+(?:vuelves|volviste|estas\s+volviendo)\s+loc[oa]\b",
        _not_denied,
        _warm_after,
    ),
    # Absolutes
    _r(
        ABSOLUTE,
        rf"\b{_TU}siempre\s+{_CL}{_VERB}\b",
        _not_to_you,
        _not_denied,
        _asked,
        _warm_around,
    ),
    _r(
        ABSOLUTE,
        rf"\b{_TU}(?:nunca|jamas)\s+{_CL}{_VERB}\b",
        _not_to_you,
        _not_denied,
        _asked,
        _kind_never,
    ),
    _r(
        ABSOLUTE,
        r"\b(?:tu|vos)\s+(?:siempre|nunca|jamas)\b",
        _a_verb_follows,
        _not_denied,
        _asked,
        _warm_around,
    ),
    _r(
        ABSOLUTE,
        r"\b(?:eres|estas|has\s+sido|has\s+estado)\s+(?:siempre|constantemente)\b",
        _not_denied,
        _asked,
        _warm_around,
    ),
    _r(
        ABSOLUTE,
        rf"\bno\s+{_CL}{_VERB}\s+(?:nunca|jamas)\b",
        _not_to_you,
        _not_denied,
        _asked,
        _kind_never,
    ),
    _r(
        ABSOLUTE,
        rf"\bcada\s+(?:bendita\s+)?vez\s+que\s+{_TU}{_CL}{_VERB}\b",
        _not_to_you,
        _not_denied,
        _warm_around,
    ),
    _r(
        ABSOLUTE,
        rf"\btodo\s+lo\s+que\s+{_TU}{_CL}(?:haces|hiciste|dices|dijiste|tocas|tocaste)\b",
        _warm_around,
    ),
    _r(
        ABSOLUTE,
        rf"\bnada\s+de\s+lo\s+que\s+{_TU}{_CL}(?:haces|hiciste|dices|dijiste|intentas)\b",
        _reassured,
        _warm_around,
    ),
    _r(ABSOLUTE, r"\bno\s+(?:sabes\s+|puedes\s+)?hac(?:es|er)\s+nada\s+bien\b"),
    # Contempt: put-downs (the names are found by _names below)
    _r(
        CONTEMPT,
        r"\b(?:cual|que)\s+(?:(?:demonios|diablos|narices|coño|carajo|mierda)\s+)?"
        r"(?:es\s+tu\s+problema|problema\s+tienes)\b",
    ),
    _r(
        CONTEMPT,
        r"\b(?:a\s+ti\s+que|que\s+(?:demonios|diablos|narices|coño|carajo|mierda))\s+te\s+pasa\b",
    ),
    _r(CONTEMPT, r"\b(?:estas|eres)\s+mal\s+de\s+la\s+cabeza\b"),
    _r(CONTEMPT, r"\bcallate\b|\bcierra\s+(?:la\s+)?(?:boca|pico)\b"),
    _r(CONTEMPT, r"\bmadura\b", _not_a_whole_reply),
    _r(CONTEMPT, r"\b(?:tienes\s+que|necesitas)\s+madurar\b"),
    _r(CONTEMPT, r"\bsuperalo\b"),
    _r(CONTEMPT, r"\b(?:calmate|tranquilizate)\b"),
    _r(CONTEMPT, r"\blo\s+que\s+sea\b", _not_alone),
    _r(CONTEMPT, r"\bme\s+da\s+igual\b", _not_alone),
    _r(CONTEMPT, r"\ba\s+quien\s+le\s+importa\b", _not_alone),
    _r(
        CONTEMPT,
        rf"\b{_TU}(?:estas|siempre\s+estas)\s+(?:exagerando|dramatizando|siendo\s+(?:ridicul|"
        r"dramatic|infantil|histeric|paranoic|exagerad)\w*)\b"
        r"|\b(?:eres|sos|estas)\s+(?:demasiado|muy|tan)\s+(?:sensible|susceptible|exagerad[oa]|"
        r"dramatic[oa])\b"
        r"|\bte\s+estas\s+poniendo\s+(?:dramatic|histeric)\w*"
        r"|\bexageras\b",
        _not_denied,
    ),
    _r(
        CONTEMPT,
        r"\b(?:no\s+seas|deja\s+de\s+ser|deja\s+de\s+hacerte\s+el|deja\s+de\s+hacerte\s+la)\s+"
        rf"(?:tan\s+|un\s+|una\s+)?(?:{_INSULT_WORDS})\b",
        _fond,
    ),
)

_INSULT = re.compile(rf"\b(?:{_INSULT_WORDS})\b", re.IGNORECASE)


def _names(t: _Texto) -> Iterator[tuple[int, int]]:
    """Names aimed at "tú": "eres un egoísta", "qué egoísta eres", "¡Mentiroso!"."""
    for m in _INSULT.finditer(t.norm):
        name = m.group().lower()
        before = t.words_before(m.start(), 8)
        after = t.words_after(m.end(), 3)
        begin, end = t.sentence(m.start(), m.end())
        sentence = t.words_of(begin, end)
        if name in FOND and any(w.startswith(WARM) for w in sentence):
            continue  # "te quiero, tonta"
        if name in {"loco", "loca"} and after[:1] and after[0] in {"por", "de"}:
            continue  # "loca por ti", "loco de contento"
        if after[:3] == ["de", "tu", "parte"]:
            yield m.start(), m.end()
            continue
        aimed = named_before(before, YOU, OTHERS)
        if aimed == -1:
            continue
        if aimed is None:
            # "¡Qué egoísta eres!": the verb comes after. Otherwise only a short cry
            # ("¡Mentiroso!", "Qué egoísta.") is aimed at the reader.
            short_or_aimed = (after[:1] and after[0] in YOU) or len(sentence) <= 3
            if short_or_aimed and not any(w in NEGATIONS for w in before):
                yield m.start(), m.end()
            continue
        between = before[aimed + 1 :]
        if any(w in NEGATIONS for w in between) or _denied(before[:aimed]):
            continue
        yield m.start(), m.end()


def _read(text: str) -> _Texto:
    return _Texto(
        original=text,
        norm=text.translate(_APOSTROPHES).translate(_ACCENTS),
        quotes=[(q.start(), q.end()) for q in _QUOTES.finditer(text)],
    )


def check(text: str) -> list[Flag]:
    """The phrases in `text` that may land as an attack, in the order they appear."""
    return flags_from(text, matches(_read(text), RULES, _names), joins=frozenset({"", "y"}))
