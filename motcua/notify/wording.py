"""The notice templates an administrator edits (/quan-tri/thong-bao/mau) and the channels a
citizen chooses (/cong-dan/thong-bao): the rules of those pages, in one place."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from motcua.auth.models import Role, User
from motcua.auth.policies import ensure_role
from motcua.core.clock import now
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.text import nfc
from motcua.notify.models import ChannelKind, ChannelPreference, MessageTemplate, NoticeKind
from motcua.notify.templating import DEFAULTS, TemplateRefused, Wording, check_template

FIELD_LABELS = {"subject": "Tiêu đề thư", "body": "Nội dung"}


@dataclass(frozen=True)
class TemplateView:
    kind: NoticeKind
    channel: ChannelKind
    wording: Wording
    edited: bool  # differs from the default


def parse_key(kind: str, channel: str) -> tuple[NoticeKind, ChannelKind]:
    try:
        return NoticeKind(kind), ChannelKind(channel)
    except ValueError:
        raise NotFound("Không có mẫu thông báo này.") from None


def ensure_editor(user: User) -> None:
    ensure_role(user, Role.province_admin)


def template_view(session: Session, kind: NoticeKind, channel: ChannelKind) -> TemplateView:
    row = session.get(MessageTemplate, (str(kind), str(channel)))
    default = DEFAULTS[(kind, channel)]
    wording = Wording(row.subject, row.body) if row is not None else default
    return TemplateView(kind, channel, wording, wording != default)


def all_templates(session: Session) -> list[TemplateView]:
    return [template_view(session, kind, channel) for kind in NoticeKind for channel in ChannelKind]


def _refusal(exc: TemplateRefused) -> InvalidInput:
    return InvalidInput(exc.message, details=[{"name": exc.field, "label": FIELD_LABELS[exc.field],
                                               "message": exc.message}])


def normal_body(body: str) -> str:
    """NFC, line breaks kept (`nfc` would join the lines), trailing spaces of lines dropped."""
    lines = unicodedata.normalize("NFC", body or "").replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def preview(kind: NoticeKind, channel: ChannelKind, subject: str, body: str) -> Wording:
    """The template rendered with the sample dossier, or InvalidInput saying what is wrong."""
    try:
        return check_template(kind, channel, nfc(subject) or "", normal_body(body))
    except TemplateRefused as exc:
        raise _refusal(exc) from None


def save_template(session: Session, user: User, kind: NoticeKind, channel: ChannelKind, subject: str,
                  body: str) -> Wording:
    """Store the template after checking it (refused: InvalidInput, nothing stored)."""
    ensure_editor(user)
    subject, body = nfc(subject) or "", normal_body(body)
    rendered = preview(kind, channel, subject, body)
    row = session.get(MessageTemplate, (str(kind), str(channel)))
    if row is None:
        row = MessageTemplate(kind=str(kind), channel=str(channel))
        session.add(row)
    row.subject = subject if channel == ChannelKind.EMAIL else ""
    row.body, row.updated_at, row.updated_by_id = body, now(), user.id
    session.flush()
    return rendered


def seed_templates(session: Session) -> int:
    """The default of every template not stored yet (an edited one is kept); returns how many."""
    stored = set(session.execute(select(MessageTemplate.kind, MessageTemplate.channel)).tuples())
    added = 0
    for (kind, channel), wording in DEFAULTS.items():
        if (str(kind), str(channel)) not in stored:
            session.add(MessageTemplate(kind=str(kind), channel=str(channel), subject=wording.subject,
                                        body=wording.body))
            added += 1
    session.flush()
    return added


# --- a citizen's channels ----------------------------------------------------------------------


def channel_choice(session: Session, citizen_id: uuid.UUID) -> dict[ChannelKind, bool]:
    row = session.get(ChannelPreference, citizen_id)
    return {ChannelKind.EMAIL: row.email if row else True, ChannelKind.SMS: row.sms if row else True}


def save_channel_choice(session: Session, citizen_id: uuid.UUID, chosen: set[str]) -> dict[ChannelKind, bool]:
    unknown = chosen - {c.value for c in ChannelKind}
    if unknown:
        raise InvalidInput("Kênh nhận thông báo không hợp lệ.")
    row = session.get(ChannelPreference, citizen_id)
    if row is None:
        row = ChannelPreference(citizen_id=citizen_id)
        session.add(row)
    row.email, row.sms, row.updated_at = ChannelKind.EMAIL in chosen, ChannelKind.SMS in chosen, now()
    session.flush()
    return channel_choice(session, citizen_id)
