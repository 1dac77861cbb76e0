"""Trajectory curves: mean distress per phase with a one-SD band, for the scores and the baseline of
`onprem eval trajectory`. `phase_curves` is shared by `--plot` (matplotlib, SVG or PNG by the file's
suffix) and the TUI's Evaluations screen (plotext, in the terminal)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from onprem.papers.thousand_voices.trajectory import PHASES


@dataclass
class Curve:
    label: str
    n: int                     # profiles with all six phases
    mean: list[float]          # per phase 1..6
    sd: list[float]            # sample SD (ddof=1); 0 with one profile


def phase_curve(label: str, scores: dict[str, dict[int, float]]) -> Curve:
    """Per-phase mean and SD over the profiles that have all six phases (as the benchmark counts)."""
    rows = [[s[p] for p in range(1, PHASES + 1)] for s in scores.values() if set(s) >= set(range(1, PHASES + 1))]
    if not rows:
        return Curve(label, 0, [], [])
    arr = np.asarray(rows, dtype=float)
    sd = arr.std(axis=0, ddof=1) if len(arr) > 1 else np.zeros(PHASES)
    return Curve(label, len(arr), arr.mean(axis=0).tolist(), sd.tolist())


def write_plot(path: Path, curves: list[Curve], title: str = "Distress by phase") -> Path:
    """Mean per phase with an SD band per curve; the format follows the suffix (.svg, .png, .pdf)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on an air-gapped server; never opens a window
    from matplotlib import pyplot as plt

    # A fixed hash salt keeps an SVG byte-identical from run to run.
    matplotlib.rcParams["svg.hashsalt"] = "onprem"
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    x = np.arange(1, PHASES + 1)
    for c in curves:
        if not c.n:
            continue
        mean, sd = np.asarray(c.mean), np.asarray(c.sd)
        line, = ax.plot(x, mean, marker="o", label=f"{c.label} (N={c.n})")
        ax.fill_between(x, mean - sd, mean + sd, alpha=0.2, color=line.get_color())
    ax.set(xlabel="phase", ylabel="distress (1 calm - 10 extreme)", ylim=(0.5, 10.5), xticks=x, title=title)
    ax.legend(loc="best")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, metadata={"Date": None} if path.suffix.lower() == ".svg" else None)
    plt.close(fig)
    return path


TERMINAL_COLORS = ("cyan", "orange", "green", "magenta")


def terminal_plot(curves: list[Curve], width: int, height: int) -> str:
    """The same curves drawn with plotext for a terminal (ANSI text); the band as dotted mean ± SD."""
    import plotext as plt

    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("clear")
    x = list(range(1, PHASES + 1))
    for c, color in zip(curves, TERMINAL_COLORS):
        if not c.n:
            continue
        plt.plot(x, c.mean, marker="braille", color=color, label=f"{c.label} (N={c.n})")
        plt.plot(x, [m + s for m, s in zip(c.mean, c.sd)], marker="dot", color=color)
        plt.plot(x, [m - s for m, s in zip(c.mean, c.sd)], marker="dot", color=color)
    plt.ylim(1, 10)
    plt.xticks(x)
    plt.xlabel("phase")
    return plt.build()
