"""The words of the process: complete, well-formed, kind, and translatable."""

import dataclasses
import re
from collections.abc import Iterator

import pytest
from django.utils.functional import Promise

from tend.repairs import content

# Fields that hold stable identifiers, never words a person reads.
ID_FIELDS = {"key", "kind", "leans"}
ID_CONSTANTS = {"HYPER", "HYPO", "UNSURE", "DOWN", "UP"}
KEY_RE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PRESSURE_RE = re.compile(
    r"\b(streaks?|scores?|scored|scoring|points|fail|fails|failed|failure|should|shouldn't"
    r"|must|mustn't|wrong|badges?|level up)\b",
    re.IGNORECASE,
)

COLLECTIONS = {
    "STEPS": content.STEPS,
    "BODY_SIGNALS": content.BODY_SIGNALS,
    "FEELINGS": content.FEELINGS,
    "STATES": content.STATES,
    "VOICE_TEMPLATES": content.VOICE_TEMPLATES,
    "NEEDS": content.NEEDS,
    "PACER_PHASES": content.PACER_PHASES,
    "PRACTICES": content.PRACTICES,
    "HONOR_PROMPTS": content.HONOR_PROMPTS,
    "HONOR_MARKERS": content.HONOR_MARKERS,
    "REFLECT_PROMPTS": content.REFLECT_PROMPTS,
    "READINESS_CHECKS": content.READINESS_CHECKS,
    "CONSIDERATIONS": content.CONSIDERATIONS,
    "SETTINGS": content.SETTINGS,
    "POSTURES": content.POSTURES,
    "INTENTION_TEMPLATES": content.INTENTION_TEMPLATES,
    "DEFAULT_AGREEMENTS": content.DEFAULT_AGREEMENTS,
    "TALKING_TIPS": content.TALKING_TIPS,
    "HEARD_ANSWERS": content.HEARD_ANSWERS,
    "REQUEST_ANSWERS": content.REQUEST_ANSWERS,
    "CLEAR_ANSWERS": content.CLEAR_ANSWERS,
    "REBOND_WAYS": content.REBOND_WAYS,
    "PRESENCES": content.PRESENCES,
    "APART_SETTINGS": content.APART_SETTINGS,
    "APART_POSTURES": content.APART_POSTURES,
    "APART_REBOND_WAYS": content.APART_REBOND_WAYS,
    "WHYS": content.WHYS,
}


def leaves(value: object, path: str, field: str = "") -> Iterator[tuple[str, str, object]]:
    """Every leaf value under `value`, with where it sits and the field holding it."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from leaves(getattr(value, f.name), f"{path}.{f.name}", f.name)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]", field)
    else:
        yield path, field, value


def all_leaves() -> Iterator[tuple[str, str, object]]:
    for name, value in vars(content).items():
        if name.isupper() and not name.startswith("_") and name not in ID_CONSTANTS:
            yield from leaves(value, name)


def all_texts() -> list[tuple[str, object]]:
    return [
        (path, value)
        for path, field, value in all_leaves()
        if field not in ID_FIELDS and isinstance(value, str | Promise)
    ]


def keys(items: tuple) -> list[str]:
    return [item.key for item in items]


# --- Shape and counts ---------------------------------------------------------------------


def test_there_is_a_lot_of_text_to_check() -> None:
    # Guards the walker itself: if it found nothing, the scans below would pass vacuously.
    assert len(all_texts()) > 200


def test_every_user_facing_string_is_a_lazy_translation() -> None:
    plain = [path for path, value in all_texts() if not isinstance(value, Promise)]
    assert plain == []


def test_every_string_is_non_empty() -> None:
    empty = [path for path, value in all_texts() if not str(value).strip()]
    assert empty == []


@pytest.mark.parametrize("name", COLLECTIONS)
def test_keys_are_unique_snake_case_ascii(name: str) -> None:
    found = keys(COLLECTIONS[name])
    assert found, name
    assert len(found) == len(set(found)), name
    for key in found:
        assert key.isascii() and KEY_RE.match(key), (name, key)


def test_keys_fit_the_database_columns() -> None:
    for name, items in COLLECTIONS.items():
        for key in keys(items):
            assert len(key) <= 32, (name, key)


def test_identifier_constants_are_the_keys_they_name() -> None:
    assert tuple(keys(content.STATES)) == (content.HYPER, content.HYPO, content.UNSURE)
    assert (content.DOWN, content.UP) == ("down", "up")


def test_lone_templates_have_snake_case_keys() -> None:
    for template in (content.PAUSE_TOGETHER, content.NEED_LONGER):
        assert KEY_RE.match(template.key)
    assert content.PAUSE_TOGETHER.key not in keys(content.VOICE_TEMPLATES)


def test_steps_are_the_five_in_order() -> None:
    assert [(s.number, s.key) for s in content.STEPS] == [
        (1, "acknowledge"),
        (2, "stabilize"),
        (3, "honor"),
        (4, "reflect"),
        (5, "reengage"),
    ]


def test_signals_and_feelings_lean_somewhere_known() -> None:
    assert len(content.BODY_SIGNALS) >= 10
    assert len(content.FEELINGS) >= 10
    leans_seen = {s.leans for s in content.BODY_SIGNALS} | {f.leans for f in content.FEELINGS}
    assert leans_seen == {"hyper", "hypo", "either"}
    for leans in ("hyper", "hypo"):
        assert any(s.leans == leans for s in content.BODY_SIGNALS)
        assert any(f.leans == leans for f in content.FEELINGS)
    # The ones the process names are all there.
    assert {"rush_of_energy", "heat", "clenched_jaw", "tight_muscles", "numbness"} <= set(
        keys(content.BODY_SIGNALS)
    )
    assert {
        "anger",
        "irritation",
        "frustration",
        "confusion",
        "withdrawal",
        "frozenness",
        "hurt",
        "fear",
        "shame",
    } <= set(keys(content.FEELINGS))


def test_states() -> None:
    assert keys(content.STATES) == ["hyper", "hypo", "unsure"]


def test_voice_templates_are_short() -> None:
    assert 4 <= len(content.VOICE_TEMPLATES) <= 5
    for template in (*content.VOICE_TEMPLATES, content.PAUSE_TOGETHER, content.NEED_LONGER):
        assert len(str(template.text)) <= 200, template.key


def test_needs() -> None:
    assert keys(content.NEEDS) == [
        "space",
        "solitude",
        "disengagement",
        "silence_and_presence",
        "assurance",
        "other",
    ]
    assert [n.key for n in content.NEEDS if n.asks_for_plan] == ["space"]
    assert [n.key for n in content.NEEDS if n.own_words] == ["other"]


# --- Practices ----------------------------------------------------------------------------


def test_enough_practices_of_each_kind() -> None:
    kinds = [p.kind for p in content.PRACTICES]
    assert set(kinds) == {"down", "up"}
    assert kinds.count("down") >= 6
    assert kinds.count("up") >= 5


@pytest.mark.parametrize("practice", content.PRACTICES, ids=lambda p: p.key)
def test_practice_is_guided(practice: content.Practice) -> None:
    assert 3 <= len(practice.steps) <= 6
    guide = practice.guide
    if isinstance(guide, content.Pacer):
        assert guide.inhale > 0 and guide.exhale > 0 and guide.cycles > 0
        assert min(guide.hold, guide.rest) >= 0
        assert guide.hold <= 4  # never a long breath-hold
        assert guide.total_seconds <= 180
        if practice.kind == "down":
            assert guide.exhale >= guide.inhale
        else:
            assert guide.hold == 0  # brisk breathing: short phases, no holding
            assert guide.inhale <= 3
    else:
        assert isinstance(guide, content.Timer)
        assert 15 <= guide.seconds <= 300


def test_breathing_practices_say_to_stop_if_it_feels_worse() -> None:
    assert "stop" in str(content.PRACTICE_SAFETY).lower()
    assert "worse" in str(content.PRACTICE_SAFETY).lower()
    for practice in content.PRACTICES:
        if isinstance(practice.guide, content.Pacer):
            assert any("worse" in str(step) for step in practice.steps), practice.key


def test_the_down_practices_include_a_long_exhale_and_grounding() -> None:
    down = {p.key for p in content.PRACTICES if p.kind == "down"}
    assert {"long_exhale", "five_senses", "feet_on_ground", "cool_water", "hand_on_heart"} <= down
    up = {p.key for p in content.PRACTICES if p.kind == "up"}
    assert {"shake_out", "stand_and_stomp", "brisk_breath", "name_colours"} <= up


def test_get_practice() -> None:
    assert content.get_practice("long_exhale") is content.PRACTICES[0]
    assert content.get_practice("nope") is None


def test_practices_for_hyper_puts_settling_first() -> None:
    ordered = content.practices_for("hyper")
    assert set(ordered) == set(content.PRACTICES)
    kinds = [p.kind for p in ordered]
    assert kinds == sorted(kinds)  # every "down" before any "up"


def test_practices_for_hypo_puts_waking_first() -> None:
    ordered = content.practices_for("hypo")
    assert set(ordered) == set(content.PRACTICES)
    kinds = [p.kind for p in ordered]
    assert kinds == sorted(kinds, reverse=True)  # every "up" before any "down"


@pytest.mark.parametrize("state", ["unsure", "", "anything"])
def test_practices_for_unsure_mixes_gently(state: str) -> None:
    ordered = content.practices_for(state)
    assert len(ordered) == len(content.PRACTICES)
    assert set(ordered) == set(content.PRACTICES)
    assert [p.kind for p in ordered[:4]] == ["down", "up", "down", "up"]


# --- Suggesting a state -------------------------------------------------------------------


def test_suggest_hyper_majority() -> None:
    assert content.suggest_state(["racing_heart", "heat", "numbness"], ["anger"]) == "hyper"


def test_suggest_hypo_majority() -> None:
    assert content.suggest_state(["numbness", "heavy_limbs"], ["emptiness", "anger"]) == "hypo"


def test_suggest_tie_is_unsure() -> None:
    assert content.suggest_state(["racing_heart"], ["frozenness"]) == "unsure"


def test_suggest_empty_is_unsure() -> None:
    assert content.suggest_state([], []) == "unsure"


def test_suggest_only_either_is_unsure() -> None:
    assert content.suggest_state(["tight_throat_chest"], ["hurt", "fear"]) == "unsure"


def test_suggest_ignores_unknown_keys() -> None:
    assert content.suggest_state(["racing_heart", "made_up", "x"], ["nope", "???"]) == "hyper"
    assert content.suggest_state(["made_up"], ["nope"]) == "unsure"


def test_suggest_counts_a_repeated_key_once() -> None:
    assert content.suggest_state(["heat", "heat", "heat"], ["sadness", "shame"]) == "hypo"


def test_suggest_accepts_any_iterable() -> None:
    assert content.suggest_state(iter(["numbness"]), (k for k in ["foggy_head"])) == "hypo"


# --- Honor, reflect, readiness ------------------------------------------------------------


def test_honor() -> None:
    assert 3 <= len(content.HONOR_PROMPTS) <= 5
    assert keys(content.HONOR_MARKERS) == ["let_go", "accepted"]


def test_reflect_prompts_cover_step_four() -> None:
    assert keys(content.REFLECT_PROMPTS) == [
        "sensations_emotions_thoughts",
        "past_associations",
        "responsibility",
        "cultivate_healing",
        "support_and_requests",
        "respond_differently",
    ]


def test_readiness() -> None:
    assert keys(content.READINESS_CHECKS) == ["open", "relaxed", "compassionate"]


# --- Step 5 -------------------------------------------------------------------------------


def test_considerations() -> None:
    assert 3 <= len(content.CONSIDERATIONS) <= 4
    assert "not a test" in str(content.CONSIDERATIONS_INTRO)


def test_space_options() -> None:
    assert keys(content.SETTINGS) == ["indoors", "outdoors"]
    assert len(content.POSTURES) >= 3


def test_intentions_agreements_and_tips() -> None:
    assert 3 <= len(content.INTENTION_TEMPLATES) <= 4
    assert keys(content.DEFAULT_AGREEMENTS) == [
        "no_interruption",
        "empathic_listening",
        "reflect_back",
    ]
    assert keys(content.TALKING_TIPS) == ["express_experience", "what_you_learned", "what_you_need"]


def test_listening() -> None:
    assert content.LISTENING_GUIDE.speaker and content.LISTENING_GUIDE.listener
    assert str(content.HEARD_RIGHT_QUESTION).endswith("?")
    assert keys(content.HEARD_ANSWERS) == ["yes", "partly"]


def test_requests_and_clearing() -> None:
    assert keys(content.REQUEST_ANSWERS) == ["yes", "yes_with_change", "not_now"]
    assert str(content.CLEAR_CHECK).endswith("?")
    assert content.CLEAR_MOVEMENT_SECONDS > 0
    assert keys(content.CLEAR_ANSWERS) == ["yes", "not_yet"]


def test_rebond_ways() -> None:
    assert {
        "long_hug",
        "holding_hands_eye_contact",
        "affection",
        "words_of_affirmation",
        "playful_moment",
        "other",
    } <= set(keys(content.REBOND_WAYS))
    hug = content.find(content.REBOND_WAYS, "long_hug")
    assert hug is not None and hug.seconds == 30
    assert [w.key for w in content.REBOND_WAYS if w.writes_message] == ["words_of_affirmation"]
    assert [w.key for w in content.REBOND_WAYS if w.own_words] == ["other"]


def test_find() -> None:
    assert content.find(content.NEEDS, "space") is content.NEEDS[0]
    assert content.find(content.NEEDS, "nothing") is None


# --- Tone ---------------------------------------------------------------------------------


def test_no_pressure_words() -> None:
    found = [
        (path, match.group(0))
        for path, value in all_texts()
        for match in PRESSURE_RE.finditer(str(value))
    ]
    assert found == []


def test_the_pressure_scan_catches_what_it_looks_for() -> None:
    for sample in ("You SHOULD rest", "a 3-day streak", "you failed", "Level up!", "wrong."):
        assert PRESSURE_RE.search(sample), sample
    assert not PRESSURE_RE.search("your shoulders, some mustard, a pointer")


# --- No dead content, and the why of each step --------------------------------------------


def test_every_text_is_shown_somewhere() -> None:
    """A prepared text nothing reads is dead: use it where it fits, or delete it."""
    from pathlib import Path

    own = Path(content.__file__).read_text()
    src = Path(content.__file__).resolve().parents[1]
    elsewhere = "\n".join(
        path.read_text()
        for pattern in ("**/*.py", "templates/**/*.html")
        for path in src.glob(pattern)
        if path.name != "content.py" or path.parent.name != "repairs"
    )
    unused = [
        name
        for name, value in vars(content).items()
        if name.isupper()
        and not name.startswith("_")
        and name not in ID_CONSTANTS
        and not isinstance(value, type)
        and not re.search(rf"\b{name}\b", elsewhere)
        and len(re.findall(rf"\b{name}\b", own)) < 2  # or read by content's own helpers
    ]
    assert unused == []


def test_there_is_a_why_for_each_of_the_five_steps() -> None:
    assert keys(content.WHYS) == [step.key for step in content.STEPS]
    assert all(1 <= len(why.paragraphs) <= 4 for why in content.WHYS)


def test_the_whys_name_the_stress_response_and_arousal() -> None:
    words = " ".join(str(p) for why in content.WHYS for p in why.paragraphs).lower()
    for term in ("fight", "flight", "freeze", "fawn", "hyper-arousal", "hypo-arousal"):
        assert term in words
    assert "calm comes before talking" in words
    assert "private" in str(content.find(content.WHYS, "honor").paragraphs)  # type: ignore[union-attr]
    assert "rebonding closes the repair" in words


def test_together_or_apart_keys_are_the_repairs_own() -> None:
    from tend.repairs.models import Repair

    assert keys(content.PRESENCES) == list(Repair.Presence.values)
    assert [w.key for w in content.APART_REBOND_WAYS if w.writes_message] == ["kind_message"]
    assert [w.key for w in content.APART_REBOND_WAYS if w.own_words] == ["other"]
    assert not set(keys(content.APART_SETTINGS)) & set(keys(content.SETTINGS))
