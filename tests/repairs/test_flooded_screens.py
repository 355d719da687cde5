"""Screens for a flooded person: step 1 leads with the common signals and feelings,
reflect leads with where the person stands, and coming back from a pause says where
the repair stands. (Heights on a phone: tests/e2e/test_flooded_screens.py.)"""

import re

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from tend.repairs import actions, content, reengagement
from tend.repairs.models import Participation
from tests.conftest import Cast, client_for
from tests.sealed import sealed


def url(cast: Cast, name: str, *extra: object) -> str:
    return reverse(name, args=[cast.us.pk, cast.repair.pk, *extra])


def _more(page: str, legend: str) -> str:
    """The "more" disclosure of the fieldset with this legend."""
    fieldset = page[page.index(legend) :]
    return fieldset[fieldset.index("<details") : fieldset.index("</details>")]


def test_content_marks_a_few_common_signals_and_feelings() -> None:
    assert 4 <= sum(s.common for s in content.BODY_SIGNALS) <= 6
    assert 4 <= sum(f.common for f in content.FEELINGS) <= 6
    # Both directions are among the first ones offered, so the suggestion can find either.
    for options in (content.BODY_SIGNALS, content.FEELINGS):
        assert {o.leans for o in options if o.common} >= {"hyper", "hypo"}


def test_step_one_shows_the_common_ones_first_and_the_rest_behind_more(cast: Cast) -> None:
    page = client_for(cast.ada).get(url(cast, "repair_acknowledge")).content.decode()
    more_signals = _more(page, "What is your body doing?")
    more_feelings = _more(page, "What are you feeling?")
    for signal in content.BODY_SIGNALS:
        assert (f'value="{signal.key}"' in more_signals) is not signal.common, signal.key
    for feeling in content.FEELINGS:
        assert (f'value="{feeling.key}"' in more_feelings) is not feeling.common, feeling.key
    assert '<details class="more">' in more_signals  # closed: nothing chosen in it
    # The way on and the way out come before the first question.
    first_question = page.index("What is your body doing?")
    assert page.index("Save and go on") < first_question
    assert page.index("Skip straight to calming down") < first_question
    assert "{#" not in page


# Which "more" list opens, and which readiness note shows, is worked out on the person's
# device from their sealed answers (private.js: `openForm` opens a <details> holding a
# ticked box or written words; `showReadiness` picks the note). The server draws what the
# device needs; the behaviour itself is checked in Chromium in
# tests/e2e/test_flooded_screens.py (step one: a ticked uncommon signal is in view after a
# reload; reflect: two feelings, then all three) and test_private_fields.py (own words
# read back). Own words being *in view* after a reload is not yet checked in Chromium.


def test_a_ticked_uncommon_one_keeps_its_list_open(cast: Cast) -> None:
    ada = client_for(cast.ada)
    notice = sealed()
    saved = ada.post(url(cast, "repair_acknowledge"), {"notice": notice, "own_words": ""})
    assert saved.status_code == 302
    page = ada.get(url(cast, "repair_acknowledge")).content.decode()
    # The device gets the sealed ticks back, with the names of the controls they fill…
    assert re.search(
        rf'name="notice" value="{re.escape(notice)}" data-e2e-seal="json" '
        r'data-e2e-fields="signals feelings state intensity"',
        page,
    )
    # …and the uncommon signal's box inside its "more" list, which it opens once ticked.
    more_signals = _more(page, "What is your body doing?")
    assert re.search(r'<input[^>]*name="signals"[^>]*value="clenched_jaw"', more_signals)
    assert "clenched_jaw" not in page[: page.index("<details")]  # not among the common ones
    assert _more(page, "What are you feeling?").startswith('<details class="more">')


def test_own_words_stay_open_once_written(cast: Cast) -> None:
    ada = client_for(cast.ada)
    words = sealed()
    ada.post(url(cast, "repair_acknowledge"), {"notice": sealed(), "own_words": words})
    page = ada.get(url(cast, "repair_acknowledge")).content.decode()
    assert re.search(
        rf'name="own_words" value="{re.escape(words)}" data-e2e-seal="text" '
        r'data-e2e-fields="own_words"',
        page,
    )
    # The box the device opens them into is in the "Add a few words" disclosure.
    more = page[
        page.index("<summary>Add a few words") : page.index(
            "</details>", page.index("<summary>Add a few words")
        )
    ]
    assert re.search(r'<textarea[^>]*name="own_words"', more)


def test_all_three_readiness_feelings_bring_the_encouragement(cast: Cast) -> None:
    ada = client_for(cast.ada)
    readiness = url(cast, "repair_readiness")
    htmx = {"HX-Request": "true"}
    encouragement = escape(str(content.READINESS_ALL))
    not_yet = escape(str(content.READINESS_NOT_YET))
    feelings = sealed()
    assert ada.post(readiness, {"readiness": feelings}, headers=htmx).status_code == 200
    page = ada.get(url(cast, "repair_reflect")).content.decode()
    # The device opens the sealed feelings into the three boxes and picks the note: both
    # notes are in the page for it, the one it shows before it knows being "not yet".
    assert re.search(
        rf'name="readiness" value="{re.escape(feelings)}" data-e2e-seal="json" '
        r'data-e2e-fields="feels_open feels_relaxed feels_compassionate ?"',
        page,
    )
    assert (
        f'data-e2e-readiness-note data-all="{encouragement}" data-not-all="{not_yet}">{not_yet}</p>'
    ) in page
    for name in ("feels_open", "feels_relaxed", "feels_compassionate"):
        assert re.search(rf'name="{name}" data-e2e-bool', page), name


def test_reflect_leads_with_where_the_person_stands_and_i_am_ready(cast: Cast) -> None:
    ada = client_for(cast.ada)
    brought = {"text": sealed(), "bring": "on", "shared": "Mine."}
    ada.post(url(cast, "repair_entry", "reflect:responsibility"), brought)
    ada.post(url(cast, "repair_entry", "reflect:past_associations"), {"text": sealed()})
    page = ada.get(url(cast, "repair_reflect")).content.decode()
    total = len(content.REFLECT_PROMPTS)
    assert f"You have answered 2 of {total} questions below, 1 to bring." in page
    first_prompt = page.index(escape(str(content.REFLECT_PROMPTS[0].text)))
    assert page.index("I am ready") < first_prompt
    assert "{#" not in page  # a template comment never shows


def test_saving_an_answer_updates_the_count_at_the_top(cast: Cast) -> None:
    response = client_for(cast.ada).post(
        url(cast, "repair_entry", "reflect:responsibility"),
        {"text": sealed(), "bring": "on", "shared": "Mine."},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "Saved" in page
    assert 'id="standing"' in page and 'hx-swap-oob="true"' in page
    assert "You have answered 1 of" in page
    assert "Mine." not in page  # counted, never shown


def test_i_am_ready_says_why_when_it_is_not_open(cast: Cast) -> None:
    ada = actions.participation_of(cast.repair, cast.ada)
    # Paused from another device: this page says why instead of offering the button.
    actions.set_paused(cast.repair, ada, True)
    page = client_for(cast.ada).get(url(cast, "repair_reflect"))
    assert page.status_code == 200
    text = page.content.decode()
    assert ">I am ready<" not in text
    assert "Come back from the pause first." in text


def _said(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_coming_back_from_a_pause_says_where_things_stand(cast: Cast) -> None:
    ada = actions.participation_of(cast.repair, cast.ada)
    ben = actions.participation_of(cast.repair, cast.ben)
    actions.join(cast.repair, ben)
    actions.go_to_step(cast.repair, ben, Participation.Step.HONOR)  # ben's own business
    actions.go_to_step(cast.repair, ada, Participation.Step.REFLECT)
    actions.set_paused(cast.repair, ada, True)
    actions.mark_ready(cast.repair, ben, True)

    response = client_for(cast.ada).post(url(cast, "repair_resume"))

    assert response["Location"] == url(cast, "repair_reflect")
    (said,) = _said(response)
    assert said.startswith("Welcome back.")
    assert "Ben: joined, ready" in said
    assert "You were in step 4, Reflect. Next: say you are ready, when you are." in said
    assert "Honor" not in said  # never where the others are in their own steps
    assert "Coming back together" not in said  # step 5 has not begun


def test_coming_back_during_step_five_says_where_it_goes_on(cast: Cast) -> None:
    repair = cast.repair
    ada = actions.participation_of(repair, cast.ada)
    ben = actions.participation_of(repair, cast.ben)
    actions.join(repair, ben)
    for part in (ada, ben):
        actions.mark_ready(repair, part, True)
    reengagement.done_with_phase(repair, ada, "considerations")
    reengagement.done_with_phase(repair, ben, "considerations")
    repair.refresh_from_db()
    assert repair.phase == "space"
    actions.set_paused(repair, ben, True)

    response = client_for(cast.ben).post(url(cast, "repair_resume"))

    (said,) = _said(response)
    assert "Ada: joined, ready" in said
    assert "Coming back together had begun. It goes on with “Create the space”" in said
    assert "You were in step" in said


def test_a_second_come_back_says_nothing_more(cast: Cast) -> None:
    ada = client_for(cast.ada)
    ada.post(url(cast, "repair_pause"))
    first = ada.post(url(cast, "repair_resume"), follow=True)
    assert "Welcome back." in first.content.decode()
    again = ada.post(url(cast, "repair_resume"), follow=True)
    assert "Welcome back." not in again.content.decode()
