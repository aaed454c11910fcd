#!/usr/bin/env python3
"""blackhole.py — owns the "hung Elasticsearch" stand-in for es_fdw's cancel/timeout tests.

    scripts/blackhole.py <port> [--pidfile FILE] [--lifetime SECONDS] [--daemon]

Listens on 127.0.0.1:<port>, accepts every connection, reads and discards whatever is sent and never
answers. Once listening it prints its pid on stdout and, if given, writes it to --pidfile. Without
--pidfile, when $ES_FDW_RUN_DIR is set (scripts/test.sh sets it) the pid goes to
$ES_FDW_RUN_DIR/blackhole-<port>.pid, so the test runner can kill it at the end of the run.
Two ways to run it in the background:
    python3 blackhole.py 19290 & pid=$!      # plain background job; `kill $pid` stops it
    pid=$(python3 blackhole.py 19290 --daemon)
                                            # detaches once the port is listening (no race),
                                            # prints the daemon's pid; `kill $pid` stops it
It exits by itself after --lifetime seconds (default 600), and on SIGTERM/SIGINT.
"""
import argparse
import os
import signal
import socket
import sys
import threading


def parse_args():
    p = argparse.ArgumentParser(description="TCP server that accepts and never answers")
    p.add_argument("port", type=int)
    p.add_argument("--pidfile")
    p.add_argument("--lifetime", type=float, default=600.0)
    p.add_argument("--daemon", action="store_true")
    return p.parse_args()


def listen(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError as e:
        sys.exit(f"blackhole.py: error: cannot listen on 127.0.0.1:{port}: {e}")
    s.listen(64)
    return s


def swallow(conn):
    with conn:
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass


def serve(server, lifetime):
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.signal(signal.SIGINT, lambda *_: os._exit(0))
    timer = threading.Timer(lifetime, lambda: os._exit(0))
    timer.daemon = True
    timer.start()
    held = []  # keep accepted sockets referenced so nothing closes them early
    while True:
        conn, _ = server.accept()
        held.append(conn)
        threading.Thread(target=swallow, args=(conn,), daemon=True).start()


def detach():
    """Fork into the background; the parent returns the child's pid, the child returns None."""
    pid = os.fork()
    if pid:
        return pid
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    return None


def announce(pid, pidfile):
    if pidfile:
        with open(pidfile, "w") as f:
            f.write(f"{pid}\n")
    print(pid, flush=True)


def main():
    args = parse_args()
    pidfile = args.pidfile
    if not pidfile and os.environ.get("ES_FDW_RUN_DIR"):
        pidfile = os.path.join(os.environ["ES_FDW_RUN_DIR"], f"blackhole-{args.port}.pid")
    server = listen(args.port)  # bound before detaching: no race for the caller
    if args.daemon:
        child = detach()
        if child is not None:  # the parent: report the daemon and leave
            announce(child, pidfile)
            os._exit(0)
    else:
        announce(os.getpid(), pidfile)
    serve(server, args.lifetime)


if __name__ == "__main__":
    main()
