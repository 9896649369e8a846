"""A citizen's own lookup (purpose online_prefill) is made only by the online form: the staff
API refuses that purpose, whatever else is sent."""

from __future__ import annotations

import uuid

import pytest
from pydantic import ValidationError

from motcua.population.schemas import LookupIn


@pytest.mark.parametrize("context", [{}, {"unit_id": str(uuid.uuid4())}, {"dossier_id": str(uuid.uuid4())}])
def test_the_staff_api_refuses_the_online_prefill_purpose(context):
    with pytest.raises(ValidationError, match="chỉ do công dân thực hiện trên trang nộp hồ sơ"):
        LookupIn.model_validate({"id_number": "020190000123", "purpose": "online_prefill", **context})
