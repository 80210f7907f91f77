"""A matplotlib backend for the local runner: draws with Agg and hands every figure to the
conversation on plt.show() or at the end of the cell, as a notebook's inline backend does.
Selected with MPLBACKEND=module://tw_mpl_backend; does nothing if matplotlib is never imported.
"""

import os
import sys

try:
    from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas  # noqa: F401
except ImportError:  # imported by the runner even where matplotlib is not installed
    FigureCanvas = None


def flush_figures():
    if "matplotlib.pyplot" not in sys.modules:
        return
    from matplotlib import _pylab_helpers

    outbox = os.environ.get("TW_OUTBOX") or "/mnt/data"
    os.makedirs(outbox, exist_ok=True)
    for manager in _pylab_helpers.Gcf.get_all_fig_managers():
        index = len(os.listdir(outbox)) + 1
        while os.path.exists(os.path.join(outbox, f"figure-{index}.png")):
            index += 1
        manager.canvas.figure.savefig(os.path.join(outbox, f"figure-{index}.png"), format="png")
    _pylab_helpers.Gcf.destroy_all()


def show(*args, **kwargs):
    flush_figures()
