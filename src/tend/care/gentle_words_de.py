"""The German word lists the gentle-language check reads with (see tend.care.gentle_de).

Lower case, plain apostrophes. Adding a word here changes what is flagged: add a sentence
to the corpus in tests/care/test_gentle_de.py with it.
"""

NEGATIONS = {
    "nicht", "nich", "nie", "niemals", "nimmer", "kein", "keine", "keiner", "keinen",
    "keinem", "keines", "niemand", "kaum", "weder",
}  # fmt: skip
# Words that report a claim: "Ich sage nicht, dass du ...", "Ich habe nie gesagt, ...".
CLAIMS = {
    "sage", "sagen", "sagte", "gesagt", "meine", "meinte", "gemeint", "glaube", "glauben",
    "geglaubt", "denke", "dachte", "gedacht", "finde", "fand", "behaupte", "behauptet",
    "behaupten", "will", "wollte", "dass", "heißt", "nenne", "genannt", "werfe",
    "vorwerfen", "vorgeworfen", "fühle", "gefühlt", "wahr", "stimmt",
}  # fmt: skip
# "du" as the one doing it. German marks the case, so "dich", "dir" (the object) are not
# here: "Ich habe dich immer geliebt" is not about what "du" always does.
YOU_SUBJECT = {"du", "ihr"}
# Any form of "you", for names aimed at the reader ("du Idiot", "dein blödes Handy").
YOU = {
    "du", "dich", "dir", "dein", "deine", "deiner", "deinen", "deinem", "deines", "ihr",
    "euch", "euer", "eure", "euren", "eurem", "eurer", "eures",
}  # fmt: skip
# About me, us, them or a thing: a name next to these is not aimed at "you".
OTHERS = {
    "ich", "mich", "mir", "mein", "meine", "meiner", "meinen", "meinem", "meines", "wir",
    "uns", "unser", "unsere", "unseren", "unserem", "unserer", "er", "sie", "es", "ihn",
    "ihm", "ihnen", "sein", "seine", "seinen", "seinem", "seiner", "das", "dies",
    "dieser", "diese", "dieses", "diesen", "jemand", "man", "alle", "jeder", "leute",
}  # fmt: skip
# Question words: "Warum hörst du nie zu?" is not a plain question.
WHY = {"warum", "wieso", "weshalb", "wie", "wozu"}
POSITIVE = {
    "liebe", "lieb", "liebst", "geliebt", "lieben", "liebevoll", "danke", "dankbar",
    "glücklich", "froh", "lachen", "lache", "lachst", "lächeln", "lächelst", "sicher",
    "geborgen", "ruhig", "ruhiger", "freundlich", "gütig", "großzügig", "sanft", "hilfst",
    "hilft", "geholfen", "hilfreich", "unterstützt", "unterstützen", "umarmst",
    "umarmung", "hältst", "stolz", "beste", "besten", "schön", "wunderbar", "toll",
    "großartig", "wundervoll", "kümmerst", "erinnerst", "willkommen", "besonders",
    "besser", "stark", "stärker", "warm", "tröstest", "mutig", "witzig", "lustig",
    "freude", "spaß", "hoffnung", "frieden", "vertraue", "vertrauen", "geduldig",
    "aufmerksam", "einfühlsam", "gut", "klug", "schlau", "talentiert", "zärtlich",
    "verständnisvoll", "schätze", "bewundere", "vermisse", "fehlst",
    "gelacht", "gelächelt", "gefreut", "freue", "freust",
}  # fmt: skip
# Warm phrases no single word carries: "Du bist immer für mich da".
WARM_PHRASES = (
    ("für", "mich", "da"),
    ("für", "uns", "da"),
    ("zum", "lachen"),
    ("zum", "lächeln"),
)
NEGATIVE = {
    "weh", "wehgetan", "verletzt", "verletzend", "ignorierst", "ignoriert", "unterbrichst",
    "schreist", "angeschrien", "kritisierst", "beschuldigst", "spät", "vergisst",
    "vergessen", "gehst", "wütend", "sauer", "traurig", "klein", "schlimmer", "weinen",
    "weine", "angst", "allein", "einsam", "ängstlich", "elend", "chaos", "lügst",
    "gelogen", "betrügst", "beschwerst", "nörgelst", "schlecht", "schlimmste", "hasse",
    "hasst", "nervst", "nervig", "peinlich", "schäme", "schuldig", "unsicher",
    "unglücklich", "unsichtbar", "frustriert", "ohne", "aufhören", "mehr", "außer", "bis",
    "aber", "unhöflich", "schmerz", "krank", "müde", "weg", "kaputt", "wahnsinnig",
    "verrückt", "fertig",
}  # fmt: skip
# Around "du ... nie", these make it kind: "Du verurteilst mich nie", "nie böse gemeint".
KIND_AFTER_NEVER = {
    "verurteilst", "urteilst", "kritisierst", "beschuldigst", "schreist", "brüllst",
    "zweifelst", "enttäuschst", "lügst", "drängst", "hetzt", "beschwerst", "meckerst",
    "nörgelst", "verlässt", "bedrängst", "beschämst", "lachst", "böse",
    "falsch",
}  # fmt: skip
# "Du weißt nie, ...": a saying, aimed at nobody.
SAYINGS = {"weißt", "wusstest"}
# Names and put-downs, as stems with their endings: adjectives take -e/-er/-es/-en/-em.
INSULT_ADJECTIVES = (
    "dumm", "blöd", "bescheuert", "behämmert", "doof", "egoistisch", "selbstsüchtig",
    "faul", "verrückt", "irre", "gestört", "nutzlos", "wertlos", "erbärmlich", "armselig",
    "lächerlich", "kindisch", "unreif", "verwöhnt", "ekelhaft", "widerlich", "feige",
    "hysterisch", "narzisstisch", "toxisch", "hässlich", "unfähig", "unerträglich",
    "herzlos", "kaltherzig", "manipulativ", "paranoid", "undankbar", "rückgratlos",
    "peinlich",
)  # fmt: skip
INSULT_NOUNS = (
    "idiot", "idioten", "idiotin", "vollidiot", "vollidioten", "trottel", "depp",
    "deppen", "dummkopf", "schwachkopf", "versager", "versagerin", "lügner", "lügnerin",
    "arschloch", "arsch", "mistkerl", "penner", "loser", "feigling", "spinner",
    "spinnerin", "psycho", "narzisst", "narzisstin", "heulsuse", "memme", "weichei",
    "zicke", "schlampe", "miststück", "nervensäge", "egoist", "egoistin", "faulpelz",
    "witzfigur", "blödmann", "vollpfosten",
)  # fmt: skip
