"""Loopback ports for the serving tests: free ones from the block these tests may use."""

from __future__ import annotations

import socket

# The serving tests (balancer, replicas, long links, the fake npm registry) use only these ports.
FIRST, LAST = 8720, 8749


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind: TIME_WAIT is no obstacle
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_ports(n: int, first: int = FIRST, last: int = LAST) -> list[int]:
    """``n`` ports in ``first..last`` that nothing listens on right now."""
    found = [port for port in range(first, last + 1) if _free(port)][:n]
    if len(found) == n:
        return found
    raise RuntimeError(f"fewer than {n} free ports in {first}-{last}")


def free_block(n: int, first: int = FIRST, last: int = LAST) -> int:
    """The first of ``n`` consecutive free ports in ``first..last`` (``./dev serve --port P`` uses P..P+N)."""
    for start in range(first, last - n + 2):
        if all(_free(port) for port in range(start, start + n)):
            return start
    raise RuntimeError(f"no {n} consecutive free ports in {first}-{last}")
