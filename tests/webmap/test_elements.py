"""The folium elements hand plain data to kenniskaart.js: the payloads, and the one call each renders.

What the browser does with the data is tested in the browser (``tests/webmap/js``); here the
data itself: complete, escaped, styled by certainty, and rendered as exactly one
``Kenniskaart.<function>(JSON...)`` call with no JavaScript of its own.
"""

from __future__ import annotations

import json
import re

import folium
import pytest

from inert import js_json
from webmap.basemap import base_map, selection_layers
from webmap.elements import FootprintLayer, MarkerLayer, SelectionState
from webmap.records import footprint_records, marker_records
from webmap.styles import DERIVED_DASH

CALL = re.compile(r"^(?:var \w+=)?Kenniskaart\.(\w+)\((.*)\);$", re.DOTALL)


def rendered_call(element, parent=None) -> tuple[str, str]:
    """The function an element calls and its argument text, rendered on a throwaway map."""
    m = folium.Map(tiles=None)
    (parent or element).add_to(m)
    if parent is not None:
        element.add_to(parent)
    m.get_root().render()
    scripts = [c.render() for c in m.get_root().script._children.values()]
    (script,) = [s for s in scripts if "Kenniskaart." in s]
    match = CALL.match(script.strip())
    assert match, script[:200]
    return match.group(1), match.group(2)


def test_footprints_are_handed_over_as_members_and_style_keys(networks):
    layer = FootprintLayer(footprint_records(networks, "kwj-groningen"))
    function, args = rendered_call(layer)
    assert function == "footprints"
    records, styles, pane = json.loads(f"[{args}]")
    assert records == layer.payload["records"] and pane == "kk-footprints"
    assert [set(r) for r in records] == [{"id", "members", "style"}] * 2
    assert all(r["style"] in styles for r in records) and "default" in styles


def test_many_footprints_give_the_overview_gemeenten_shaded_by_count_and_outlines_only(map_data, cbs_data):
    from loaders.footprints import Network, networks_frame
    from webmap.styles import OVERVIEW_THRESHOLD, SHADE_COLOURS

    codes = list(cbs_data.gemeenten["code"])
    many = networks_frame(cbs_data, [
        Network(id=f"n{i:02d}", name=f"N{i}", kind="werkplaats-sociaal-domein", themes=("wmo",), status="active",
                sources=("https://example.nl",), member_codes=(codes[i], codes[i + 1]))
        for i in range(OVERVIEW_THRESHOLD + 1)
    ])
    counts = dict.fromkeys(codes, 0) | {codes[0]: 1, codes[1]: 2}
    _, footprints, _, state = selection_layers(many, counts, map_data, selected_network="n00")
    (layer,) = footprints._children.values()
    styles = layer.payload["styles"]
    assert styles["werkplaats-sociaal-domein|stated"]["fillOpacity"] == 0  # outlines only
    assert styles["werkplaats-sociaal-domein|stated|selected"]["fillOpacity"] > 0  # the chosen one filled
    (selection,) = state._children.values()
    assert selection.payload["shades"] == {codes[0]: SHADE_COLOURS[0], codes[1]: SHADE_COLOURS[1]}
    assert "Regionale netwerken per gemeente" in selection.payload["legend"]
    few = selection_layers(many.iloc[:3], counts, map_data)
    assert next(iter(few[3]._children.values())).payload["shades"] == {}


def test_a_chosen_gemeente_hands_over_its_bounds_to_zoom_to(map_data, networks):
    state = selection_layers(networks, {}, map_data, selected_gemeente="GM0344")[3]
    (selection,) = state._children.values()
    assert selection.payload["zoom"] == map_data.bounds["GM0344"] and selection.payload["selected"] == "GM0344"
    assert next(iter(selection_layers(networks, {}, map_data)[3]._children.values())).payload["zoom"] is None


def test_derived_footprints_are_dashed_and_lighter_than_stated_ones(networks):
    styles = FootprintLayer(footprint_records(networks, None)).payload["styles"]
    stated, derived = styles["werkplaats-sociaal-domein|stated"], styles["werkplaats-sociaal-domein|derived"]
    assert "dashArray" not in stated and derived["dashArray"] == DERIVED_DASH
    assert derived["fillOpacity"] < stated["fillOpacity"]
    assert styles["werkplaats-sociaal-domein|derived|selected"]["fillOpacity"] > derived["fillOpacity"]


def test_markers_are_handed_over_without_what_the_browser_does_not_need(networks):
    layer = MarkerLayer(marker_records(networks, None, popups=True))
    function, args = rendered_call(layer)
    assert function == "markers"
    records, _styles, pane = json.loads(f"[{args}]")
    assert pane == "kk-markers" and len(records) == 3
    assert all(set(r) == {"lat", "lon", "tip", "style", "popup"} for r in records)


def test_the_selection_state_names_the_footprint_on_top_escaped(networks):
    state = SelectionState({"GM0344": 1, "GM0014": 0}, "GM0344", "<div>legend</div>",
                           {"GM0344": "WSD <b>x</b>", "GM0014": "KWJ"})
    function, args = rendered_call(state)
    assert function == "selection" and json.loads(args) == state.payload
    p = state.payload
    assert p["counts"] == {"GM0344": 1}  # zero counts are left out
    assert p["topNames"][p["tops"]["GM0344"]] == "WSD &lt;b&gt;x&lt;/b&gt;"
    assert p["selected"] == "GM0344" and p["legend"] == "<div>legend</div>"


def test_registry_text_reaches_the_script_only_escaped(map_data, networks):
    m = base_map(map_data, tiles="none", asset_base="../app.static/")
    for group in selection_layers(networks, {"GM0344": 1}, map_data):
        group.add_to(m)
    html = m.get_root().render()
    assert "<script>alert" not in html
    assert "{{ 7*7 }}" not in html and ">49<" not in html  # no server-side template evaluation


def test_no_javascript_is_written_in_python_only_calls_with_data(map_data, networks):
    m = base_map(map_data, tiles="none", asset_base="../app.static/", topology_base="../t/")
    for group in selection_layers(networks, {}, map_data):
        group.add_to(m)
    m.get_root().render()
    ours = [c.render() for c in m.get_root().script._children.values() if "Kenniskaart." in c.render()]
    library_free = [s.split("})(window);")[-1] for s in ours]  # the gemeente call follows the library
    for script in library_free:
        assert "function" not in script and "=>" not in script, script[:200]
        assert re.fullmatch(r"\s*(?:var \w+=)?Kenniskaart\.\w+\(.*\);\s*", script, re.DOTALL), script[:200]


@pytest.mark.parametrize("value", ['</script><script>alert(1)</script>', "{{x}}", "{%y%}"])
def test_payload_json_cannot_end_the_script_or_open_a_template(value):
    text = js_json({"a": value})
    assert "</script" not in text and "{{" not in text and "{%" not in text
    assert json.loads(text) == {"a": value}
