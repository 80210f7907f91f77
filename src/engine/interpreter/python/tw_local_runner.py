"""Threadwork's local Python runner: a long-lived process inside bubblewrap, one per session.

Protocol with the host (src/engine/interpreter/local/localPythonSandbox.ts):
- fd 0: one JSON line per cell, {"code": ..., "nonce": ...}; user code gets /dev/null instead;
- fd 1/2: the cell's output, closed off by the bytes "TWEND" + nonce on each stream;
- fd 3: one JSON line per cell, {"nonce", "kind", "message"} (kinds as in tw_harness);
- fd 4: any byte interrupts the running cell (KeyboardInterrupt), so a timeout keeps the session.
Limits from TW_RUNNER_CONFIG are applied to this process before any user code runs.
"""

import json
import os
import resource
import sys
import threading
import _thread

_running = threading.Event()


def _apply_limits(config):
    def cap(which, value):
        resource.setrlimit(which, (value, value))

    cap(resource.RLIMIT_AS, config["memoryBytes"])
    cap(resource.RLIMIT_FSIZE, config["fileBytes"])
    cap(resource.RLIMIT_CPU, config["cpuSeconds"])
    cap(resource.RLIMIT_NOFILE, 256)
    cap(resource.RLIMIT_CORE, 0)


def _watch_interrupts(fd):
    while True:
        try:
            data = os.read(fd, 64)
        except OSError:
            return
        if not data:
            return
        if _running.is_set():
            _thread.interrupt_main()


def _write_all(fd, data):
    while data:
        try:
            written = os.write(fd, data)
        except KeyboardInterrupt:  # a late interrupt must not lose the end marker
            continue
        data = data[written:]


def main():
    config = json.loads(os.environ.pop("TW_RUNNER_CONFIG", "{}"))
    _apply_limits(config)
    requests = os.fdopen(os.dup(0), "rb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    threading.Thread(target=_watch_interrupts, args=(4,), daemon=True).start()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import tw_harness
    import tw_mpl_backend

    for line in requests:
        request = json.loads(line)
        _running.set()
        try:
            kind, message = tw_harness.run_cell(request["code"])
            tw_mpl_backend.flush_figures()
        except KeyboardInterrupt:
            kind, message = "interrupted", "KeyboardInterrupt"
        except BaseException as error:  # the harness's own failure, e.g. out of memory while reporting
            kind, message = "runtime", f"{type(error).__name__}: {error}"
        finally:
            _running.clear()
        marker = ("TWEND" + request["nonce"]).encode()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        _write_all(1, marker)
        _write_all(2, marker)
        _write_all(3, (json.dumps({"nonce": request["nonce"], "kind": kind, "message": message}) + "\n").encode())


if __name__ == "__main__":
    main()
