from sqlalchemy import func, select

from motcua.core.clock import frozen
from motcua.dossiers.models import Notification
from motcua.jobs.worker import Job, run_due_jobs
from tests.dossiers.world import build_world, local, receive

SENT_PER_ALERT = 1  # the head of the competent agency (no handler assigned yet)


def test_worker_sends_overdue_alerts_once(db, session_factory):
    world = build_world(db)
    with frozen(local(2027, 3, 2, 9, 0)):
        dossier = receive(db, world)  # due 09/03/2027 17:00
    db.commit()
    with frozen(local(2027, 3, 8, 9, 0)):
        first = run_due_jobs(session_factory, elapsed=0)
        second = run_due_jobs(session_factory, elapsed=0)
    # The tracking-book files job runs at every tick too; nothing is queued here.
    assert first == {"alert-overdue": "cảnh báo 1 hồ sơ sắp đến hạn/quá hạn", "book-files": "in 0 tệp sổ theo dõi hồ sơ"}
    assert second == {"alert-overdue": "cảnh báo 0 hồ sơ sắp đến hạn/quá hạn", "book-files": "in 0 tệp sổ theo dõi hồ sơ"}
    sent = db.scalar(select(func.count()).select_from(Notification).where(Notification.dossier_id == dossier.id))
    assert sent == SENT_PER_ALERT


def test_a_failing_job_does_not_stop_the_others(session_factory):
    def broken(session):
        raise RuntimeError("máy chủ thư không phản hồi")

    jobs = [Job("broken", 60, broken), Job("fine", 60, lambda s: "xong"), Job("later", 120, lambda s: "chưa")]
    assert run_due_jobs(session_factory, elapsed=60, jobs=jobs) == {
        "broken": "lỗi: máy chủ thư không phản hồi", "fine": "xong",
    }
