"""Outgoing e-mail: the one way metpwa sends a message (today only staff invitations).

Backends, chosen by MAIL_BACKEND:
  * "smtp": production; MAIL_SMTP_HOST, MAIL_SMTP_PORT (587), MAIL_SMTP_USERNAME, MAIL_SMTP_PASSWORD,
    MAIL_SMTP_STARTTLS (on; off only for a relay on the same machine), MAIL_FROM.
  * "file": development (the default): each message is written as an .eml file to MAIL_FOLDER
    (instance/outgoing-mail), so a developer opens the invitation link from there.
  * "memory": tests; messages are kept on the app (sent(app)) and go nowhere.

A message body can carry a sign-in link (an invitation's token), so no backend logs a body: the log
line names the recipient and subject only.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import Flask, current_app

log = logging.getLogger(__name__)

BACKENDS = ("smtp", "file", "memory")


class MailError(Exception):
    """The message could not be handed to the mail server; the text says why, for the person."""


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str


def sent(app: Flask) -> list[Message]:
    """What the memory backend has sent, oldest first (tests)."""
    return app.extensions.setdefault("metpwa_mail", [])


def send(to: str, subject: str, body: str) -> None:
    config = current_app.config
    backend = config.get("MAIL_BACKEND", "file")
    message = Message(to, subject, body)
    if backend == "memory":
        sent(current_app).append(message)
    elif backend == "file":
        _to_file(message, config)
    elif backend == "smtp":
        _by_smtp(message, config)
    else:
        raise MailError(f"MAIL_BACKEND is {backend!r}; use one of {', '.join(BACKENDS)}.")
    log.info("mail sent to %s: %s", to, subject)


def _email(message: Message, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(datetime.now(UTC))
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    email.set_content(message.body)
    return email


def _to_file(message: Message, config) -> None:
    folder = Path(config.get("MAIL_FOLDER") or Path(current_app.instance_path) / "outgoing-mail")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{os.urandom(3).hex()}.eml"
    # Owner-only: the file holds a link that sets a password.
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(bytes(_email(message, config.get("MAIL_FROM", "metpwa@localhost"))))


def _by_smtp(message: Message, config) -> None:
    host = config.get("MAIL_SMTP_HOST")
    if not host:
        raise MailError("No mail server is set up (METPWA_MAIL_SMTP_HOST): the message was not sent.")
    try:
        with smtplib.SMTP(host, int(config.get("MAIL_SMTP_PORT", 587)), timeout=15) as server:
            if config.get("MAIL_SMTP_STARTTLS", True):
                server.starttls(context=ssl.create_default_context())
            if config.get("MAIL_SMTP_USERNAME"):
                server.login(config["MAIL_SMTP_USERNAME"], config.get("MAIL_SMTP_PASSWORD", ""))
            server.send_message(_email(message, config.get("MAIL_FROM", "metpwa@localhost")))
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail to %s not sent: %s", message.to, error)
        raise MailError("The mail server did not take the message; try again in a minute.") from error
