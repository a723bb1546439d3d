"""The two apps under test and how the benchmark drives each of them in the browser."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Gemeenten clicked in turn for "click -> profile shown" (spread over the country).
CLICK_GEMEENTEN = ("GM0344", "GM0014", "GM0599", "GM0080", "GM0855", "GM0935", "GM0363")


@dataclass(frozen=True)
class AppSpec:
    """Where an app lives and the few UI facts the benchmark needs to drive it."""

    name: str
    path: Path  # the page script (AppTest runs it)
    theme_widget: str  # label of the theme multiselect
    profile_text: str  # shown once a gemeente's profile is up; {name}, {code} of the gemeente
    all_networks_query: str  # query string that shows every network ("" = the default view does)
    starts_with_all_themes: bool = False  # naive: every theme chosen; app.py: none chosen (= all)
    click_value: str = "tooltip"  # what st_folium returns on a gemeente click: "tooltip" or "drawing"
    runs_scale: float = 1.0  # fraction of the run counts (the naive app takes seconds per rerun)
    served: Path | None = None  # what `streamlit run` starts for the browser figures (default: path)

    @property
    def server_path(self) -> Path:
        return self.served or self.path

    def shown_ids(self, networks, themes: frozenset[str]) -> frozenset[str]:
        """Ids of the regional networks (drawn as footprints) for a theme choice, by either app's rule."""
        regional = networks[~networks["national"].astype(bool).to_numpy()]
        if not themes:
            return frozenset(regional["id"]) if not self.starts_with_all_themes else frozenset()
        hit = regional["themes"].map(lambda ts: not themes.isdisjoint(ts))
        return frozenset(regional.loc[hit.to_numpy(), "id"])

    def theme_plan(self, networks, runs: int) -> list[str]:
        """Themes to toggle one after another so every step is a NEW choice that changes the map.

        Returning to an earlier choice would let Streamlit's client-side message cache skip
        resending the map, which flatters both the byte count and the timing.
        """
        from loaders.vocabulary import THEMES

        current = frozenset(THEMES) if self.starts_with_all_themes else frozenset()
        seen, plan = {current}, []
        for _ in range(runs):
            for slug in THEMES:
                nxt = current - {slug} if slug in current else current | {slug}
                if nxt not in seen and self.shown_ids(networks, nxt) != self.shown_ids(networks, current):
                    plan.append(slug)
                    seen.add(nxt)
                    current = nxt
                    break
            else:
                raise ValueError(f"{self.name}: no theme toggle left that changes the map")
        return plan

    def clicked(self, code: str, name: str) -> dict:
        """The value st_folium hands the script when gemeente ``code`` is clicked (for AppTest)."""
        if self.click_value == "drawing":
            return {"last_active_drawing": {"type": "Feature", "properties": {"code": code, "name": name}}}
        # app.py reads the hidden code at the end of the tooltip (webmap.clicks.parse_click).
        return {"last_object_clicked_tooltip": f"{name} kk:gm:{code}", "last_object_clicked": {"lat": 52.0, "lng": 5.0}}


# Figure 4's floor: app.py's map alone on a Streamlit page (bench/floor_app.py), opened in turn with app.py
# and served the same way (bench/floor_serve.py, as serve.py serves app.py).
FLOOR_APP = ROOT / "bench" / "floor_app.py"
FLOOR_SERVED = ROOT / "bench" / "floor_serve.py"

REAL = AppSpec(
    name="app.py",
    path=ROOT / "app.py",
    served=ROOT / "serve.py",  # as users get it (./dev app): front-end files compressed and cacheable
    theme_widget="Thema",
    profile_text="CBS-code {code}",  # the profile beside the map (page/tabs/map_tab.py _gemeente_panel)
    all_networks_query="",
)

NAIVE = AppSpec(
    name="naive",
    path=ROOT / "bench" / "naive_app.py",
    theme_widget="Thema's",
    profile_text="Gemeente {name}",
    all_networks_query="",
    starts_with_all_themes=True,
    click_value="drawing",
    runs_scale=0.4,
)
