"""The two apps under test and how the benchmark drives each of them in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Gemeenten clicked in turn for "click -> profile shown" (spread over the country).
CLICK_GEMEENTEN = ("GM0344", "GM0014", "GM0599", "GM0080", "GM0855", "GM0935", "GM0363")
# The theme toggled for "filter change -> map updated": it holds many regional networks.
TOGGLE_THEME = "jeugd"


@dataclass(frozen=True)
class AppSpec:
    """Where an app lives and the few UI facts the benchmark needs to drive it."""

    name: str
    path: Path
    theme_widget: str  # label of the theme multiselect
    profile_text: str  # text the page shows once a gemeente's profile is up; {name} = gemeente name
    all_networks_query: str  # query string that shows every network ("" = the default view does)
    runs_scale: float = 1.0  # fraction of the run counts (the naive app takes seconds per rerun)


REAL = AppSpec(
    name="app.py",
    path=ROOT / "app.py",
    theme_widget="Thema",
    profile_text="{name}",
    all_networks_query="",
)

NAIVE = AppSpec(
    name="naive",
    path=ROOT / "bench" / "naive_app.py",
    theme_widget="Thema's",
    profile_text="Gemeente {name}",
    all_networks_query="",
    runs_scale=0.5,
)
