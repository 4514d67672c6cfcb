"""Charts as PNG images for documents (matplotlib, imported only when a chart is drawn), labelled in Chinese."""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence

# Fonts that carry Chinese, best first: what Chinese office machines have, then the free Noto CJK.
CJK_FONTS = (
    "SimHei",
    "Microsoft YaHei",
    "SimSun",
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "AR PL UMing CN",
)


@functools.cache
def cjk_font() -> str | None:
    """The first installed font that can write Chinese, as matplotlib knows it; None when there is none."""
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in have), None)


def _pyplot():  # noqa: ANN202 -- matplotlib.pyplot, imported lazily (half a second)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    if font:
        plt.rcParams["font.family"] = [font, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.hashsalt"] = "fundtrack"
    return plt


def labels_for(names: Sequence[str]) -> list[str]:
    """The labels a chart can show: the names, or their numbers 1, 2, … when no Chinese font is installed
    (the document then lists what each number stands for)."""
    if cjk_font() is not None or all(n.isascii() for n in names):
        return list(names)
    return [str(i) for i in range(1, len(names) + 1)]


def _png(fig) -> bytes:  # noqa: ANN001 -- a matplotlib Figure
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def bar_chart(title: str, names: Sequence[str], values_wan: Sequence[float]) -> bytes:
    """Horizontal bars of amounts in 万元, one per name, each with its figure."""
    plt = _pyplot()
    labels = labels_for([title, *names])
    fig, ax = plt.subplots(figsize=(6.0, 0.55 * len(names) + 1.2))
    ys = list(range(len(names)))[::-1]
    bars = ax.barh(ys, values_wan, color="#4a6fa5")
    ax.set_yticks(ys, labels[1:])
    ax.bar_label(bars, labels=[f"{v:,.2f}" for v in values_wan], padding=3, fontsize=9)
    ax.set_title(labels[0], fontsize=12)
    ax.set_xlabel("万元" if cjk_font() else "10k yuan")
    ax.margins(x=0.2)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)


def line_chart(title: str, months: Sequence[str], received_wan: Sequence[float], pledged_wan: float | None) -> bytes:
    """Money received to the end of each month (a line), against what was pledged (a dashed level)."""
    plt = _pyplot()
    chinese = cjk_font() is not None
    fig, ax = plt.subplots(figsize=(6.0, 3.0))
    ax.plot(range(len(months)), received_wan, marker="o", color="#2e7d32", label="累计到位" if chinese else "received")
    if pledged_wan:
        ax.axhline(pledged_wan, color="#c62828", linestyle="--", label="承诺合计" if chinese else "pledged")
    ax.set_xticks(range(len(months)), months, rotation=45 if len(months) > 6 else 0, fontsize=8)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("万元" if chinese else "10k yuan")
    ax.set_title(labels_for([title])[0], fontsize=12)
    ax.legend(fontsize=9, loc="lower right")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)
