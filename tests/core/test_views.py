def test_unknown_api_address_is_a_problem_document(client, db):
    response = client.post("/api/v1/nothing-here", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "There is no API endpoint at this address."
