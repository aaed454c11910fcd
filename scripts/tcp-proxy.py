#!/usr/bin/env python3
"""tcp-proxy.py — owns the "Elasticsearch that goes away" stand-in for es_fdw's offline tests.

    scripts/tcp-proxy.py <listen port> <target port> [--daemon]

Listens on 127.0.0.1:<listen port> and forwards every connection to 127.0.0.1:<target port> (a real
Elasticsearch). Killing it makes that server unreachable (connection refused) for es_fdw without
touching the real one; starting it again brings it back. With --daemon it detaches once listening and
prints its pid (kill it to stop it). When $ES_FDW_RUN_DIR is set the pid also goes to
$ES_FDW_RUN_DIR/tcp-proxy-<port>.pid, so the test runner kills it at the end of the run.
"""
import os
import socket
import sys
import threading


def pipe(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(listener, target):
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection(("127.0.0.1", target))
        except OSError:
            client.close()
            continue
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()


def main():
    listen, target = int(sys.argv[1]), int(sys.argv[2])
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen))
    listener.listen(64)
    if "--daemon" in sys.argv[3:]:
        if os.fork() > 0:
            os._exit(0)
        os.setsid()
        if os.fork() > 0:
            os._exit(0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 2):
            os.dup2(devnull, fd)
    run_dir = os.environ.get("ES_FDW_RUN_DIR")
    if run_dir:
        with open(os.path.join(run_dir, "tcp-proxy-%d.pid" % listen), "w") as f:
            f.write("%d\n" % os.getpid())
    print(os.getpid(), flush=True)
    if "--daemon" in sys.argv[3:]:
        os.dup2(devnull, 1)
    serve(listener, target)


if __name__ == "__main__":
    main()
