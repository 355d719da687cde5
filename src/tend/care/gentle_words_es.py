"""The word lists the Spanish gentle-language check reads with (see tend.care.gentle_es).

Lower case and without accents, though "ñ" stays: the check reads "tú" as "tu" and "está"
as "esta", since many people type without them on a phone. Adding a word here changes what
is flagged: add a sentence to the corpus in tests/care/test_gentle_es.py with it.
"""

NEGATIONS = {"no", "nunca", "jamas", "ni", "tampoco", "nadie"}
# Words that report a claim: "no digo que nunca ...", "nunca dije que fuera ...".
CLAIMS = {
    "digo", "dije", "decir", "diciendo", "dices", "creo", "crei", "pienso", "pense",
    "quiero", "quise", "que", "es", "era", "fue", "sea", "verdad", "cierto", "culpo",
    "siento", "senti", "significa",
}  # fmt: skip
# Pronouns that may stand between "siempre"/"nunca" and a verb: "nunca me escuchas".
CLITICS = {"me", "te", "nos", "lo", "la", "le", "los", "las", "les", "se"}
# Words that end like a verb said to "tú" (-as, -es, -aste, -iste) but are not one.
NOT_VERBS = {
    "es", "este", "triste", "las", "les", "mas", "pues", "tres", "antes", "despues",
    "veces", "mientras", "entonces", "ademas", "quizas", "jamas", "atras", "detras",
    "demas", "mes", "gracias", "ganas", "cosas", "horas", "personas", "noches", "tardes",
    "semanas", "fines", "lunes", "martes", "miercoles", "jueves", "viernes", "todas",
    "esas", "aquellas", "nuestras", "vuestras", "otras", "algunas", "muchas",
    "pocas", "tantas", "cuantas", "buenas", "malas", "juntas", "sus",
}  # fmt: skip
# Words that say the one spoken to is meant: "eres", "tu", "te", "sos" ...
YOU = {
    "tu", "tus", "ti", "te", "contigo", "tuyo", "tuya", "eres", "estas", "seas", "estes",
    "fuiste", "eras", "estabas", "seras", "pareces", "parecias", "actuas", "vos", "sos",
    "usted",
}  # fmt: skip
# Words that say someone else is meant: me, us, them, or a thing.
OTHERS = {
    "yo", "me", "mi", "mis", "conmigo", "soy", "estoy", "estaba", "era", "fui", "sere",
    "nosotros", "nosotras", "nos", "somos", "estamos", "nuestro", "nuestra", "ella",
    "ellos", "ellas", "les", "su", "sus", "es", "son", "esta", "esto", "eso", "ese", "esa",
    "fue", "alguien", "gente", "todos", "todo", "mio", "mia", "parece", "llamo", "llamaste",
    "dijo", "dijiste", "sentir", "siento", "senti", "sentia",
}  # fmt: skip
# Beginnings of warm words: "siempre me haces reir", "cada vez que me abrazas".
WARM = (
    "ayud", "escuch", "cuid", "apoy", "abraz", "reir", "ries", "sonri", "sonre", "feliz",
    "segur", "quier", "amo", "amas", "amor", "cariñ", "graci", "agradec", "alegr", "calm",
    "tranquil", "bien", "mejor", "bonit", "precios", "maravill", "especial", "fuert",
    "valient", "confi", "perdon", "acompañ", "entiend", "comprend", "anim", "consuel",
    "hermos", "gust", "encant", "orgull", "paz", "bes", "mim", "divert", "genial", "cerca",
    "aqui", "ahi", "presente", "comod", "acuerd", "salvo", "sorprend",
)  # fmt: skip
# Beginnings of sore words: with one of these nearby, a warm word does not make it kind.
SORE = (
    "dol", "duel", "daño", "herid", "ignor", "interrump", "grit", "critic", "culp", "tarde",
    "olvid", "dej", "enfad", "enoj", "trist", "llor", "sol", "mied", "asust", "ansi",
    "arruin", "mient", "menti", "engañ", "quej", "regañ", "mal", "peor", "odi", "molest",
    "verguenz", "avergonz", "frustr", "furios", "sin", "pero", "hasta", "cans",
    "irte", "fuiste", "pelea", "discut", "nunca", "nada",
)  # fmt: skip
# After "nunca", these mean something kind: "nunca me juzgas", "nunca me fallas".
KIND_AFTER_NEVER = (
    "juzg", "culp", "critic", "grit", "falla", "fall", "dud", "hier", "mient", "menti",
    "presion", "apur", "meti", "reproch", "rind", "abandon", "humill", "insult",
)  # fmt: skip
# "nunca sabes", "nunca se sabe": sayings, aimed at nobody.
SAYINGS = {"sabes", "sabe", "se"}
# "me hiciste un cafe", "me haces falta", "me hiciste caso", "me hiciste dano":
# something made for me, a need, or a hurt said plainly, not a feeling put on the other.
MADE_FOR = {
    "un", "una", "unos", "unas", "el", "la", "los", "las", "cafe", "te", "cena", "comida",
    "desayuno", "algo", "falta", "caso", "daño", "mi", "mis", "nuestra", "nuestro", "sitio",
    "lugar", "compañia", "regalo", "favor", "pregunta", "preguntas",
}  # fmt: skip
# Names and put-downs (every gender and number that people use).
INSULTS = {
    "idiota", "idiotas", "estupido", "estupida", "estupidos", "estupidas", "tonto", "tonta",
    "tontos", "tontas", "imbecil", "imbeciles", "egoista", "egoistas", "vago", "vaga",
    "flojo", "floja", "perezoso", "perezosa", "inutil", "inutiles", "patetico", "patetica",
    "ridiculo", "ridicula", "mentiroso", "mentirosa", "mentirosos", "cobarde", "cobardes",
    "loco", "loca", "histerico", "histerica", "dramatico", "dramatica", "exagerado",
    "exagerada", "infantil", "inmaduro", "inmadura", "malcriado", "malcriada", "cerdo",
    "cerda", "payaso", "payasa", "asqueroso", "asquerosa", "cretino", "cretina",
    "gilipollas", "pendejo", "pendeja", "boludo", "boluda", "cabron", "cabrona", "capullo",
    "capulla", "narcisista", "toxico", "toxica", "manipulador", "manipuladora",
    "paranoico", "paranoica", "desagradecido", "desagradecida", "insoportable",
    "fracasado", "fracasada", "perdedor", "perdedora", "subnormal", "retrasado",
    "retrasada", "mimado", "mimada", "sinverguenza", "descerebrado", "descerebrada",
    "tarado", "tarada", "zorra", "bruto", "bruta", "burro", "burra", "cruel", "falso",
    "falsa", "incompetente",
}  # fmt: skip
# Said with love as often as not ("te quiero, tonta"): not a name when something warm
# is in the same sentence.
FOND = {"tonto", "tonta", "loco", "loca", "bobo", "boba", "burro", "burra"}
