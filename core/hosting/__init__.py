"""Hosted-mode security: who may sign in, how much one request may send, how often one person may ask, and
which files the web server must never hand out.

Hosted means other people reach the server: ``SPACE_ID`` is set, ``HIRELAB_HOSTED=1``, demo mode is on (the
public demo; ``HIRELAB_DEMO=1`` locally behaves as the Space), or it serves on an address other than loopback.
A hosted server needs users (``HIRELAB_USERS="name:password,name2:password2"``
or ``HIRELAB_USERS_FILE``, one ``name:password`` a line) and refuses to start without them, except the public
demo (``Settings.demo``: a Space or ``HIRELAB_DEMO=1``), which keeps nothing and may run open.

The server applies it as ``HostingConfig.from_settings(host).launch_kwargs()``: the keywords of Gradio's
``Blocks.launch()`` and ``gr.mount_gradio_app()`` (auth callback, auth_message, max_file_size, allowed_paths,
blocked_paths). The candidate interview page (token links) must NOT require the recruiter login: mount it
with ``public_kwargs()`` (the same limits and blocked paths, no ``auth``). Gradio has no setting for the count
of files in one request or for a per-user rate, so the workbench's Screen and Grade handlers call
:func:`admit` (through ``workbench.guard``).

Settings (environment, read in ``core.config``): HIRELAB_MAX_UPLOAD_MB (5), HIRELAB_MAX_FILES (20),
HIRELAB_RATE_LIMIT requests per HIRELAB_RATE_WINDOW_S seconds per user (30 per 60); for Gradio's upload route
(``workbench.limits``), HIRELAB_MAX_UPLOAD_TOTAL_MB per request (50) and HIRELAB_UPLOAD_RATE files per rate window
per address (100); for sign-in, HIRELAB_LOGIN_FAILURES failures per name (5; 4x as many per address) before a pause
of HIRELAB_LOGIN_LOCKOUT_S seconds (60), doubling with each further failure up to an hour.

The client's address (the rate limits' key for anyone not signed in, and the sign-in throttle's) is the TCP peer,
except on a Space: there every request comes through the Space's proxy, which appends the address it received the
request from to ``X-Forwarded-For``; the right-most entry is therefore the one the trusted proxy wrote, and
anything to its left was sent by the client and may be forged (:func:`client_key`).

The parts, one behaviour each: ``errors``, ``users`` (the users and the sign-in callback), ``throttle`` (rate
limits and the sign-in throttle), ``paths`` (blocked paths), ``config`` (HostingConfig), ``admission`` (whose
request, and may it go through) and ``uploads`` (Gradio's upload route). Import from ``core.hosting``.
"""

from core.hosting.admission import admit, client_address, client_key
from core.hosting.config import LOOPBACK_NAMES, HostingConfig, is_loopback
from core.hosting.errors import HostingError, HostingLimitError
from core.hosting.paths import APP_FILES, blocked_paths
from core.hosting.throttle import (ADDRESS_FAILURES_FACTOR, RateLimiter, SignInThrottle, address_throttle, limiter,
                                   name_throttle)
from core.hosting.uploads import UploadMeter, admit_upload
from core.hosting.users import USERS_HINT, Login, User, login_name_key, parse_users, read_users

__all__ = [
    "ADDRESS_FAILURES_FACTOR", "APP_FILES", "LOOPBACK_NAMES", "USERS_HINT", "HostingConfig", "HostingError",
    "HostingLimitError", "Login", "RateLimiter", "SignInThrottle", "UploadMeter", "User", "address_throttle",
    "admit", "admit_upload", "blocked_paths", "client_address", "client_key", "is_loopback", "limiter",
    "login_name_key", "name_throttle", "parse_users", "read_users",
]
