"""Runs one code-interpreter cell the way a notebook does, for both Threadwork Python runners.

The value of a last bare expression is printed (or shown, when it can draw itself as PNG); an
uncaught exception prints a traceback without this module's frames; the caller gets back a
(kind, message) pair: kind "" on success, else "runtime", "memory" or "interrupted".
"""

import ast
import builtins
import gc
import linecache
import os
import sys
import traceback

_cells = 0
# The session's variables: one namespace per interpreter, like a notebook kernel's.
session_namespace = {"__name__": "__main__", "__builtins__": builtins}


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def _show_png(data):
    outbox = os.environ.get("TW_OUTBOX") or "/mnt/data"
    os.makedirs(outbox, exist_ok=True)
    index = len(os.listdir(outbox)) + 1
    while os.path.exists(os.path.join(outbox, f"output-{index}.png")):
        index += 1
    with open(os.path.join(outbox, f"output-{index}.png"), "wb") as handle:
        handle.write(data)


def _display(value, namespace):
    if value is None:
        return
    namespace["_"] = value
    draw = getattr(value, "_repr_png_", None)
    if callable(draw) and not isinstance(value, type):
        data = draw()
        if isinstance(data, (bytes, bytearray)):
            _show_png(bytes(data))
            return
    print(repr(value))


def _last_line(error):
    return "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]


def run_cell(code, namespace=None):
    global _cells
    if namespace is None:
        namespace = session_namespace
    _cells += 1
    filename = f"<cell {_cells}>"
    # Registered so tracebacks can quote the cell's lines.
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        tree = ast.parse(code, filename, "exec")
    except (SyntaxError, ValueError) as error:
        sys.stderr.write("".join(traceback.format_exception_only(type(error), error)))
        _flush()
        return ("runtime", _last_line(error))
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not code.rstrip().endswith(";"):
        last = ast.Expression(tree.body.pop().value)
    try:
        exec(compile(tree, filename, "exec"), namespace)
        if last is not None:
            _display(eval(compile(last, filename, "eval"), namespace), namespace)
        return ("", "")
    except KeyboardInterrupt:
        return ("interrupted", "KeyboardInterrupt")
    except SystemExit as stop:
        if stop.code in (None, 0):
            return ("", "")
        return ("runtime", f"SystemExit: {stop.code}")
    except MemoryError as error:
        error.__traceback__ = None
        gc.collect()
        sys.stderr.write("MemoryError: the cell ran out of the sandbox's memory\n")
        return ("memory", "MemoryError")
    except BaseException as error:
        try:
            sys.stderr.write("".join(traceback.format_exception(type(error), error, error.__traceback__.tb_next)))
        except MemoryError:
            sys.stderr.write(f"{type(error).__name__}\n")
        return ("runtime", _last_line(error))
    finally:
        _flush()
