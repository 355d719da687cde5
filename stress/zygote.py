"""A fork server for `tend serve`: imports Django and tend once, then forks a fresh
server process each time it is asked, so a restart after a kill -9 takes a fraction of
a second rather than a cold Python start (seconds on a busy 2-core machine).

Each child runs `tend.cli.main(["serve", ...])`, the very code of the `tend serve`
command, and is the process that gets SIGKILL. The parent opens no database connection
(django.setup() connects to nothing), so every child starts with none, as a fresh
process does. Protocol, one line each on stdin/stdout: the arguments of `tend serve`,
space-separated -> the child's pid.

    python stress/zygote.py LOG_PATH     (with the server's environment)
"""

from __future__ import annotations

import os
import signal
import sys


def main() -> int:
    log_path = sys.argv[1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tend.settings")
    import django

    django.setup()
    import uvicorn  # noqa: F401 - imported once here, for every child

    import tend.asgi  # noqa: F401
    from tend import cli

    # Children are reaped as they die, so none lingers as a zombie.
    signal.signal(signal.SIGCHLD, lambda *_: _reap())
    print("ready", flush=True)
    for line in sys.stdin:
        args = line.split()
        if not args:
            continue
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.dup2(log, 1)
            os.dup2(log, 2)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0)
            try:
                code = cli.main(args)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code or 0)
        print(pid, flush=True)
    return 0


def _reap() -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


if __name__ == "__main__":
    sys.exit(main())
