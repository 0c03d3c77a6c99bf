from django.test import Client


def test_unknown_api_address_is_a_problem_document(client: Client, db: None) -> None:
    response = client.post("/api/v1/nothing-here", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "There is no API endpoint at this address."


def test_a_form_sent_without_its_csrf_token_gets_a_plain_govuk_page(db: None) -> None:
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/sign-in", {"username": "someone", "password": "anything"}
    )
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your answers could not be sent" in body
    assert "Nothing on this page was saved" in body
    assert "govuk-template" in body  # the service's own layout, not Django's page
