from sqlalchemy import func, select

from motcua.core.clock import frozen
from motcua.core.config import get_settings
from motcua.core.jobs import Job
from motcua.dossiers.models import Notification
from motcua.jobs.worker import run_due_jobs
from tests.dossiers.world import build_world, local, receive

SENT_PER_ALERT = 1  # the head of the competent agency (no handler assigned yet)


def test_worker_sends_overdue_alerts_once(db, session_factory, monkeypatch, tmp_path):
    # no portal account and no payment key: the exchange jobs say so and call nothing
    monkeypatch.delenv("MOTCUA_DVCQG_PASSWORD", raising=False)
    monkeypatch.delenv("MOTCUA_PAYMENT_HASH_KEY", raising=False)
    # no mail server, no SMS gateway: the notices go to files, here
    for name in ("MOTCUA_SMTP_URL", "SMTP_URL", "SMS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MOTCUA_OUTBOX_DIR", str(tmp_path / "outbox"))
    get_settings.cache_clear()
    world = build_world(db)
    with frozen(local(2027, 3, 2, 9, 0)):
        dossier = receive(db, world)  # due 09/03/2027 17:00
    db.commit()
    with frozen(local(2027, 3, 8, 9, 0)):
        first = run_due_jobs(session_factory, elapsed=0)
        second = run_due_jobs(session_factory, elapsed=0)
    # The tracking-book files job runs at every tick too; nothing is queued here.
    # The outbox sender too: the head has no e-mail address, so the alert queues no message;
    # the catalogue's pending decisions job finds none due; no portal account, no national list.
    idle = {"book-files": "in 0 tệp sổ theo dõi hồ sơ", "purge-counters": "xoá 0 bộ đếm đăng nhập, tra cứu đã hết hạn",
            "notify-send": "gửi 0 thông báo, 0 chờ gửi lại, 0 không gửi được",
            "catalog-decisions": "áp dụng 0 quyết định công bố thủ tục đến ngày hiệu lực",
            "dvcqg-catalog-list": "chưa cấu hình tài khoản kết nối Cổng DVC quốc gia: không tải danh mục quốc gia",
            "dvcqg-inbound": "chưa cấu hình tài khoản kết nối Cổng DVC quốc gia: không nhận hồ sơ trực tuyến",
            "dvcqg-dossier-sync": "chưa cấu hình tài khoản kết nối Cổng DVC quốc gia: không gửi hồ sơ",
            "ratings-dvcqg-sync": "chưa cấu hình tài khoản kết nối Cổng DVC quốc gia: không gửi đánh giá",
            "payments-reconcile": "chưa cấu hình khoá dùng chung với nền tảng thanh toán: không đối soát",
            "feedback-overdue": "cảnh báo 0 phản ánh, kiến nghị quá hạn",
            "quality-legal-changes": "mở 0 việc cập nhật quy trình theo thay đổi pháp lý, báo 0 việc quá hạn",
            "quality-reminders": "nhắc 0 lịch đánh giá, họp xem xét, hạn khắc phục",
            "reform-reminders": "nhắc hạn 0 nhiệm vụ cải cách hành chính"}
    # The first run sends the applicant's notice of the receipt (notices domain): e-mail and SMS.
    # A fresh install holds only the reform sample plan, which is never reminded: 0 tasks.
    assert first == {**idle, "alert-overdue": "cảnh báo 1 hồ sơ sắp đến hạn/quá hạn",
                     "notify-send": "gửi 2 thông báo, 0 chờ gửi lại, 0 không gửi được"}
    assert second == {"alert-overdue": "cảnh báo 0 hồ sơ sắp đến hạn/quá hạn", **idle}
    sent = db.scalar(select(func.count()).select_from(Notification).where(Notification.dossier_id == dossier.id))
    assert sent == SENT_PER_ALERT
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == len(list((tmp_path / "outbox" / "sms").glob("*.txt"))) == 1
    get_settings.cache_clear()


def test_a_failing_job_does_not_stop_the_others(session_factory):
    def broken(session):
        raise RuntimeError("máy chủ thư không phản hồi")

    jobs = [Job("broken", 60, broken), Job("fine", 60, lambda s: "xong"), Job("later", 120, lambda s: "chưa")]
    assert run_due_jobs(session_factory, elapsed=60, jobs=jobs) == {
        "broken": "lỗi: máy chủ thư không phản hồi", "fine": "xong",
    }


def test_worker_purges_expired_login_and_lookup_counters(db, session_factory):
    from motcua.core import throttle
    from motcua.core.throttle import ThrottleCounter

    with frozen(local(2027, 3, 1, 9, 0)):
        throttle.hit(db, "lookup:203.0.113.7", at=local(2027, 3, 1, 9, 0), window_seconds=60)
        throttle.hit(db, "login:pair:canbo|203.0.113.7", at=local(2027, 3, 1, 9, 0), window_seconds=900)
        throttle.block(db, "login:pair:canbo|203.0.113.7", at=local(2027, 3, 1, 9, 0), seconds=900)
    with frozen(local(2027, 3, 2, 8, 0)):
        throttle.hit(db, "lookup:198.51.100.9", at=local(2027, 3, 2, 8, 0), window_seconds=60)
    db.commit()
    with frozen(local(2027, 3, 2, 9, 30)):  # a day and half an hour after the first ones
        outcome = run_due_jobs(session_factory, elapsed=0)["purge-counters"]
    assert outcome == "xoá 2 bộ đếm đăng nhập, tra cứu đã hết hạn"
    assert db.scalars(select(ThrottleCounter.key).order_by(ThrottleCounter.key)).all() == ["lookup:198.51.100.9"]
