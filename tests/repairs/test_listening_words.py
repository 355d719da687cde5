"""The speaker's answer to "did I hear you right?" uses the app's own content: one source."""

import html

from tend.repairs import content
from tend.repairs.models import Reflection
from tests.conftest import Cast
from tests.repairs.test_together_flow import first, ready_room


def test_the_speakers_answers_are_the_contents_words(cast: Cast) -> None:
    room = ready_room(cast, {"ada": cast.ada, "ben": cast.ben})
    room.everyone("done")
    room.move("ada", "propose", text="here", choice="indoors")
    room.move("ben", "accept", proposal=first(room.stage("ben"), "proposal"))
    room.move("ben", "propose", text="Understand each other.")
    room.move("ada", "accept", proposal=first(room.stage("ada"), "proposal"))
    room.everyone("done")
    room.everyone("done")
    room.move("ada", "first-speaker", speaker=room.ids["ada"])
    room.move("ben", "reflect", turn=first(room.stage("ben"), "turn"), heard="You felt alone.")
    page = html.unescape(room.stage("ada"))
    for option in content.HEARD_ANSWERS:
        assert f'name="heard" value="{option.key}" class="button' in page
        assert f">{option.label}</button>" in page
    assert "Partly" not in page
    partly = content.HEARD_ANSWERS[1]
    room.move(
        "ada",
        "answer-reflection",
        reflection=first(page, "reflection"),
        heard=partly.key,
        correction="And scared.",
    )
    assert room.repair.turns.get(position=0).reflections.get().answer == Reflection.Answer.PARTLY
