"""The composed server on port 0: it binds a port the system picks before it starts, prints that address and
returns it, so tests and scripts never pick a port, release it and hope it is still free when the server binds."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import httpx
import pytest


def test_port_0_serves_on_the_port_the_system_picked_and_says_which(capsys):
    from workbench.server import serve

    with socket.socket() as taken, pytest.MonkeyPatch.context() as mp:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        for name in ("SPACE_ID", "HIRELAB_DEMO", "HIRELAB_HOSTED", "HIRELAB_USERS", "HIRELAB_USERS_FILE"):
            mp.delenv(name, raising=False)
        mp.setenv("GRADIO_SERVER_PORT", str(taken.getsockname()[1]))  # the default port, busy: 0 must not mean it
        served = serve("127.0.0.1", 0, block=False)
    try:
        port = urlsplit(served.url).port
        assert port and port != 0, served.url
        assert f"* Workbench: {served.url}\n" in capsys.readouterr().out
        with socket.socket() as other:  # the port is the server's: nobody else can bind it
            with pytest.raises(OSError):
                other.bind(("127.0.0.1", port))
        page = httpx.get(served.url, timeout=60)
        assert page.status_code == 200 and "gradio" in page.text.lower()
    finally:
        served.server.force_exit = True
        served.close()
