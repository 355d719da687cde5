"""The Spanish gentle-language check, on a corpus of sentences written for it.

The corpus pins the choices documented in tend.care.gentle_es: what is aimed at "tú" is
noticed (Spanish drops the pronoun, so the verb tells); what is about oneself, negated,
warm, asked plainly or quoted is not. Like English, it explains and never blocks.
"""

import pytest

from tend.care import gentle, gentle_es
from tend.care.gentle import ABSOLUTE, BLAME, CONTEMPT

# Sentence, the kind expected, and the words the flag should cover.
FLAGGED: list[tuple[str, str, str]] = [
    # Blame
    ("Me haces sentir como si no valiera nada.", BLAME, "Me haces"),
    ("Mira lo que me hiciste hacer.", BLAME, "me hiciste"),
    ("Tú siempre me haces esperar.", BLAME, "Tú siempre me haces"),
    ("ME HICISTE LLORAR", BLAME, "ME HICISTE"),
    ("Por tu culpa llegamos tarde.", BLAME, "Por tu culpa"),
    ("Es culpa tuya y lo sabes.", BLAME, "Es culpa tuya"),
    ("Todo es tu culpa.", BLAME, "Todo es tu culpa"),
    ("todo es tu culpa", BLAME, "todo es tu culpa"),
    ("La culpa es toda tuya.", BLAME, "La culpa es toda tuya"),
    ("Tú tienes la culpa de esto.", BLAME, "Tú tienes la culpa"),
    ("Lo arruinaste todo.", BLAME, "Lo arruinaste"),
    ("Arruinaste la noche entera.", BLAME, "Arruinaste"),
    ("Me sacas de quicio con esto.", BLAME, "Me sacas de quicio"),
    ("Me pones de los nervios.", BLAME, "Me pones de los nervios"),
    # Absolutes: the verb says who is meant
    ("Siempre llegas tarde.", ABSOLUTE, "Siempre llegas"),
    ("Nunca me escuchas.", ABSOLUTE, "Nunca me escuchas"),
    ("No me escuchas nunca.", ABSOLUTE, "No me escuchas nunca"),
    ("Tú nunca ayudas con los platos.", ABSOLUTE, "Tú nunca ayudas"),
    ("Jamás me preguntas cómo estoy.", ABSOLUTE, "Jamás me preguntas"),
    ("Estás siempre con el móvil.", ABSOLUTE, "Estás siempre"),
    ("Cada vez que sales, me quedo sola.", ABSOLUTE, "Cada vez que sales"),
    ("Todo lo que dices acaba en pelea.", ABSOLUTE, "Todo lo que dices"),
    ("Nada de lo que dices tiene sentido.", ABSOLUTE, "Nada de lo que dices"),
    ("¿Por qué siempre me interrumpes?", ABSOLUTE, "siempre me interrumpes"),
    ("No puedo creer que nunca llames.", ABSOLUTE, "nunca llames"),
    ("Siento que nunca me escuchas.", ABSOLUTE, "nunca me escuchas"),
    ("No haces nada bien.", ABSOLUTE, "No haces nada bien"),
    ("Tú siempre con lo mismo.", ABSOLUTE, "Tú siempre"),
    ("vos siempre llegás tarde", ABSOLUTE, "vos siempre llegás"),
    ("Nunca dejas de quejarte.", ABSOLUTE, "Nunca dejas"),
    ("Siempre llegas tarde, sin avisar.", ABSOLUTE, "Siempre llegas"),
    # Contempt: names aimed at "tú"
    ("Eres un egoísta.", CONTEMPT, "egoísta"),
    ("Eres una idiota.", CONTEMPT, "idiota"),
    ("eres una egoista", CONTEMPT, "egoista"),
    ("¡Mentiroso!", CONTEMPT, "Mentiroso"),
    ("Qué egoísta eres.", CONTEMPT, "egoísta"),
    ("Qué egoísta de tu parte.", CONTEMPT, "egoísta"),
    ("¿Estás loco?", CONTEMPT, "loco"),
    ("Sinceramente, eres un inútil para esto.", CONTEMPT, "inútil"),
    ("Tu estúpido teléfono otra vez.", CONTEMPT, "estúpido"),
    ("Eres egoísta y mentiroso.", CONTEMPT, "egoísta y mentiroso"),
    ("No seas tan infantil.", CONTEMPT, "No seas tan infantil"),
    ("Deja de ser tan vago.", CONTEMPT, "Deja de ser tan vago"),
    # Contempt: put-downs
    ("¿Cuál es tu problema?", CONTEMPT, "Cuál es tu problema"),
    ("¿Qué demonios te pasa?", CONTEMPT, "Qué demonios te pasa"),
    ("Cállate.", CONTEMPT, "Cállate"),
    ("Cierra la boca.", CONTEMPT, "Cierra la boca"),
    ("¡Madura!", CONTEMPT, "Madura"),
    ("Tienes que madurar.", CONTEMPT, "Tienes que madurar"),
    ("Supéralo.", CONTEMPT, "Supéralo"),
    ("Cálmate.", CONTEMPT, "Cálmate"),
    ("Lo que sea.", CONTEMPT, "Lo que sea"),
    ("Bueno, lo que sea.", CONTEMPT, "lo que sea"),
    ("Me da igual.", CONTEMPT, "Me da igual"),
    ("Estás exagerando.", CONTEMPT, "Estás exagerando"),
    ("Eres demasiado sensible.", CONTEMPT, "Eres demasiado sensible"),
    ("Te estás poniendo dramática otra vez.", CONTEMPT, "Te estás poniendo dramática"),
]

NOT_FLAGGED: list[str] = [
    # About oneself, "we", or someone else
    "Siempre llego tarde cuando estoy cansada.",
    "Nunca hablamos de dinero, y me gustaría.",
    "Nunca quise hacerte daño.",
    "Siempre te he querido.",
    "Me siento estúpida por lo que dije.",
    "Fui muy egoísta anoche, y lo siento.",
    "Estoy loca por ti.",
    "Los dos necesitamos calmarnos.",
    "Necesito calmarme antes de hablar.",
    "Antes siempre cenábamos juntos.",
    "Él siempre me dice que exagero.",
    "Siempre llega tarde, pero no es culpa de nadie.",
    # Sayings
    "Nunca se sabe, puede que ayude.",
    "Nunca sabes lo que puede pasar.",
    "Lo que sea que necesites, dímelo.",
    "Lo que sea que pase, aquí estoy.",
    "Me da igual dónde cenemos, elige tú.",
    # Negated and reassuring
    "No es tu culpa.",
    "No fue culpa tuya en absoluto.",
    "Nunca dije que fuera tu culpa.",
    "No eres tonto, estabas cansado.",
    "No creo que seas un vago.",
    "No digo que nunca ayudes.",
    "No es por tu culpa que estoy así.",
    "Nada de lo que hiciste causó esto.",
    "No estás exagerando, te entiendo.",
    # Warm
    "Siempre me haces reír.",
    "Me haces sentir a salvo.",
    "Me hiciste un café esta mañana y me ayudó.",
    "Me haces falta.",
    "Me hiciste daño con lo que dijiste, y necesito que lo hablemos.",
    "Cada vez que me abrazas me siento más tranquila.",
    "Me encanta todo lo que haces por nosotros.",
    "Gracias por todo lo que hiciste.",
    "Nunca me juzgas, y eso me importa.",
    "Nunca me fallas.",
    "Nunca dejas de sorprenderme.",
    "Siempre has estado ahí para mí.",
    "Siempre estás ahí cuando te necesito.",
    "Siempre vas a tener un lugar aquí.",
    "Te quiero, tonta.",
    "Estaré ahí para ti siempre.",
    "Me vuelves loca de amor.",
    "Me pones de buen humor.",
    # Plain questions
    "¿Siempre vuelves a casa por este camino?",
    "¿Estás siempre así de tranquila antes de un viaje?",
    # Quoted and reported
    "Cuando dijiste «nunca escuchas», me sentí pequeña.",
    "Cuando dijiste “lo que sea”, me sentí ignorada.",
    "Me llamaste vaga, y me dolió.",
    "Dijiste que yo era estúpida.",
    "En el trabajo me llamó idiota.",
    # Ordinary requests and I-statements
    "Me duele cuando los planes cambian a última hora, porque necesito saber a qué atenerme.",
    "¿Podemos hablar esta noche después de cenar?",
    "Necesito un poco de espacio, y luego me gustaría volver a esto.",
    "Esta película es estúpida, elijamos otra.",
    "La fruta ya está madura.",
    "Tienes razón, lo siento.",
    "",
]


@pytest.mark.parametrize(("sentence", "kind", "phrase"), FLAGGED)
def test_flags_what_can_land_as_an_attack(sentence: str, kind: str, phrase: str) -> None:
    flags = gentle_es.check(sentence)
    assert [(f.kind, f.phrase) for f in flags] == [(kind, phrase)]


@pytest.mark.parametrize("sentence", NOT_FLAGGED)
def test_leaves_kind_and_ordinary_words_alone(sentence: str) -> None:
    assert gentle_es.check(sentence) == []


def test_the_corpus_is_big_enough_both_ways() -> None:
    assert len(FLAGGED) + len(NOT_FLAGGED) >= 40
    assert len(FLAGGED) >= 30
    assert len(NOT_FLAGGED) >= 30
    assert {kind for _s, kind, _p in FLAGGED} == {BLAME, ABSOLUTE, CONTEMPT}


def test_positions_point_into_the_original_text_with_its_accents() -> None:
    text = "Sinceramente… tú SIEMPRE llegás tarde, y es culpa tuya."
    flags = gentle_es.check(text)
    assert [(f.kind, text[f.start : f.end]) for f in flags] == [
        (ABSOLUTE, "tú SIEMPRE llegás"),
        (BLAME, "es culpa tuya"),
    ]
    assert all(f.phrase == text[f.start : f.end] for f in flags)


def test_several_kinds_in_one_message_come_in_order() -> None:
    flags = gentle_es.check("Nunca me escuchas. ¿Cuál es tu problema? Me hiciste decirlo.")
    assert [f.kind for f in flags] == [ABSOLUTE, CONTEMPT, BLAME]


def test_each_flag_carries_gentles_own_explanation_and_suggestion() -> None:
    # The same Kind texts as English, translated through the catalogue by the page.
    for kind in (BLAME, ABSOLUTE, CONTEMPT):
        sentence = next(s for s, k, _p in FLAGGED if k == kind)
        flag = gentle_es.check(sentence)[0]
        assert flag.why and flag.why == str(gentle.KINDS[kind].why)
        assert flag.suggestion == str(gentle.KINDS[kind].suggestion)


def test_flags_are_gentles_flags_so_the_page_groups_them_the_same_way() -> None:
    flags = gentle_es.check("Siempre te olvidas. Siempre te olvidas. Eres un idiota.")
    assert all(isinstance(f, gentle.Flag) for f in flags)
    groups = gentle.grouped(flags)
    assert [(g.kind.key, g.phrases) for g in groups] == [
        (ABSOLUTE, ("Siempre te olvidas",)),
        (CONTEMPT, ("idiota",)),
    ]


def test_overlaps_give_one_flag_for_the_longer_phrase() -> None:
    # "siempre me haces" is both an absolute and blame: one flag, blame.
    assert [(f.kind, f.phrase) for f in gentle_es.check("siempre me haces esperar")] == [
        (BLAME, "siempre me haces")
    ]


def test_it_never_blocks_it_only_reads() -> None:
    # The check returns what it noticed and nothing else: the text is not changed, and
    # any text at all (empty, odd characters, very long) gives an answer, not an error.
    text = "Nunca me escuchas. Eres un egoísta."
    before = str(text)
    flags = gentle_es.check(text)
    assert text == before
    assert [f.kind for f in flags] == [ABSOLUTE, CONTEMPT]
    for odd in ("", "   ", "¿¡", "ñÑ 🙂 İSTANBUL ß", "\u00bf" * 50, "a" * 10_000):
        assert isinstance(gentle_es.check(odd), list)


def test_the_page_shows_spanish_flags_and_still_lets_you_send(cast, as_user, monkeypatch) -> None:
    # Never blocking, as English's view test shows it. The choice of check by language is
    # i18n's dispatch in gentle.check; here the view is given the Spanish check directly.
    from tend.care import views

    monkeypatch.setattr(views.gentle, "check", gentle_es.check)
    response = as_user(cast.ada).post(
        "/care/gentle-check/", {"text": "Nunca me escuchas. Eres un egoísta."}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<q>Nunca me escuchas</q>" in html
    assert "<q>egoísta</q>" in html
    assert "You can send it as it is" in html  # the catalogue's words once .mo is built


def test_long_text_is_checked_quickly() -> None:
    import time

    text = "Me duele cuando te vas sin decir nada. Nunca me escuchas. " * 200
    started = time.perf_counter()
    flags = gentle_es.check(text)
    # Not a benchmark: a guard against a rule that goes quadratic on a long message.
    assert time.perf_counter() - started < 5
    assert len(flags) == 200
