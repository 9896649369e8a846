"""Response models of the 766 self-score API (OpenAPI documents them)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from motcua.reports.index766 import GROUPS, TOTAL_MAXIMUM, Indicator, Report, Score


class IndicatorOut(BaseModel):
    code: str = Field(description="Mã chỉ số (metricCode của Cổng DVCQG; nhóm không có mã: đường dẫn API của nhóm)")
    part: str = Field(description="Phần của công thức được tính riêng (rỗng: cả chỉ số)")
    group: str = Field(description="Nhóm chỉ số")
    name: str
    numerator: int | None = Field(description="Tử số (số hồ sơ / phản ánh / đánh giá đạt)")
    denominator: int | None = Field(description="Mẫu số")
    value: float | None = Field(description="Tỷ lệ (%), hai chữ số thập phân; null khi không tính được")
    points: float | None = Field(description="Điểm; null khi chưa tính được (xem reason)")
    maximum: float = Field(description="Điểm tối đa")
    reason: str | None = Field(description="Vì sao chưa tính được chỉ số này")
    note: str | None = Field(description="Ghi chú cách đọc con số (ví dụ quy tắc khi mẫu số bằng 0)")


class ScoreOut(BaseModel):
    agency_code: str
    agency_name: str
    procedure_code: str | None = Field(description="Mã thủ tục khi chấm riêng một thủ tục")
    points: float = Field(description="Tổng điểm các chỉ số tính được")
    computed_maximum: float = Field(description="Tổng điểm tối đa của các chỉ số tính được")
    maximum: float = Field(TOTAL_MAXIMUM, description="Điểm tối đa của Bộ chỉ số (100)")
    indicators: list[IndicatorOut]


class Report766Out(BaseModel):
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    at: datetime = Field(description="Thời điểm xét hồ sơ đang giải quyết: cuối kỳ, hoặc hiện tại nếu kỳ chưa kết thúc")
    scores: list[ScoreOut]


def indicator_out(i: Indicator) -> IndicatorOut:
    m = i.metric
    return IndicatorOut(code=m.code, part=m.part, group=GROUPS[m.group], name=m.name, numerator=i.numerator,
                        denominator=i.denominator, value=i.value, points=i.points, maximum=m.maximum,
                        reason=i.reason, note=i.note)


def score_out(s: Score) -> ScoreOut:
    return ScoreOut(agency_code=s.agency_code, agency_name=s.agency_name, procedure_code=s.procedure_code,
                    points=s.points, computed_maximum=s.computed_maximum,
                    indicators=[indicator_out(i) for i in s.indicators])


def report_out(r: Report) -> Report766Out:
    p = r.period
    return Report766Out(date_from=p.date_from, date_to=p.date_to, at=p.at, scores=[score_out(s) for s in r.scores])
