"""The German gentle-language check, on a corpus of sentences written for it.

The corpus pins the choices documented in tend.care.gentle_de: what is aimed at "du" is
noticed; what is about oneself, negated, softened ("nicht immer"), warm, asked plainly or
quoted is not. Like English, the check explains and never blocks.
"""

# Curly and German quotes and apostrophes are what people type on phones: the tests need them.
# ruff: noqa: RUF001

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tend.care import gentle, gentle_de
from tend.care.gentle import ABSOLUTE, BLAME, CONTEMPT, Flag
from tests.conftest import Cast, client_for, people_panel

# Sentence, the kind expected, and the words the flag should cover.
FLAGGED: list[tuple[str, str, str]] = [
    # Vorwurf (blame)
    ("Du machst mich wahnsinnig.", BLAME, "Du machst mich"),
    ("Du machst mich immer so wütend.", BLAME, "Du machst mich immer so"),
    ("Du hast mich so traurig gemacht.", BLAME, "Du hast mich so traurig gemacht"),
    ("Du hast mich dazu gebracht.", BLAME, "Du hast mich dazu gebracht"),
    ("Schau, wozu du mich gebracht hast!", BLAME, "wozu du mich gebracht"),
    ("Du treibst mich noch in den Wahnsinn.", BLAME, "Du treibst mich noch in den Wahnsinn"),
    ("Ich habe nur wegen dir geschrien.", BLAME, "wegen dir"),
    ("Deinetwegen sind wir zu spät gekommen.", BLAME, "Deinetwegen"),
    ("Das ist alles deine Schuld.", BLAME, "Das ist alles deine Schuld"),
    ("Es war deine Schuld, und das weißt du.", BLAME, "Es war deine Schuld"),
    ("Du bist schuld daran.", BLAME, "Du bist schuld"),
    ("Du hast den ganzen Abend ruiniert.", BLAME, "Du hast den ganzen Abend ruiniert"),
    ("Du machst immer alles kaputt.", BLAME, "Du machst immer alles kaputt"),
    ("Das hast du mir angetan.", BLAME, "Das hast du mir angetan"),
    ("DU MACHST MICH FERTIG", BLAME, "DU MACHST MICH"),
    # Immer und nie (absolute)
    ("Du hörst mir nie zu.", ABSOLUTE, "Du hörst mir nie"),
    ("Du kommst immer zu spät.", ABSOLUTE, "Du kommst immer"),
    ("du hilfst NIE beim Abwasch", ABSOLUTE, "du hilfst NIE"),
    ("Du bist nie zu Hause, wenn ich dich brauche.", ABSOLUTE, "Du bist nie"),
    ("Du wirst das nie verstehen.", ABSOLUTE, "Du wirst das nie"),
    ("Du schaust ständig auf dein Handy.", ABSOLUTE, "Du schaust ständig"),
    ("Du kommst jedes Mal zu spät.", ABSOLUTE, "Du kommst jedes Mal"),
    ("Du hast nie Zeit für mich.", ABSOLUTE, "Du hast nie"),
    ("Du kannst nie zugeben, dass du falsch liegst.", ABSOLUTE, "Du kannst nie"),
    ("Ihr seid immer zu spät.", ABSOLUTE, "Ihr seid immer"),
    ("Nie hörst du mir zu!", ABSOLUTE, "Nie hörst du"),
    ("Immer musst du recht haben.", ABSOLUTE, "Immer musst du"),
    ("Warum unterbrichst du mich immer?", ABSOLUTE, "du mich immer"),
    ("Warum rufst du nie vorher an?", ABSOLUTE, "du nie"),
    ("Jedes Mal, wenn du ausgehst, bin ich allein.", ABSOLUTE, "Jedes Mal, wenn du"),
    ("Immer wenn du gehst, bleibt das Chaos bei mir.", ABSOLUTE, "Immer wenn du"),
    ("Nichts, was du tust, ist je genug.", ABSOLUTE, "Nichts, was du tust"),
    ("Alles, was du sagst, wird zum Streit.", ABSOLUTE, "Alles, was du sagst"),
    (
        "Du kriegst einfach nichts auf die Reihe.",
        ABSOLUTE,
        "Du kriegst einfach nichts auf die Reihe",
    ),
    ("Ich habe das Gefühl, dass du mich nie hörst.", ABSOLUTE, "du mich nie"),
    ("Ich kann nicht glauben, dass du nie angerufen hast.", ABSOLUTE, "du nie"),
    # Herabsetzung (contempt): names
    ("Du bist so egoistisch.", CONTEMPT, "egoistisch"),
    ("Du bist so ein Idiot.", CONTEMPT, "Idiot"),
    ("Du bist erbärmlich.", CONTEMPT, "erbärmlich"),
    ("Du fauler Idiot.", CONTEMPT, "fauler Idiot"),
    ("Das war so egoistisch von dir.", CONTEMPT, "egoistisch"),
    ("Lügner!", CONTEMPT, "Lügner"),
    ("Du Arsch.", CONTEMPT, "Arsch"),
    ("Bist du verrückt?", CONTEMPT, "verrückt"),
    ("Ehrlich, du bist echt nutzlos darin.", CONTEMPT, "nutzlos"),
    ("Dein blödes Handy schon wieder.", CONTEMPT, "blödes"),
    ("Ich finde, du bist ein Versager.", CONTEMPT, "Versager"),
    ("Sei nicht so kindisch.", CONTEMPT, "Sei nicht so kindisch"),
    ("Hör auf, so faul zu sein.", CONTEMPT, "Hör auf, so faul zu sein"),
    # Herabsetzung (contempt): put-downs
    ("Was ist los mit dir?", CONTEMPT, "Was ist los mit dir"),
    ("Was stimmt eigentlich nicht mit dir", CONTEMPT, "Was stimmt eigentlich nicht mit dir"),
    ("Werd endlich erwachsen.", CONTEMPT, "Werd endlich erwachsen"),
    ("Du musst erwachsen werden.", CONTEMPT, "erwachsen werden"),
    ("Ach, halt doch die Klappe.", CONTEMPT, "halt doch die Klappe"),
    ("Egal.", CONTEMPT, "Egal"),
    ("Mir doch egal.", CONTEMPT, "Mir doch egal"),
    ("Egal, ich hab keine Lust mehr.", CONTEMPT, "Egal"),
    ("Wen interessiert's?", CONTEMPT, "Wen interessiert's"),
    ("Jetzt beruhig dich mal.", CONTEMPT, "beruhig dich"),
    ("Komm endlich darüber hinweg.", CONTEMPT, "Komm endlich darüber hinweg"),
    ("Stell dich nicht so an.", CONTEMPT, "Stell dich nicht so an"),
    ("Du übertreibst.", CONTEMPT, "Du übertreibst"),
    ("Du reagierst total über.", CONTEMPT, "Du reagierst total über"),
    ("Du bist viel zu empfindlich.", CONTEMPT, "Du bist viel zu empfindlich"),
    ("Mach nicht so ein Drama.", CONTEMPT, "Mach nicht so ein Drama"),
]

NOT_FLAGGED: list[str] = [
    # About oneself, "we", or someone else
    "Ich werde immer schnell defensiv, wenn ich müde bin.",
    "Wir reden nie über Geld, und das würde ich gern.",
    "Ich wollte dich nie verletzen.",
    "Ich habe dich immer geliebt.",
    "Ich fühle mich dumm wegen dem, was ich gesagt habe.",
    "Ich war gestern so egoistisch, und es tut mir leid.",
    "Ich bin verrückt nach dir.",
    "Wir müssen uns beide erst beruhigen.",
    "Ich muss mich beruhigen, bevor wir reden.",
    "Wenn ich erwachsen bin, will ich einen Garten.",
    "Ich komme darüber hinweg, ich brauche nur etwas Zeit.",
    "Du und ich streiten nie über Kleinigkeiten.",
    "Ihr Bruder ist immer nett zu mir.",
    # Sayings
    "Man weiß nie, vielleicht hilft es.",
    "Du weißt nie, was als Nächstes kommt.",
    "Egal, was passiert, ich bin da.",
    "Egal, wie lange es dauert, ich warte.",
    # Negated, softened and reassuring
    "Es ist nicht deine Schuld.",
    "Es war überhaupt nicht deine Schuld.",
    "Ich habe nie gesagt, dass es deine Schuld ist.",
    "Du bist nicht dumm, du warst müde.",
    "Ich finde nicht, dass du faul bist.",
    "Es ist nicht wegen dir.",
    "Ich sage nicht, dass du nie hilfst.",
    "Du hörst nicht immer zu, aber heute schon.",
    "Bist du immer noch wütend?",
    "Du bist noch immer sauer, das merke ich, und das ist okay.",
    "Ich weiß, du meinst es nie böse.",
    "Nicht jedes Mal, wenn du zu spät kommst, ist das schlimm.",
    "Nichts, was du getan hast, hat das verursacht.",
    "Du bist doch kein Versager.",
    # Warm
    "Du bringst mich immer zum Lachen.",
    "Du machst mich glücklich.",
    "Du hast mich so glücklich gemacht.",
    "Ich bin so froh wegen dir.",
    "Jedes Mal, wenn du mich umarmst, werde ich ruhiger.",
    "Ich liebe alles, was du für uns tust.",
    "Du verurteilst mich nie, und das bedeutet mir viel.",
    "Du lässt mich nie im Stich.",
    "Du bist immer für mich da.",
    "Du bist immer so geduldig mit mir.",
    "Ich vermisse dich, du fehlst mir immer so.",
    "Du kannst immer zu mir kommen.",
    "Du hast nie etwas falsch gemacht.",
    "Wegen dir habe ich heute gelacht.",
    # Plain questions
    "Gehst du immer diesen Weg nach Hause?",
    "Bist du immer so ruhig vor einer Reise?",
    # Quoted and reported
    "Als du „du hörst nie zu“ gesagt hast, habe ich mich klein gefühlt.",
    "Als du »egal« gesagt hast, habe ich mich abgewiesen gefühlt.",
    'Als du "Du bist so egoistisch" gesagt hast, hat das wehgetan.',
    "Du hast mich faul genannt, und das hat wehgetan.",
    "Du hast gesagt, ich sei dumm.",
    "Er hat mich bei der Arbeit einen Idioten genannt.",
    # Ordinary requests and I-statements
    "Ich fühle mich verletzt, wenn Pläne sich kurzfristig ändern, weil ich wissen muss, "
    "woran ich bin.",
    "Können wir heute Abend nach dem Essen reden?",
    "Ich brauche etwas Abstand, dann möchte ich darauf zurückkommen.",
    "Dieser Film ist blöd, lass uns einen anderen nehmen.",
    # tend's own German templates, as people send them
    "Was gerade passiert ist, hat etwas in mir ausgelöst. Ich merke es und möchte mich "
    "darum kümmern, bevor wir weitermachen.",
    "Mein Körper reagiert gerade stark. Ich gebe dir damit nicht die Schuld. Ich möchte "
    "nur, dass du weißt, was in mir los ist.",
    "Ich glaube, wir sind gerade beide aufgewühlt. Lass uns hier kurz anhalten, uns beide "
    "etwas Zeit zum Ruhigwerden nehmen und dann darauf zurückkommen.",
    "",
]


@pytest.mark.parametrize(("sentence", "kind", "phrase"), FLAGGED)
def test_flags_what_can_land_as_an_attack(sentence: str, kind: str, phrase: str) -> None:
    flags = gentle_de.check(sentence)
    assert [(f.kind, f.phrase) for f in flags] == [(kind, phrase)]


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_leaves_kind_and_ordinary_words_alone(sentence: str) -> None:
    assert gentle_de.check(sentence) == []


def test_the_corpus_is_big_enough_both_ways() -> None:
    assert len(FLAGGED) >= 40
    assert len(NOT_FLAGGED) >= 40
    assert {kind for _s, kind, _p in FLAGGED} == {BLAME, ABSOLUTE, CONTEMPT}
    assert len({s for s, _k, _p in FLAGGED} | set(NOT_FLAGGED)) == len(FLAGGED) + len(NOT_FLAGGED)


def test_positions_point_into_the_original_text() -> None:
    text = "Ehrlich… du kommst IMMER zu spät, und das ist deine Schuld."
    flags = gentle_de.check(text)
    assert [(f.kind, text[f.start : f.end]) for f in flags] == [
        (ABSOLUTE, "du kommst IMMER"),
        (BLAME, "das ist deine Schuld"),
    ]
    assert all(f.phrase == text[f.start : f.end] for f in flags)


def test_curly_apostrophes_are_read_as_plain_ones() -> None:
    [flag] = gentle_de.check("Wen interessiert’s?")
    assert flag.phrase == "Wen interessiert’s"


def test_positions_hold_after_letters_that_change_length_in_lower_case() -> None:
    text = "İSTANBUL war STRAẞE-Spaß. Du rufst NIE an."
    [flag] = gentle_de.check(text)
    assert text[flag.start : flag.end] == "Du rufst NIE"


def test_several_kinds_in_one_message_come_in_order() -> None:
    flags = gentle_de.check("Du hörst nie zu. Was ist los mit dir? Du machst mich wahnsinnig.")
    assert [f.kind for f in flags] == [ABSOLUTE, CONTEMPT, BLAME]


def test_each_flag_explains_with_the_shared_guidance() -> None:
    # The same explanation as English, gettext'd: the German words come from the catalogue.
    for kind in (BLAME, ABSOLUTE, CONTEMPT):
        sentence = next(s for s, k, _p in FLAGGED if k == kind)
        flag = gentle_de.check(sentence)[0]
        assert flag.why == str(gentle.KINDS[kind].why)
        assert flag.suggestion == str(gentle.KINDS[kind].suggestion)


def test_overlaps_give_one_flag_for_the_longer_phrase() -> None:
    # "du machst mich immer" is both an absolute and blame: one flag, blame.
    flags = gentle_de.check("du machst mich immer so müde")
    assert [(f.kind, f.phrase) for f in flags] == [(BLAME, "du machst mich immer so")]


def test_grouped_shows_each_kind_once_with_its_phrases() -> None:
    flags = gentle_de.check("Du vergisst immer alles. Du vergisst immer alles. Du Idiot.")
    groups = gentle.grouped(flags)
    assert [(g.kind.key, g.phrases) for g in groups] == [
        (ABSOLUTE, ("Du vergisst immer",)),
        (CONTEMPT, ("Idiot",)),
    ]


def test_long_text_is_checked_quickly() -> None:
    import time

    text = "Ich fühle mich verletzt, wenn du gehst. Du hörst mir nie zu. " * 200
    started = time.perf_counter()
    flags = gentle_de.check(text)
    # Not a benchmark: a guard against a rule that goes quadratic on a long message.
    assert time.perf_counter() - started < 5
    assert len(flags) == 200


# --- Never blocking ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"duihrnemaclskgötüßäÄÖÜİ ,.!?;'’„“»«\"-\n",
                *("du ", "nie ", "immer ", "Schuld ", "Idiot ", "egal", "wegen dir ", "mich "),
            ]
        ),
        max_size=80,
    ).map("".join)
)
def test_any_text_is_read_without_error_and_flags_point_into_it(text: str) -> None:
    flags = gentle_de.check(text)
    assert all(isinstance(f, Flag) and f.phrase == text[f.start : f.end] for f in flags)
    assert [f.start for f in flags] == sorted(f.start for f in flags)


def test_a_flagged_message_is_still_sent_as_written(cast: Cast) -> None:
    # The check only explains: what the person sends goes to the others unchanged.
    from django.urls import reverse

    text = "Du hörst mir nie zu, du Idiot. Das ist alles deine Schuld."
    assert {f.kind for f in gentle_de.check(text)} == {ABSOLUTE, CONTEMPT, BLAME}
    url = reverse("repair_voice", args=[cast.us.pk, cast.repair.pk])
    response = client_for(cast.ada).post(url, {"text": text})
    assert response.status_code in (302, 303)
    page = people_panel(client_for(cast.ben), reverse("repair", args=[cast.us.pk, cast.repair.pk]))
    assert text in page
