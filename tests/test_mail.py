"""Outgoing mail (metpwa/mail.py): the development folder, a missing SMTP server, and an invitation the
mail server refused, which records nothing."""

import logging
import stat

from sqlalchemy import func, select

from metpwa import mail
from metpwa.models import AuditEvent, StaffInvitation


def test_the_file_backend_writes_an_owner_only_eml_and_logs_no_body(app, tmp_path, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path / "out"))
    with app.app_context(), caplog.at_level(logging.INFO, logger="metpwa.mail"):
        mail.send("nina@example.org", "Welcome", "Your link: http://localhost/welcome/SECRET-TOKEN")
    [written] = list((tmp_path / "out").iterdir())
    assert written.suffix == ".eml" and stat.S_IMODE(written.stat().st_mode) == 0o600
    text = written.read_text()
    assert "To: nina@example.org" in text and "SECRET-TOKEN" in text
    assert "SECRET-TOKEN" not in caplog.text and "nina@example.org" in caplog.text


def test_smtp_without_a_server_refuses_plainly(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SMTP_HOST", None)
    with app.app_context():
        try:
            mail.send("nina@example.org", "Welcome", "body")
        except mail.MailError as refused:
            assert "No mail server" in str(refused)
        else:
            raise AssertionError("sent without a server")


def test_an_invitation_the_mail_server_refused_is_said_at_the_address_and_not_recorded(app, db, agent, personas,
                                                                                      monkeypatch):
    def refuse(*args):
        raise mail.MailError("The mail server did not take the message; try again in a minute.")

    monkeypatch.setattr(mail, "send", refuse)
    agent.login(personas.owner)
    response = agent.post("/staff", data={"full_name": "Nina Patel", "email": "nina@lakeside.example",
                                          "role": "trainer", "credentials": "", "npi": ""})
    assert response.status_code == 422 and "did not take the message" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffInvitation)) == 0
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "invite")) == 0
