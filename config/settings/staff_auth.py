"""Staff login hardening (issue #3, point 6): lockout, second factor, idle timeout. Imported by base.py.

See docs/staff-login.md for what each setting means to an officer.
"""

from __future__ import annotations

from datetime import timedelta

from config import env

# Lockout (django-axes): 5 wrong passwords for one username from one address lock that pair for 15 minutes.
# Username *and* address, so that an attacker elsewhere cannot lock an officer out of their own desk.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "identity/staff_auth/lockout.html"

# Second factor: the same limit and wait for wrong TOTP or recovery codes, counted per account.
DEAN06_SECOND_FACTOR_FAILURE_LIMIT = AXES_FAILURE_LIMIT
DEAN06_SECOND_FACTOR_LOCKOUT = AXES_COOLOFF_TIME
DEAN06_TOTP_ISSUER = "Đề án 06 Vĩnh Long"
DEAN06_TOTP_KEYS = env.split_list(env.TOTP_KEYS.value)

DEAN06_IDLE_TIMEOUT_MINUTES = env.IDLE_TIMEOUT_MINUTES.value
AXES_VERBOSE = False  # no start-up banner on every `dean06` command
