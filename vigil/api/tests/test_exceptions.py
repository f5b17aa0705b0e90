"""The one error shape: every value of `errors` is a list of messages, whatever the nesting."""

from typing import Any

from rest_framework import exceptions, serializers

from vigil.api.exceptions import exception_handler

INTEGER = "A valid integer is required."


class ItemSerializer(serializers.Serializer[Any]):
    part = serializers.IntegerField()


class BodySerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    ids = serializers.ListField(child=serializers.IntegerField())
    items = ItemSerializer(many=True)
    item = ItemSerializer()


def _errors(error: exceptions.ValidationError) -> Any:
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == 400
    assert response.data["detail"] == "Invalid input."
    return response.data["errors"]


def test_errors_of_list_items_and_nested_fields_are_named_by_their_path():
    body = BodySerializer(
        data={"ids": [1, "x"], "items": [{"part": 1}, {"part": "y"}], "item": {"part": "z"}}
    )
    assert not body.is_valid()
    assert _errors(exceptions.ValidationError(body.errors)) == {
        "name": ["This field is required."],
        "ids.1": [INTEGER],
        "items.1.part": [INTEGER],
        "item.part": [INTEGER],
    }


def test_errors_without_a_field_are_non_field_errors():
    assert _errors(exceptions.ValidationError("Not now.")) == {"non_field_errors": ["Not now."]}
    assert _errors(exceptions.ValidationError({"state": "Not now."})) == {"state": ["Not now."]}
