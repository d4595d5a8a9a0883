"""Who is asking, from where: the facts every audit record and throttle needs."""

from __future__ import annotations

from flask import has_request_context, request


def client_ip() -> str:
    if not has_request_context():
        return "cli"
    # ProxyFix (PROXY_COUNT) has already replaced remote_addr when behind a proxy.
    return (request.remote_addr or "unknown")[:45]


def device() -> str:
    if not has_request_context():
        return "command line"
    return (request.user_agent.string or "unknown")[:200]
