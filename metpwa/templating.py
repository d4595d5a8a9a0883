"""Template helpers: versioned static URLs, times in the practice's zone, US formats."""

from __future__ import annotations

import hashlib
import os
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask, current_app, url_for
from flask_login import current_user

_static_versions: dict[str, tuple[float, str]] = {}


def static_version(filename: str) -> str:
    """A short content hash, recomputed only when the file's mtime changes."""
    path = os.path.join(current_app.static_folder, filename)
    mtime = os.stat(path).st_mtime
    cached = _static_versions.get(path)
    if cached is None or cached[0] != mtime:
        with open(path, "rb") as fh:
            cached = (mtime, hashlib.sha256(fh.read()).hexdigest()[:12])
        _static_versions[path] = cached
    return cached[1]


def static_url(filename: str) -> str:
    return url_for("static", filename=filename, v=static_version(filename))


def practice_zone() -> ZoneInfo:
    if current_user and current_user.is_authenticated:
        return current_user.practice.zone
    return ZoneInfo("America/New_York")


def local(value: datetime | None, zone: ZoneInfo | None = None) -> datetime | None:
    return value.astimezone(zone or practice_zone()) if value is not None else None


# Each filter takes an optional zone for documents made outside a signed-in request (the CLI, the demo).
def fmt_datetime(value: datetime | None, zone: ZoneInfo | None = None) -> str:
    """Nov 26, 2026, 4:05 PM in the practice's time zone."""
    if value is None:
        return ""
    value = local(value, zone)
    return f"{value:%b} {value.day}, {value.year}, {_clock(value)}"


def fmt_time(value: datetime | None, zone: ZoneInfo | None = None) -> str:
    return _clock(local(value, zone)) if value is not None else ""


def fmt_date(value: date | datetime | None, zone: ZoneInfo | None = None) -> str:
    """Nov 26, 2026 (US order, month spelled so no one misreads 03/04)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, zone)
    return f"{value:%b} {value.day}, {value.year}"


def _clock(value: datetime) -> str:
    hour = value.hour % 12 or 12
    return f"{hour}:{value:%M} {'AM' if value.hour < 12 else 'PM'}"


def _svg_data_uri(svg: str) -> str:
    from .charts import svg_data_uri

    return svg_data_uri(svg)


def upper_first(text: str) -> str:
    """Capitalize the first letter only: "Timed Up and Go" stays as it is, "knee flexion" becomes
    "Knee flexion" (Jinja's capitalize would lower-case the rest)."""
    return text[:1].upper() + text[1:] if text else text


def init_app(app: Flask) -> None:
    app.jinja_env.globals["static_url"] = static_url
    app.jinja_env.filters["upper_first"] = upper_first
    app.jinja_env.globals["timedelta"] = timedelta
    app.jinja_env.globals["svg_data_uri"] = _svg_data_uri
    app.jinja_env.filters["datetime"] = fmt_datetime
    app.jinja_env.filters["time"] = fmt_time
    app.jinja_env.filters["date"] = fmt_date

    @app.context_processor
    def shell_settings():
        return {"idle_lock_seconds": int(float(app.config["IDLE_LOCK_MINUTES"]) * 60)}
