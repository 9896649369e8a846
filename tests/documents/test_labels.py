"""Labels only in the enums (issue 9): the dossier page and the printed forms say the same
thing about the same dossier — outcome, channel, component kind — in the forms' legal wording."""

from __future__ import annotations

from html import unescape

from motcua.dossiers.enums import (
    CHANNEL_LABELS,
    COMPONENT_KIND_LABELS,
    OUTCOME_LABELS,
    Channel,
    ComponentKind,
    Outcome,
)
from tests.documents.conftest import login
from tests.documents.pdfutil import pdf_text


def test_outcome_labels_use_the_control_slip_wording():
    """TT 01/2018 form 05 (TT 03/2025 form 06): "Kết quả giải quyết hồ sơ (trước hạn/ đúng hạn/ quá hạn)"."""
    assert OUTCOME_LABELS == {Outcome.early: "Trước hạn", Outcome.on_time: "Đúng hạn", Outcome.late: "Quá hạn"}
    assert CHANNEL_LABELS[Channel.post] == "Qua dịch vụ bưu chính"


def test_dossier_page_and_forms_show_the_same_labels(client, receive, walk):
    dossier = receive(channel="post")
    walk(dossier, "returned")
    assert dossier.outcome == "early"
    login(client, "tn.lanhdao")
    outcome, channel = OUTCOME_LABELS[Outcome.early], CHANNEL_LABELS[Channel.post]
    kinds = [COMPONENT_KIND_LABELS[ComponentKind.original], COMPONENT_KIND_LABELS[ComponentKind.copy]]

    page = unescape(client.get(f"/ho-so/{dossier.id}").text)
    receipt = unescape(client.get(f"/ho-so/{dossier.id}/bieu-mau/01").text)
    slip = unescape(client.get(f"/ho-so/{dossier.id}/bieu-mau/06").text)
    slip_pdf = pdf_text(client.get(f"/ho-so/{dossier.id}/bieu-mau/06?pdf=1").content)

    assert f"badge-ok\">{outcome}</span>" in page
    assert f"— {channel}</dd>" in page
    assert all(f"<td>{kind}</td>" in page for kind in kinds)
    assert f"Kết quả giải quyết chung của hồ sơ: <b>{outcome}</b>" in slip
    assert f"Kết quả giải quyết chung của hồ sơ: {outcome}" in slip_pdf
    assert f"Hình thức nộp: {channel}." in receipt
    assert all(f'<td class="c">{kind}</td>' in receipt for kind in kinds)
    assert "Sớm hạn" not in page + slip + slip_pdf
