"""A TCP proxy a test can break: forward, refuse connections, or go silent (a black hole).

"Silent" keeps accepting and keeps every connection open but forwards nothing either way, like a
server or a network that stopped answering: the client's kernel still gets its bytes acknowledged,
so only timeouts of the client's own can end the wait.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
import time


class TcpProxy:
    """Listens on 127.0.0.1 (a free port) and forwards to `target`; thread-safe."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode = "forward"
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self._open_listener()

    def _open_listener(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        with self._lock:
            self._sockets.update((client, upstream))
        peers = {client: upstream, upstream: client}
        try:
            while True:
                readable, _, _ = select.select(list(peers), [], [], 0.2)
                if self.mode == "silent":
                    time.sleep(0.05)
                    continue  # bytes stay unread in the kernel buffers: nobody answers
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)
        except OSError:
            return
        finally:
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.close()
            with self._lock:
                self._sockets.difference_update((client, upstream))

    def refuse(self) -> None:
        """Close the listener (connections are refused) and reset every open connection."""
        self.mode = "refuse"
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept
            self._listener.close()
            self._listener = None
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                    sock.shutdown(socket.SHUT_RDWR)

    def silence(self) -> None:
        """Accept and hold connections, forward nothing."""
        if self._listener is None:
            self._open_listener()
        self.mode = "silent"

    def forward(self) -> None:
        """Back to normal (connections held while silent are cut: their protocol state is lost)."""
        if self.mode == "silent":
            with self._lock:
                for sock in list(self._sockets):
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
        if self._listener is None:
            self._open_listener()
        self.mode = "forward"

    def close(self) -> None:
        self.refuse()
