"""The gentle-language check, on a corpus of sentences people might write.

The corpus pins the choices documented in tend.care.gentle: what is aimed at "you" is
noticed; what is about oneself, negated, warm, asked plainly or quoted is not.
"""

# Curly quotes and apostrophes are what people type on phones: the tests need them.
# ruff: noqa: RUF001

import pytest

from tend.care import gentle
from tend.care.gentle import ABSOLUTE, BLAME, CONTEMPT

# Sentence, the kind expected, and the words the flag should cover.
FLAGGED: list[tuple[str, str, str]] = [
    # Blame
    ("You made me do this.", BLAME, "You made me"),
    ("Look what you made me do!", BLAME, "you made me"),
    ("You make me so angry when you walk away.", BLAME, "You make me"),
    ("You always make me feel like I'm not good enough.", BLAME, "You always make me"),
    ("I only shouted because of you.", BLAME, "because of you"),
    ("It's your fault we were late.", BLAME, "It's your fault"),
    ("It’s all your fault.", BLAME, "It’s all your fault"),
    ("That was your fault and you know it.", BLAME, "That was your fault"),
    ("You're the one to blame here.", BLAME, "You're the one to blame"),
    ("You ruined the whole evening.", BLAME, "You ruined"),
    ("You drive me crazy with this.", BLAME, "You drive me crazy"),
    ("You did this to us.", BLAME, "You did this to us"),
    ("YOU MADE ME CRY", BLAME, "YOU MADE ME"),
    # Absolutes
    ("You always do this.", ABSOLUTE, "You always"),
    ("You never listen to me.", ABSOLUTE, "You never"),
    ("you NEVER ever help with the dishes", ABSOLUTE, "you NEVER"),
    ("You're always late.", ABSOLUTE, "You're always"),
    ("You are never home when I need you.", ABSOLUTE, "You are never"),
    ("You’ll never understand.", ABSOLUTE, "You’ll never"),
    ("Every time you go out, I end up alone.", ABSOLUTE, "Every time you"),
    ("Every single time you leave a mess.", ABSOLUTE, "Every single time you"),
    ("Nothing you do is ever enough for them.", ABSOLUTE, "Nothing you do"),
    ("Everything you say turns into an argument.", ABSOLUTE, "Everything you say"),
    ("Why do you always interrupt me?", ABSOLUTE, "you always"),
    ("Why don't you ever call first?", ABSOLUTE, "don't you ever"),
    ("You don't ever ask how I am.", ABSOLUTE, "You don't ever"),
    ("You can't do anything right.", ABSOLUTE, "You can't do anything right"),
    ("I feel like you never hear me.", ABSOLUTE, "you never"),
    ("I can't believe you never called.", ABSOLUTE, "you never"),
    ("You constantly check your phone.", ABSOLUTE, "You constantly"),
    # Contempt: names
    ("You're so selfish.", CONTEMPT, "selfish"),
    ("You are such an idiot.", CONTEMPT, "idiot"),
    ("You’re pathetic.", CONTEMPT, "pathetic"),
    ("You lazy slob.", CONTEMPT, "lazy slob"),
    ("That was so selfish of you.", CONTEMPT, "selfish"),
    ("Liar!", CONTEMPT, "Liar"),
    ("You're a liar and everyone knows it.", CONTEMPT, "liar"),
    ("Are you crazy?", CONTEMPT, "crazy"),
    ("Honestly, you're useless at this.", CONTEMPT, "useless"),
    ("Your stupid phone again.", CONTEMPT, "stupid"),
    ("I think you're a loser.", CONTEMPT, "loser"),
    ("Don't be so childish.", CONTEMPT, "Don't be so childish"),
    ("Stop being lazy.", CONTEMPT, "Stop being lazy"),
    # Contempt: put-downs
    ("What's wrong with you?", CONTEMPT, "What's wrong with you"),
    ("What is wrong with you today", CONTEMPT, "What is wrong with you"),
    ("Grow up.", CONTEMPT, "Grow up"),
    ("You need to grow up.", CONTEMPT, "grow up"),
    ("Oh, shut up.", CONTEMPT, "shut up"),
    ("Whatever.", CONTEMPT, "Whatever"),
    ("Fine, whatever.", CONTEMPT, "whatever"),
    ("Whatever, I don't care anymore.", CONTEMPT, "Whatever"),
    ("Just calm down.", CONTEMPT, "calm down"),
    ("Get over it.", CONTEMPT, "Get over it"),
    ("You're overreacting.", CONTEMPT, "You're overreacting"),
    ("You're being dramatic again.", CONTEMPT, "You're being dramatic"),
    ("You're too sensitive.", CONTEMPT, "You're too sensitive"),
]

NOT_FLAGGED: list[str] = [
    # About oneself or "we"
    "I always get defensive when I'm tired.",
    "We never talk about money, and I'd like to.",
    "I never meant to hurt you.",
    "I have always loved you.",
    "I feel stupid about what I said.",
    "I was so selfish last night, and I'm sorry.",
    "I'm crazy about you.",
    "We both need to calm down.",
    "I need to calm down before we talk.",
    "When I grow up I want a garden.",
    "I'll get over it, I just need some time.",
    # Sayings
    "Never mind, it's fine.",
    "You never know, it might help.",
    "Whatever happens, I'm here.",
    "Whatever you need, tell me.",
    # Negated and reassuring
    "It's not your fault.",
    "It wasn’t your fault at all.",
    "I never said it was your fault.",
    "You're not stupid, you were tired.",
    "I don't think you're lazy.",
    "It's not because of you.",
    "I'm not saying you never help.",
    "Not every time you're late matters.",
    "Nothing you did caused this.",
    # Warm
    "You always make me laugh.",
    "You make me feel safe.",
    "You made me a cup of tea this morning and it helped.",
    "I'm so happy because of you.",
    "Every time you hug me I feel calmer.",
    "I love everything you do for us.",
    "Thank you for everything you did.",
    "You never judge me, and that matters.",
    "You never fail to make me smile.",
    "You've always been there for me.",
    "You're crazy good at this.",
    "I'll be there for you always.",
    # Plain questions
    "Do you always walk this way home?",
    "Are you always this calm before a trip?",
    # Quoted and reported
    'When you said "you never listen", I felt small.',
    "When you said ‘whatever’, I felt dismissed.",
    "You called me lazy, and it hurt.",
    "You said I was stupid.",
    "He called me an idiot at work.",
    # Ordinary requests and I-statements
    "I feel hurt when plans change at the last minute, because I need to know where I stand.",
    "Could we talk tonight after dinner?",
    "I need a bit of space, then I'd like to come back to this.",
    "This movie is stupid, let's pick another.",
    "",
]


@pytest.mark.parametrize(("sentence", "kind", "phrase"), FLAGGED)
def test_flags_what_can_land_as_an_attack(sentence: str, kind: str, phrase: str) -> None:
    flags = gentle.check(sentence)
    assert [(f.kind, f.phrase) for f in flags] == [(kind, phrase)]


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_leaves_kind_and_ordinary_words_alone(sentence: str) -> None:
    assert gentle.check(sentence) == []


def test_the_corpus_is_big_enough_both_ways() -> None:
    assert len(FLAGGED) >= 30
    assert len(NOT_FLAGGED) >= 30
    assert {kind for _s, kind, _p in FLAGGED} == {BLAME, ABSOLUTE, CONTEMPT}


def test_positions_point_into_the_original_text() -> None:
    text = "Honestly… you’re ALWAYS late, and it’s your fault."
    flags = gentle.check(text)
    assert [(f.kind, text[f.start : f.end]) for f in flags] == [
        (ABSOLUTE, "you’re ALWAYS"),
        (BLAME, "it’s your fault"),
    ]
    assert all(f.phrase == text[f.start : f.end] for f in flags)


def test_positions_hold_after_letters_that_change_length_in_lower_case() -> None:
    text = "İSTANBUL was ß-fun. You NEVER call."
    [flag] = gentle.check(text)
    assert text[flag.start : flag.end] == "You NEVER"


def test_several_kinds_in_one_message_come_in_order() -> None:
    flags = gentle.check("You never listen. What's wrong with you? You made me say it.")
    assert [f.kind for f in flags] == [ABSOLUTE, CONTEMPT, BLAME]


def test_each_flag_explains_and_offers_an_i_statement() -> None:
    for kind in (BLAME, ABSOLUTE, CONTEMPT):
        sentence = next(s for s, k, _p in FLAGGED if k == kind)
        flag = gentle.check(sentence)[0]
        assert flag.why and flag.why == str(gentle.KINDS[kind].why)
        assert "I feel" in flag.suggestion or "I felt" in flag.suggestion
        assert "because I need" in flag.suggestion


def test_overlaps_give_one_flag_for_the_longer_phrase() -> None:
    # "you always make me" is both an absolute and blame: one flag, blame.
    flags = gentle.check("you always make me wait")
    assert [(f.kind, f.phrase) for f in flags] == [(BLAME, "you always make me")]


def test_grouped_shows_each_kind_once_with_its_phrases() -> None:
    flags = gentle.check("You always forget. You always do. You idiot.")
    groups = gentle.grouped(flags)
    assert [(g.kind.key, g.phrases) for g in groups] == [
        (ABSOLUTE, ("You always",)),
        (CONTEMPT, ("idiot",)),
    ]


def test_long_text_is_checked_quickly() -> None:
    import time

    text = "I feel hurt when you walk away. You never listen. " * 200
    started = time.perf_counter()
    flags = gentle.check(text)
    # Not a benchmark: a guard against a rule that goes quadratic on a long message.
    assert time.perf_counter() - started < 5
    assert len(flags) == 200
