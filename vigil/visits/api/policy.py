"""The visits' field policy for their API serializers (`visit_fields_hidden_from`)."""

from vigil.api.base import FieldPolicySerializer

from ..permissions import visit_fields_hidden_from


class VisitPolicySerializer(FieldPolicySerializer):
    # Names of NPM staff, hidden from agency liaisons (no docstring: see the base).

    field_policy = staticmethod(visit_fields_hidden_from)
