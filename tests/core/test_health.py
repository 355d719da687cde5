"""/healthz: a plain answer for load balancers and uptime checks."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client


@pytest.fixture
def healthz_url() -> str:
    from django.urls import reverse

    return reverse("healthz")


@pytest.mark.django_db
def test_healthz_says_ok_when_the_database_answers(client: Client, healthz_url: str) -> None:
    response = client.get(healthz_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_says_unavailable_when_the_database_does_not_answer(
    client: Client, healthz_url: str
) -> None:
    with mock.patch("tend.core.views.connection") as connection:
        connection.cursor.side_effect = DatabaseError("connection refused")
        response = client.get(healthz_url)

    assert response.status_code == 503
    assert response.json()["status"] != "ok"
    assert "connection refused" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_says_unavailable_when_the_query_fails(client: Client, healthz_url: str) -> None:
    with mock.patch("tend.core.views.connection") as connection:
        cursor = connection.cursor.return_value.__enter__.return_value
        cursor.execute.side_effect = DatabaseError("the server closed the connection")
        response = client.get(healthz_url)

    assert response.status_code == 503


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_never_cached(client: Client, healthz_url: str) -> None:
    response = client.get(healthz_url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
