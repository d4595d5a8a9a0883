"""Objective assessments on the tablet: screen, range of motion, strength, posture; sign, compare, amend."""

from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/clients/<int:client_id>/assessments")

from . import routes  # noqa: E402,F401
