"""The rating's input model, shared by the online page and the kiosk (one use case)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from motcua.dossiers.inputs import validated
from motcua.ratings.enums import Satisfaction

COMMENT_MAX = 2000
Points = Annotated[int, Field(ge=0, le=2)]


class RatingIn(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    time_score: Points = Field(title="Thời gian giải quyết so với quy định")
    contacts_score: Points = Field(title="Số lần phải liên hệ để hoàn thiện hồ sơ")
    attitude_score: Points = Field(title="Thái độ của cán bộ")
    satisfaction: Satisfaction = Field(title="Mức độ hài lòng chung")
    comment: Annotated[str, StringConstraints(max_length=COMMENT_MAX)] = Field("", title="Góp ý thêm")


FIELDS = tuple(RatingIn.model_fields)


def parse_rating(form: Mapping[str, Any]) -> RatingIn:
    """The posted form as a `RatingIn`; an unanswered question or an answer not offered is
    refused with the question named (InvalidInput, 422)."""
    return validated(RatingIn, {name: form.get(name) for name in FIELDS if form.get(name) not in (None, "")})
