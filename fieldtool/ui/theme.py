"""Themes for the field: normal, a high-contrast sunlight theme, and a night theme.

One style sheet (``resources/styles/base.qss``) filled from a palette per theme, so every theme has the
same 44 px targets and the same visible focus. Alerts stand out by colour and a heavy border, not by sound.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from string import Template

PALETTES: dict[str, dict[str, str]] = {
    "normal": {
        "bg": "#f4f5f7", "fg": "#111418", "field": "#ffffff", "border": "#5f6b7a", "muted": "#9aa3ad",
        "button": "#e2e6eb", "button_fg": "#111418", "button_hover": "#d0d6dd",
        "accent": "#1457b8", "accent_fg": "#ffffff", "focus": "#f0a000",
        "block": "#b3261e", "warn": "#f2c200", "warn_fg": "#111418", "info": "#1457b8", "ok": "#1e7d32",
        "alert_fg": "#ffffff",
    },
    # Direct sunlight: pure black on white, thick borders, no mid-greys that wash out.
    "sunlight": {
        "bg": "#ffffff", "fg": "#000000", "field": "#ffffff", "border": "#000000", "muted": "#555555",
        "button": "#ffffff", "button_fg": "#000000", "button_hover": "#ffff00",
        "accent": "#000000", "accent_fg": "#ffff00", "focus": "#ff00ff",
        "block": "#c00000", "warn": "#ffd400", "warn_fg": "#000000", "info": "#0000c0", "ok": "#006000",
        "alert_fg": "#ffffff",
    },
    # Night: dark, low glare, still clear alerts.
    "night": {
        "bg": "#101214", "fg": "#e8e8e8", "field": "#1b1e22", "border": "#6b7480", "muted": "#5a6068",
        "button": "#23272d", "button_fg": "#e8e8e8", "button_hover": "#2f353d",
        "accent": "#d98c00", "accent_fg": "#000000", "focus": "#ffd060",
        "block": "#d0403a", "warn": "#c9a200", "warn_fg": "#000000", "info": "#3b6fb8", "ok": "#2f8f46",
        "alert_fg": "#ffffff",
    },
}


def _base_qss() -> str:
    local = Path(__file__).resolve().parents[2] / "resources" / "styles" / "base.qss"
    if local.exists():
        return local.read_text(encoding="utf-8")
    return resources.files("resources.styles").joinpath("base.qss").read_text(encoding="utf-8")


def style_sheet(theme: str = "normal", font_pt: int = 12) -> str:
    if theme not in PALETTES:
        raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(PALETTES)}")
    values = dict(PALETTES[theme], font_pt=str(font_pt), title_pt=str(round(font_pt * 1.5)))
    return Template(_base_qss()).substitute(values)


def apply_theme(app, theme: str = "normal", font_pt: int = 12) -> None:
    app.setStyleSheet(style_sheet(theme, font_pt))
    app.setProperty("fieldtool_theme", theme)
