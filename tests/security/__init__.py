"""The hostile test suite: every route, form and upload probed as an attacker would (issue 8)."""
