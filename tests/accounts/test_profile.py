"""The profile page: display name and time zone."""

from django.urls import reverse

from tests.conftest import Cast, client_for

PROFILE = "/profile/"


def test_profile_changes_display_name_and_time_zone(cast: Cast) -> None:
    client = client_for(cast.ada)

    response = client.post(PROFILE, {"display_name": "  Ada L.  ", "time_zone": "Europe/Paris"})

    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    cast.ada.refresh_from_db()
    assert cast.ada.display_name == "Ada L."
    assert cast.ada.time_zone == "Europe/Paris"
    assert "Saved." in client.get(PROFILE).content.decode()


def test_others_see_the_new_display_name(cast: Cast) -> None:
    client_for(cast.ada).post(PROFILE, {"display_name": "Ada L.", "time_zone": "UTC"})

    page = client_for(cast.ben).get(reverse("relationship", args=[cast.us.pk])).content.decode()

    assert "Ada L." in page


def test_an_unknown_time_zone_is_refused_and_nothing_changes(cast: Cast) -> None:
    response = client_for(cast.ada).post(
        PROFILE, {"display_name": "Someone Else", "time_zone": "Mars/Olympus_Mons"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    cast.ada.refresh_from_db()
    assert cast.ada.display_name == "Ada"
    assert cast.ada.time_zone == "UTC"


def test_an_empty_display_name_is_refused(cast: Cast) -> None:
    response = client_for(cast.ada).post(PROFILE, {"display_name": "   ", "time_zone": "UTC"})

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    cast.ada.refresh_from_db()
    assert cast.ada.display_name == "Ada"


def test_the_profile_form_shows_the_current_values(cast: Cast) -> None:
    cast.ada.time_zone = "Asia/Tokyo"
    cast.ada.save()

    page = client_for(cast.ada).get(PROFILE).content.decode()

    assert 'value="Asia/Tokyo" selected' in page
    assert "ada@example.test" in page


def test_the_page_lists_the_time_zones_of_the_current_part_of_the_world_only(cast: Cast) -> None:
    cast.ada.time_zone = "Europe/Paris"
    cast.ada.save()

    page = client_for(cast.ada).get(PROFILE).content.decode()

    assert 'value="Europe" selected' in page
    assert 'value="Europe/Paris" selected' in page
    assert 'value="Europe/Lisbon"' in page
    assert "Asia/Tokyo" not in page


def test_the_time_zones_of_another_part_of_the_world(cast: Cast) -> None:
    client = client_for(cast.ada)

    options = client.get(reverse("profile_time_zones"), {"region": "Asia"}).content.decode()
    assert 'value="Asia/Tokyo"' in options
    assert "Europe/Paris" not in options

    others = client.get(reverse("profile_time_zones"), {"region": "Etc"}).content.decode()
    assert 'value="UTC" selected' in others  # ada's own


def test_an_unknown_part_of_the_world_is_a_clear_400(cast: Cast) -> None:
    response = client_for(cast.ada).get(reverse("profile_time_zones"), {"region": "Mars"})

    assert response.status_code == 400
    assert "part of the world" in response.content.decode()


def test_without_script_the_show_button_lists_that_part_of_the_world_and_saves_nothing(
    cast: Cast,
) -> None:
    response = client_for(cast.ada).post(
        PROFILE,
        {"display_name": "Ada L.", "region": "Asia", "time_zone": "UTC", "show_region": "1"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Asia/Tokyo"' in page
    assert 'value="Ada L."' in page
    cast.ada.refresh_from_db()
    assert (cast.ada.display_name, cast.ada.time_zone) == ("Ada", "UTC")
