"""Everything a person reads while going through a repair, in tend's own words.

The process is in PROCESS.md; its lists and terms carry over (the needs, the
agreements, the ways to rebond, hyper- and hypo-arousal), its source's sentences
do not. The words are for someone who is upset: warm, plain, short, second
person, no blame, no pressure, and every prompt may be skipped. Nothing here is
therapy: the practices are simple ways to settle or wake up the body.

Shape: plain frozen dataclasses in tuples. Every user-facing string is a lazy
translation; every `key` is stable snake_case ASCII that the database stores.
Never change a key once written: add a new item instead.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A lazy translation (what `gettext_lazy` returns); `str()` it to render.
type Text = Promise
Lean = Literal["hyper", "hypo", "either"]
Kind = Literal["down", "up"]

HYPER = "hyper"
HYPO = "hypo"
UNSURE = "unsure"
DOWN: Kind = "down"
UP: Kind = "up"


# --- Shapes -------------------------------------------------------------------------------


class Keyed(Protocol):
    @property
    def key(self) -> str: ...


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: Text
    short: Text


@dataclass(frozen=True)
class Option:
    """A small choice: a setting, a posture, an answer."""

    key: str
    label: Text


@dataclass(frozen=True)
class Signal:
    key: str
    label: Text
    leans: Lean
    # Shown first; the others are one tap away, so a flooded person meets a short list.
    common: bool = False


@dataclass(frozen=True)
class Feeling:
    key: str
    label: Text
    leans: Lean
    common: bool = False


@dataclass(frozen=True)
class State:
    key: str
    label: Text
    description: Text


@dataclass(frozen=True)
class Template:
    """A message a person may send or start from; always editable."""

    key: str
    text: Text


@dataclass(frozen=True)
class Need:
    key: str
    label: Text
    description: Text
    asks_for_plan: bool = False  # asking for it also proposes when and where to meet again
    own_words: bool = False  # the person says it in their own words


@dataclass(frozen=True)
class Pacer:
    """A visual breathing pacer; every phase in seconds, 0 skips the phase."""

    inhale: int
    hold: int
    exhale: int
    rest: int
    cycles: int

    @property
    def cycle_seconds(self) -> int:
        return self.inhale + self.hold + self.exhale + self.rest

    @property
    def total_seconds(self) -> int:
        return self.cycle_seconds * self.cycles


@dataclass(frozen=True)
class Timer:
    seconds: int
    label: Text


@dataclass(frozen=True)
class Practice:
    key: str
    kind: Kind
    title: Text
    summary: Text
    steps: tuple[Text, ...]
    guide: Pacer | Timer


@dataclass(frozen=True)
class Prompt:
    key: str
    text: Text
    hint: Text


@dataclass(frozen=True)
class Marker:
    key: str
    label: Text


@dataclass(frozen=True)
class Check:
    key: str
    label: Text


@dataclass(frozen=True)
class Agreement:
    key: str
    text: Text


@dataclass(frozen=True)
class Tip:
    key: str
    text: Text


@dataclass(frozen=True)
class ListeningGuide:
    speaker: tuple[Text, ...]
    listener: tuple[Text, ...]


@dataclass(frozen=True)
class RebondWay:
    key: str
    label: Text
    description: Text
    seconds: int | None
    writes_message: bool
    own_words: bool = False


@dataclass(frozen=True)
class Why:
    """Why one step exists, in a few short paragraphs: optional reading."""

    key: str  # the step's key
    paragraphs: tuple[Text, ...]


def find[T: Keyed](items: Iterable[T], key: str) -> T | None:
    """The item of `items` with this key, or None."""
    return next((item for item in items if item.key == key), None)


# --- The five steps (for a progress indicator) --------------------------------------------

STEPS: tuple[Step, ...] = (
    Step(1, "acknowledge", _("Acknowledge"), _("Notice what is happening in you.")),
    Step(2, "stabilize", _("Stabilize"), _("Come back to your centre.")),
    Step(3, "honor", _("Honor the pain"), _("Give what hurts some room.")),
    Step(4, "reflect", _("Reflect"), _("Look gently at what happened.")),
    Step(5, "reengage", _("Come back together"), _("Listen, be heard, reconnect.")),
)


# --- Why each step (a disclosure on each step, and the first-run walk) -------------------

WHY_LABEL = _("Why this step?")
WHY_SHORT = _("Why?")  # what shows beside a step's title; WHY_LABEL is its full name
WALK_TITLE = _("The five steps, in a minute")
WALK_INTRO = _(
    "A repair goes through five steps: four on your own, then one together. "
    "Here is what each one is for. You can come back to this from Help at any time."
)
WHYS: tuple[Why, ...] = (
    Why(
        "acknowledge",
        (
            _(
                "When something hurts between people who matter to each other, the body "
                "reacts before the mind catches up. It is an old alarm, and it has four "
                "moves: fight, flight, freeze, or fawn (giving in, pleasing, to make it stop)."
            ),
            _(
                "Some of us rev up: a racing heart, heat, tight muscles. That is "
                "hyper-arousal. Some of us go quiet: numb, heavy, far away. That is "
                "hypo-arousal. Both are your body trying to protect you. Neither is a fault."
            ),
            _(
                "Noticing which way you went is the first step out of the alarm. A few kind "
                "words let the others know the conversation is not over, only paused."
            ),
        ),
    ),
    Why(
        "stabilize",
        (
            _(
                "While the alarm is on, the part of you that listens and weighs things has "
                "little room. Words said then often hurt more and land less."
            ),
            _(
                "That is why calm comes before talking. A few minutes of breath, ground or "
                "movement tell your body it is safe enough to come back. Revved up, you "
                "settle down; shut down, you wake up a little."
            ),
        ),
    ),
    Why(
        "honor",
        (
            _(
                "Under the reaction there is usually a hurt, a fear or an old ache. It needs "
                "some room before it can soften."
            ),
            _(
                "This step is private on purpose. With nobody reading, you can be messy, "
                "unfair, as big as it feels, without defending it and without looking after "
                "anyone else's feelings. Nothing here is ever shown to anyone."
            ),
        ),
    ),
    Why(
        "reflect",
        (
            _(
                "With some calm, and room for the pain, you can look at what happened with "
                "curiosity: what it touched in you, which part was yours, what you need."
            ),
            _("Only the answers you choose to bring reach the others. The rest stays yours."),
        ),
    ),
    Why(
        "reengage",
        (
            _(
                "Coming back together is where the repair happens between you: each of you "
                "speaks, is heard, and asks for what would help."
            ),
            _(
                "It goes slowly on purpose. Agreements, turns and saying back what you heard "
                "help a hurt nervous system feel safe enough to stay open."
            ),
            _(
                "Rebonding closes the repair. A hug, a warm word, a call that lingers: the "
                "body needs to feel you are close again, not only that the talk is over."
            ),
        ),
    ),
)


# --- Step 1: Acknowledge -- notice ---------------------------------------------------------


BODY_SIGNALS: tuple[Signal, ...] = (
    Signal("rush_of_energy", _("A rush of energy"), "hyper"),
    Signal("heat", _("Heat in my face or body"), "hyper", common=True),
    Signal("clenched_jaw", _("A clenched jaw"), "hyper"),
    Signal("tight_muscles", _("Tight, tense muscles"), "hyper", common=True),
    Signal("racing_heart", _("A racing or pounding heart"), "hyper", common=True),
    Signal("fast_breath", _("Shallow, fast breathing"), "hyper", common=True),
    Signal("restless", _("Restless legs or hands"), "hyper"),
    Signal("tight_throat_chest", _("A tight throat or chest"), "either"),
    Signal("knot_in_stomach", _("A knot in my stomach"), "either"),
    Signal("numbness", _("Numbness"), "hypo", common=True),
    Signal("heavy_limbs", _("Heavy arms or legs"), "hypo"),
    Signal("foggy_head", _("A foggy head"), "hypo"),
    Signal("far_away", _("Feeling far away or not quite here"), "hypo"),
    Signal("hard_to_move", _("Hard to move or find words"), "hypo"),
)

FEELINGS: tuple[Feeling, ...] = (
    Feeling("anger", _("Anger"), "hyper", common=True),
    Feeling("irritation", _("Irritation"), "hyper"),
    Feeling("frustration", _("Frustration"), "hyper"),
    Feeling("anxiety", _("Anxiety, feeling on edge"), "hyper", common=True),
    Feeling("fear", _("Fear"), "either"),
    Feeling("hurt", _("Hurt"), "either", common=True),
    Feeling("confusion", _("Confusion"), "either"),
    Feeling("overwhelm", _("Overwhelm"), "either", common=True),
    Feeling("shame", _("Shame"), "hypo"),
    Feeling("sadness", _("Sadness"), "hypo", common=True),
    Feeling("withdrawal", _("Wanting to withdraw"), "hypo"),
    Feeling("frozenness", _("Frozen, stuck"), "hypo"),
    Feeling("emptiness", _("Emptiness"), "hypo"),
)


STATES: tuple[State, ...] = (
    State(
        HYPER,
        _("Revved up (hyper-aroused)"),
        _("Activated, anxious, restless. Lots of energy with nowhere to go."),
    ),
    State(
        HYPO,
        _("Shut down (hypo-aroused)"),
        _("Numb, frozen, heavy, or far away. Like someone turned the volume down."),
    ),
    State(
        UNSURE,
        _("Not sure"),
        _("A bit of both, or hard to tell. That's fine too."),
    ),
)

_LEANS: dict[str, Lean] = {
    **{signal.key: signal.leans for signal in BODY_SIGNALS},
    **{feeling.key: feeling.leans for feeling in FEELINGS},
}


# The same leanings, for the device: the suggestion is worked out there (private.js).
LEANS = _LEANS


def suggest_state(signal_keys: Iterable[str], feeling_keys: Iterable[str]) -> str:
    """Suggest "hyper", "hypo" or "unsure" from what the person ticked.

    Each ticked signal or feeling that leans one way counts once for that side;
    "either" and unknown keys count for neither. One side has to outnumber the
    other, or the answer is "unsure". It only suggests; the person decides.
    """
    ticked = set(signal_keys) | set(feeling_keys)
    leans = [_LEANS[key] for key in ticked if key in _LEANS]
    hyper, hypo = leans.count("hyper"), leans.count("hypo")
    if hyper > hypo:
        return HYPER
    if hypo > hyper:
        return HYPO
    return UNSURE


# --- Step 1: Acknowledge -- give voice ----------------------------------------------------


VOICE_TEMPLATES: tuple[Template, ...] = (
    Template(
        "noticing_triggered",
        _(
            "What happened just now set something off in me. "
            "I'm noticing it, and I want to look after it before we carry on."
        ),
    ),
    Template(
        "need_a_moment",
        _(
            "I'm stirred up right now and need a moment to settle. "
            "I'm not walking away from this; I want to come back to it."
        ),
    ),
    Template(
        "not_blaming",
        _(
            "My body is reacting strongly right now. This isn't me blaming you. "
            "I just want you to know what's going on in me."
        ),
    ),
    Template(
        "hard_to_speak",
        _(
            "I can't find good words right now. I care about us, "
            "so I'm taking a little time to steady myself first."
        ),
    ),
    Template(
        "going_quiet",
        _(
            "I'm going quiet and a bit numb inside. I still care. "
            "I need some time to come back to myself, and then I'd like to talk."
        ),
    ),
)

# For when more than one person is triggered: stops a back-and-forth before it grows.
PAUSE_TOGETHER = Template(
    "pause_together",
    _(
        "I think we're both stirred up right now. Let's stop here for a moment, "
        "each take some time to settle, and come back to this."
    ),
)


# --- Step 1: Acknowledge -- ask for what you need -----------------------------------------


NEEDS: tuple[Need, ...] = (
    Need(
        "space",
        _("Space"),
        _("Some time apart to settle, with a time and place to come back together."),
        asks_for_plan=True,
    ),
    Need(
        "solitude",
        _("Solitude"),
        _("Time completely on your own, somewhere quiet."),
    ),
    Need(
        "disengagement",
        _("Disengagement"),
        _("Setting the topic down for now, and not talking about it until you feel steadier."),
    ),
    Need(
        "silence_and_presence",
        _("Silence and presence"),
        _("Staying close, without words, so you don't feel alone."),
    ),
    Need(
        "assurance",
        _("Assurance"),
        _("Hearing that you're cared for, and that you'll find your way through this."),
    ),
    Need(
        "other",
        _("Something else"),
        _("Say what would help, in your own words."),
        own_words=True,
    ),
)

NEED_LONGER = Template(
    "need_longer",
    _("I need a bit longer before we meet. Could we find another time?"),
)


# --- Step 2: Stabilize -- practices -------------------------------------------------------

PRACTICE_SAFETY = _("Go gently. Stop if anything feels worse, and just breathe normally.")
PACER_PHASES: tuple[Option, ...] = (
    Option("inhale", _("Breathe in")),
    Option("hold", _("Hold gently")),
    Option("exhale", _("Breathe out")),
    Option("rest", _("Rest")),
)

PRACTICES: tuple[Practice, ...] = (
    # Down-regulating: for when you are revved up.
    Practice(
        "long_exhale",
        DOWN,
        _("Slow breath, long out-breath"),
        _("A longer out-breath tells your body it can slow down."),
        (
            _("Sit or stand so your belly can soften."),
            _("Follow the guide: breathe in gently through your nose as it grows."),
            _("Breathe out slowly as it shrinks. Let the out-breath be the longer one."),
            _("Keep it easy. If it feels like effort, breathe a little less deeply."),
            _("If you feel dizzy or anything feels worse, stop and breathe normally."),
        ),
        Pacer(inhale=4, hold=0, exhale=7, rest=1, cycles=6),
    ),
    Practice(
        "square_breath",
        DOWN,
        _("Square breathing"),
        _("Four gentle sides: in, a short pause, out, a short pause."),
        (
            _("Find a comfortable way to sit, with your shoulders loose."),
            _("Follow the guide: breathe in as it grows."),
            _("Pause softly for a moment. No need to hold tight."),
            _("Breathe out slowly, then rest before the next breath in."),
            _("Stop and breathe normally if anything feels worse."),
        ),
        Pacer(inhale=4, hold=2, exhale=5, rest=2, cycles=5),
    ),
    Practice(
        "five_senses",
        DOWN,
        _("Five senses"),
        _("Bring your attention back to the room around you."),
        (
            _("Look around and name five things you can see."),
            _("Notice four things you can feel: your clothes, the chair, the air."),
            _("Listen for three sounds, near or far."),
            _("Find two things you can smell, or recall two smells you like."),
            _("Notice one thing you can taste, or take a sip of water."),
        ),
        Timer(120, _("Take your time with each sense.")),
    ),
    Practice(
        "feet_on_ground",
        DOWN,
        _("Feet on the ground"),
        _("Feel your weight and let the ground hold you."),
        (
            _("Sit or stand with both feet flat on the floor."),
            _("Press your feet down gently and feel the floor press back."),
            _("Let your weight sink into the chair or into your legs."),
            _("Rock slowly from heels to toes a few times."),
            _("Quietly tell yourself: I am here, and the ground is holding me."),
        ),
        Timer(90, _("Stay with your feet and your weight.")),
    ),
    Practice(
        "cool_water",
        DOWN,
        _("Cool water"),
        _("A little coolness on your skin can help your body settle."),
        (
            _("Run cool water, not icy, over your wrists and hands."),
            _("Or splash a little on your face, or hold a cool cloth to your neck."),
            _("Breathe out slowly while you feel the coolness."),
            _("Dry off and notice how your body feels now."),
        ),
        Timer(60, _("Let the coolness do its work.")),
    ),
    Practice(
        "hand_on_heart",
        DOWN,
        _("Hand on chest and belly"),
        _("Warm hands and slow breaths, a kind way to be with yourself."),
        (
            _("Rest one hand on your chest and the other on your belly."),
            _("Feel the warmth and gentle weight of your hands."),
            _("Breathe slowly, so the hand on your belly moves a little more."),
            _("On each out-breath, you might tell yourself: this is hard, and I'm here."),
            _("Stop and breathe normally if anything feels worse."),
        ),
        Pacer(inhale=4, hold=0, exhale=6, rest=2, cycles=5),
    ),
    Practice(
        "hum_or_sigh",
        DOWN,
        _("Hum or sigh"),
        _("A soft hum or a long sigh stretches the out-breath."),
        (
            _("Breathe in comfortably through your nose."),
            _("Hum softly as you breathe out, long and easy."),
            _("Feel the buzz in your lips, face and chest."),
            _("Or let out a long sigh instead, whichever feels better."),
            _("Stop and breathe normally if anything feels worse."),
        ),
        Pacer(inhale=4, hold=0, exhale=8, rest=2, cycles=6),
    ),
    # Up-regulating: for when you feel shut down, numb or far away.
    Practice(
        "shake_out",
        UP,
        _("Shake it out"),
        _("Loose, easy shaking to get things moving again."),
        (
            _("Stand if you can, or sit near the edge of your seat."),
            _("Shake your hands loosely, then your arms."),
            _("Add your shoulders, then one leg, then the other."),
            _("Let your whole body jiggle, as loose as feels okay."),
            _("Stop and stand still. Notice any tingling or warmth."),
        ),
        Timer(60, _("Keep shaking, as gently or as wildly as you like.")),
    ),
    Practice(
        "stand_and_stomp",
        UP,
        _("Stand and stomp"),
        _("Feel your legs and the ground under you."),
        (
            _("Stand with your feet about hip-width apart."),
            _("Stomp one foot, then the other, at a steady pace."),
            _("Feel the floor meet you with each step."),
            _("Slow down, stand still, and notice your legs."),
        ),
        Timer(45, _("Stomp at a pace that feels good.")),
    ),
    Practice(
        "brisk_breath",
        UP,
        _("A few brisk breaths"),
        _("Slightly quicker, fuller breaths to wake the body up. Only a few."),
        (
            _("Sit up or stand tall."),
            _("Breathe in a little more briskly than usual, filling your chest."),
            _("Breathe out firmly, without straining."),
            _("After these few breaths, go back to breathing normally."),
            _("Stop if you feel light-headed or anything feels worse."),
        ),
        Pacer(inhale=2, hold=0, exhale=2, rest=1, cycles=6),
    ),
    Practice(
        "strong_taste_or_scent",
        UP,
        _("A strong taste or scent"),
        _("Something sharp or bright for your senses to wake up to."),
        (
            _("Find something with a clear taste or smell: a mint, a lemon, coffee, a spice."),
            _("Smell or taste it slowly, and notice how strong it is."),
            _("Name three things about it: sharp, sweet, warm, fresh."),
            _("Notice whether you feel a little more here."),
        ),
        Timer(60, _("Stay with the taste or smell.")),
    ),
    Practice(
        "name_colours",
        UP,
        _("Name the colours"),
        _("Let your eyes move and find colour around you."),
        (
            _("Look around slowly, turning your head as well as your eyes."),
            _("Find something red, then orange, yellow, green, blue and purple."),
            _("Say each one out loud, or quietly to yourself."),
            _("When you finish, start again with shapes or textures."),
        ),
        Timer(90, _("Keep looking and naming.")),
    ),
    Practice(
        "march_on_the_spot",
        UP,
        _("March on the spot"),
        _("A bit of brisk movement to bring energy back."),
        (
            _("Stand up and march in place, knees at a comfortable height."),
            _("Swing your arms as you go."),
            _("Or walk briskly around the room, or outside if you can."),
            _("Slow to a stop and notice your heartbeat and breath."),
        ),
        Timer(90, _("Keep moving at a pace that feels good.")),
    ),
)

_PRACTICES_BY_KEY: dict[str, Practice] = {practice.key: practice for practice in PRACTICES}


def get_practice(key: str) -> Practice | None:
    return _PRACTICES_BY_KEY.get(key)


def practices_for(state: str) -> tuple[Practice, ...]:
    """Every practice, in the order that suits this state.

    Revved up: settling ones first. Shut down: waking ones first. Not sure (or
    anything else): a gentle mix, alternating, starting with a settling one.
    """
    down = tuple(p for p in PRACTICES if p.kind == DOWN)
    up = tuple(p for p in PRACTICES if p.kind == UP)
    if state == HYPER:
        return down + up
    if state == HYPO:
        return up + down
    mixed: list[Practice] = []
    for i in range(max(len(down), len(up))):
        mixed.extend(down[i : i + 1])
        mixed.extend(up[i : i + 1])
    return tuple(mixed)


# --- Step 3: Honor the pain (private, always) ---------------------------------------------


HONOR_PROMPTS: tuple[Prompt, ...] = (
    Prompt(
        "what_hurts",
        _("What hurts most right now?"),
        _("It doesn't have to be tidy or fair. Let it out as it is."),
    ),
    Prompt(
        "under_the_anger",
        _("If there is anger, what might be underneath it?"),
        _("Anger often sits on top of hurt, grief or fear. See what is there."),
    ),
    Prompt(
        "wished_for",
        _("What do you wish had happened instead?"),
        _("What were you longing for in that moment?"),
    ),
    Prompt(
        "carrying",
        _("What are you carrying from this?"),
        _("A resentment, a worry, an old ache. Naming it can make it lighter."),
    ),
)


HONOR_MARKERS: tuple[Marker, ...] = (
    Marker("let_go", _("I'm letting go of resentment I've been carrying.")),
    Marker(
        "accepted",
        _(
            "I accept that it happened (not that it was okay), "
            "and I'm willing to go on differently from here."
        ),
    ),
)


# --- Step 4: Reflect (private unless you choose to bring it) ------------------------------


REFLECT_PROMPTS: tuple[Prompt, ...] = (
    Prompt(
        "sensations_emotions_thoughts",
        _("What did you notice in your body, your feelings and your thoughts around this?"),
        _("Sensations, emotions, and any thoughts that kept going round."),
    ),
    Prompt(
        "past_associations",
        _("Does this remind you of anything from before?"),
        _("An old wound, an earlier time, or a situation that felt much the same."),
    ),
    Prompt(
        "responsibility",
        _("Is there a part of this you'd like to take responsibility for?"),
        _("Only what feels true to you. Owning a part doesn't make it all yours."),
    ),
    Prompt(
        "cultivate_healing",
        _("What could each of you do to help this heal?"),
        _("Small things count: a word, a gesture, a change of habit."),
    ),
    Prompt(
        "support_and_requests",
        _("How could they support you from here? What do you need, or want to ask for?"),
        _("Try putting it as a request they could say yes to."),
    ),
    Prompt(
        "respond_differently",
        _(
            "Next time something like this happens, how could you respond differently? "
            "And how could they approach you differently?"
        ),
        _("Picture the moment again, going in a way you'd like better."),
    ),
)

READINESS_CHECKS: tuple[Check, ...] = (
    Check("open", _("I feel open.")),
    Check("relaxed", _("I feel relaxed in my body.")),
    Check("compassionate", _("I feel compassion, for myself and for them.")),
)
READINESS_ALL = _("These are good signs that you're ready to meet again.")
READINESS_NOT_YET = _(
    "Not all of these yet, and that's okay. A little more time to settle, honor the pain "
    "or reflect may help. Come back to this whenever you like."
)


# --- Step 5: Come back together -----------------------------------------------------------

# 1. Considerations (each person, privately)
CONSIDERATIONS_INTRO = _(
    "A few questions for noticing, not a test. Whatever you find is fine; "
    "it can help you choose whether to go on now or take more time."
)
CONSIDERATIONS: tuple[Prompt, ...] = (
    Prompt(
        "clear_of_blame",
        _("Do I feel clear of projection, blame and anger?"),
        _("If some is still there, just notice it."),
    ),
    Prompt(
        "open_or_hardened",
        _("Am I coming in open, or do I feel closed and hard?"),
        _("Either is human. Knowing helps."),
    ),
    Prompt(
        "right_or_listen",
        _("Do I want to be right, or am I willing to listen?"),
        _("Notice which pull is stronger right now."),
    ),
    Prompt(
        "how_to_show_up",
        _("How do I want to show up for this conversation?"),
        _("Picture yourself walking in the way you'd like to."),
    ),
)

# 2. Create the space
WHERE_HINT = _(
    "Somewhere that feels neutral to all of you: a different room, a park, a quiet walk."
)
SETTINGS: tuple[Option, ...] = (
    Option("indoors", _("Indoors")),
    Option("outdoors", _("Outdoors")),
)
POSTURES: tuple[Option, ...] = (
    Option("side_by_side", _("Sitting side by side")),
    Option("facing_each_other", _("Sitting facing each other")),
    Option("walking", _("Walking together")),
    Option("standing", _("Standing")),
    Option("in_a_circle", _("Sitting in a circle")),
)

# Together or apart (asked at the start of step 5; changeable)
PRESENCE_QUESTION = _("Are you together in one place, or apart?")
PRESENCES: tuple[Option, ...] = (
    Option("together", _("Together, in one place")),
    Option("apart", _("Apart, in different places")),
)
CALL_SUGGESTION = _(
    "Apart, a voice or video call helps you hear each other. Use whatever you usually "
    "call with; tend keeps the steps in front of you both."
)
APART_WHERE_HINT = _(
    "Each of you somewhere quiet and private, where you can talk without being overheard."
)
APART_SETTINGS: tuple[Option, ...] = (
    Option("voice_call", _("A voice call")),
    Option("video_call", _("A video call")),
    Option("messages", _("Messages, written here")),
)
APART_POSTURES: tuple[Option, ...] = (
    Option("somewhere_quiet", _("Each of us somewhere quiet")),
    Option("headphones", _("With headphones on")),
    Option("walking_apart", _("Out walking, each where we are")),
)

# 3. Shared intention
INTENTION_INTRO = _("What are you hoping for, together? Pick one to start from, or write your own.")
INTENTION_TEMPLATES: tuple[Template, ...] = (
    Template(
        "reconnect_in_trust",
        _("We're here to find our way back to each other, on ground we can trust."),
    ),
    Template(
        "understand_each_other",
        _("We want to understand each other, not to win."),
    ),
    Template(
        "care_for_us",
        _("Let's look after what we have while we talk about what hurt."),
    ),
    Template(
        "new_way_forward",
        _("Let's learn from this and find a new way forward together."),
    ),
)

# 4. Agreements
AGREEMENTS_INTRO = _("Before you talk, agree how you'll be with each other. Add any you need.")
DEFAULT_AGREEMENTS: tuple[Agreement, ...] = (
    Agreement("no_interruption", _("Each of us gets to speak without being interrupted.")),
    Agreement("empathic_listening", _("We listen with empathy, trying to understand.")),
    Agreement(
        "reflect_back",
        _("After each person has spoken, the listener says back what they heard."),
    ),
)

# 5. Tips before talking
TALKING_TIPS: tuple[Tip, ...] = (
    Tip("express_experience", _("Share your experience: what you felt, sensed and thought.")),
    Tip("what_you_learned", _("Tell them what you discovered about yourself through this.")),
    Tip("what_you_need", _("Say what would help you feel safe, and able to trust.")),
)

# 6. Reflective and empathic listening
LISTENING_INTRO = _(
    "Take turns. Listening like this takes practice, so be patient and generous with each other."
)
LISTENING_GUIDE = ListeningGuide(
    speaker=(
        _('Speak about your own experience, starting from "I".'),
        _("Take your time. Your notes are here if you want them."),
        _("When you've said what you want to, let your listener reflect it back."),
        _("If something got missed, say so kindly and add to it."),
    ),
    listener=(
        _("Listen to understand, without planning your reply."),
        _("When they finish, say back in your own words what you heard."),
        _("Share what you noticed in your body while you listened."),
        _("Then ask whether you heard them right."),
    ),
)
HEARD_RIGHT_QUESTION = _("Did I hear you right?")
HEARD_ANSWERS: tuple[Option, ...] = (
    Option("yes", _("Yes, I feel heard")),
    # The key is the answer as recorded (Reflection.Answer.PARTLY).
    Option("partly", _("Not quite, let me add something")),
)

# 7. Needs and requests
REQUESTS_INTRO = _("What do you need going forward?")
# Said only when there are reflections on the screen to help.
REQUESTS_REFLECTIONS_HELP = _("Your reflections are here to help.")
REQUEST_ANSWERS: tuple[Option, ...] = (
    Option("yes", _("Yes")),
    Option("yes_with_change", _("Yes, with a change")),
    Option("not_now", _("Not now")),
)
NOT_NOW_NOTE = _('"Not now" is an honest answer. You can come back to it another time.')
COMMITMENT_REVIEW_QUESTION = _("When would you like to look at this together again?")

# 8. Clear residual energy
CLEAR_MOVEMENT_SECONDS = 60
CLEAR_MOVEMENT_LABEL = _("Stretch, shake or dance out whatever is left.")
CLEAR_CHECK = _("Do we each feel clear, in mind, heart and body?")
CLEAR_ANSWERS: tuple[Option, ...] = (
    Option("yes", _("Yes, I feel clear")),
    Option("not_yet", _("Not yet")),
)
CLEAR_NOT_YET = _(
    "Something may still be waiting for words. You can return to listening, "
    "or each take a while on your own first."
)

# 9. Rebond (never skipped)
REBOND_INTRO = _(
    "Last of all, reconnect body, heart and mind. This is what lets you feel safe "
    "with each other again. Choose a way together."
)
REBOND_WAYS: tuple[RebondWay, ...] = (
    RebondWay(
        "long_hug",
        _("A long hug"),
        _("Hold each other for at least 30 seconds. The timer keeps count for you."),
        seconds=30,
        writes_message=False,
    ),
    RebondWay(
        "holding_hands_eye_contact",
        _("Hands and eyes"),
        _("Hold hands and look into each other's eyes for a while."),
        seconds=None,
        writes_message=False,
    ),
    RebondWay(
        "affection",
        _("Affection"),
        _("A touch, a cuddle, a kiss: whatever feels warm and welcome between you."),
        seconds=None,
        writes_message=False,
    ),
    RebondWay(
        "words_of_affirmation",
        _("Words of affirmation"),
        _("Tell each other what you value and appreciate. You can write it here and send it."),
        seconds=None,
        writes_message=True,
    ),
    RebondWay(
        "playful_moment",
        _("A playful moment"),
        _("Laugh, joke, dance, play: something light to share."),
        seconds=None,
        writes_message=False,
    ),
    RebondWay(
        "other",
        _("Another way"),
        _("Choose your own way to reconnect, in your own words."),
        seconds=None,
        writes_message=False,
        own_words=True,
    ),
)
# Apart, the ways to reconnect that work at a distance.
APART_REBOND_WAYS: tuple[RebondWay, ...] = (
    RebondWay(
        "stay_on_call",
        _("Stay on the call"),
        _("Stay on the call a little longer, just to be with each other, topic set aside."),
        seconds=None,
        writes_message=False,
    ),
    RebondWay(
        "kind_message",
        _("A kind message"),
        _("Write each other a few warm words: something you value or love. Send it here."),
        seconds=None,
        writes_message=True,
    ),
    RebondWay(
        "plan_to_meet",
        _("A plan to meet"),
        _("Agree when you will next see each other, and something to look forward to."),
        seconds=None,
        writes_message=False,
    ),
    RebondWay(
        "playful_apart",
        _("A playful moment"),
        _("Laugh, joke, share a song or a photo: something light, across the distance."),
        seconds=None,
        writes_message=False,
    ),
    RebondWay(
        "other",
        _("Another way"),
        _("Choose your own way to reconnect, in your own words."),
        seconds=None,
        writes_message=False,
        own_words=True,
    ),
)
AFFIRMATION_PROMPT = _("Write a few words for them: something you value, appreciate or love.")
