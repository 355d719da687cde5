"""The word lists the gentle-language check reads with (see tend.care.gentle).

Lower case, plain apostrophes. Adding a word here changes what is flagged: add a sentence
to the corpus in tests/care/test_gentle.py with it.
"""

NEGATIONS = {"not", "never", "cannot", "nobody", "hardly", "nor"}
# Words that report a claim: "I'm not saying you ...", "I never said it was ...".
CLAIMS = {
    "think", "thought", "say", "said", "saying", "mean", "meant", "believe", "believed",
    "call", "called", "calling", "claim", "claiming", "true", "suggest", "suggesting",
    "blame", "blaming", "that", "feel", "felt",
}  # fmt: skip
AUXILIARIES = {
    "do", "does", "did", "are", "were", "have", "had", "can", "could", "will", "would",
    "should", "is", "was", "don't", "didn't", "won't",
}  # fmt: skip
YOU = {
    "you", "u", "you're", "youre", "ur", "your", "yours", "yourself", "you've", "you'd",
    "you'll", "ya",
}  # fmt: skip
OTHERS = {
    "i", "i'm", "im", "me", "my", "myself", "i've", "i'd", "i'll", "we", "we're", "us",
    "our", "ourselves", "he", "she", "they", "he's", "she's", "they're", "him", "her",
    "them", "his", "their", "it", "it's", "this", "that", "that's", "who", "someone",
    "people", "everyone",
}  # fmt: skip
POSITIVE = {
    "love", "loved", "loves", "loving", "lovely", "thank", "thanks", "thankful", "grateful",
    "appreciate", "appreciated", "happy", "happier", "glad", "laugh", "laughs", "laughing",
    "smile", "smiles", "smiling", "grin", "safe", "safer", "calm", "calmer", "kind",
    "kinder", "kindest", "generous", "gentle", "help", "helps", "helped", "helpful",
    "support", "supports", "supported", "hug", "hugs", "hold", "proud", "best", "beautiful",
    "wonderful", "amazing", "care", "cares", "cared", "remember", "remembers", "welcome",
    "special", "better", "strong", "stronger", "warm", "comfort", "comforts", "cheer",
    "inspire", "inspires", "brave", "funny", "joy", "fun", "hope", "hopeful", "alive",
    "peace", "peaceful", "trust", "listen", "listens", "forgive", "cherish", "adore",
    "good", "great", "talented", "smart", "clever", "there",
}  # fmt: skip
NEGATIVE = {
    "hurt", "hurts", "ignore", "ignores", "ignored", "interrupt", "interrupts", "yell",
    "yells", "shout", "shouts", "criticize", "criticise", "blame", "late", "forget",
    "forgets", "forgot", "leave", "angry", "mad", "sad", "upset", "small", "worse", "cry",
    "crying", "scared", "afraid", "alone", "lonely", "anxious", "miserable", "ruin",
    "ruins", "mess", "lie", "lies", "lied", "cheat", "complain", "complains", "nag", "bad",
    "worst", "hate", "hates", "annoy", "annoys", "annoying", "embarrass", "embarrassed",
    "ashamed", "guilty", "unsafe", "unhappy", "invisible", "frustrated", "furious",
    "without", "stop", "stopped", "anymore", "except", "unless", "until", "but", "rude",
    "pain", "sick", "tired", "dumped", "walk", "away",
}  # fmt: skip
# After "you never", these mean something kind: "you never judge me".
KIND_AFTER_NEVER = {
    "judge", "judged", "judges", "blame", "blamed", "blames", "criticize", "criticise",
    "criticized", "yell", "yelled", "shout", "shouted", "fail", "fails", "failed",
    "doubt", "doubted", "hurt", "hurts", "mock", "mocked", "cease", "complain",
    "complained", "rush", "rushed", "pressure", "pressured", "lie", "lied", "quit",
}  # fmt: skip
# "... for you always", "I miss you always": "you" is not the one doing.
OBJECT_OF = {
    "for", "with", "to", "of", "at", "about", "from", "love", "miss", "need", "want",
    "thank", "see", "tell", "told", "ask", "asked", "call", "hug", "trust",
}  # fmt: skip
# "you never know", "you always can tell" ...: sayings, aimed at nobody.
SAYINGS = {"know", "can", "knew"}
# "you made me a cake": something made for someone, not a feeling caused.
MADE_FOR = {
    "a", "an", "the", "some", "this", "that", "dinner", "breakfast", "lunch", "tea",
    "coffee", "soup", "food", "something", "one", "two", "my", "our", "toast",
}  # fmt: skip
INSULTS = {
    "idiot", "idiots", "idiotic", "stupid", "dumb", "moron", "moronic", "pathetic",
    "selfish", "lazy", "crazy", "insane", "psycho", "psychotic", "useless", "worthless",
    "hopeless", "loser", "liar", "jerk", "fool", "foolish", "ridiculous", "childish",
    "immature", "spoiled", "spoilt", "disgusting", "coward", "cowardly", "freak",
    "hysterical", "dramatic", "narcissist", "narcissistic", "toxic", "ugly", "nag",
    "brat", "slob", "pig", "clown", "creep", "weirdo", "asshole", "arsehole", "bitch",
    "bastard", "dickhead", "incompetent", "unbearable", "heartless", "cold-hearted",
    "manipulative", "paranoid", "delusional", "ungrateful", "spineless", "nuts",
}  # fmt: skip
