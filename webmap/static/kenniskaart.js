/* Kenniskaart Sociaal Domein: the map's browser program (one namespace, window.Kenniskaart).
 *
 * The Python side (webmap/elements.py) writes only calls into this namespace with JSON data;
 * everything that runs in the browser is here. Loaded after Leaflet and topojson-client.
 * The gemeente topology arrives first, from its own file (webmap/mapdata.py) or inline, as
 * Kenniskaart.topology. Tested on a fixture page in Chromium (tests/webmap/js/).
 */
(function (root) {
    'use strict';
    var K = root.Kenniskaart = root.Kenniskaart || {};

    // -- the gemeenten ---------------------------------------------------------------------

    /* The text of a gemeente tooltip: name, the number of networks in the selection, the
     * footprint on top there, and the hidden click code that Python reads back (webmap/clicks.py). */
    K.gemeenteTip = function (p, n, top) {
        var count = '';
        if (n !== null && n !== undefined) {
            count = '<br>' + (n === 1 ? '1 regionaal netwerk' : n + ' regionale netwerken') + ' in de selectie';
        }
        var onTop = top ? '<br>Bovenste werkgebied: <i>' + top + '</i>' + K.options.clickHint : '';
        return '<b>' + p.label + '</b>' + count + onTop + '<span hidden> kk:gm:' + p.code + '</span>';
    };

    /* The 342 gemeenten: thin outlines, a transparent fill and one tooltip each. Registers the
     * layer and the map, so that later selections only restyle them (no geometry resent). */
    K.gemeenten = function (map, options) {
        if (!K.topology) {
            throw new Error('Kenniskaart: gemeentegrenzen niet geladen (' + (options.topologyUrl || 'inline') + ')');
        }
        K.map = map;
        K.options = options;
        var object = K.topology.objects[options.object];
        K.geometryByCode = {};
        object.geometries.forEach(function (g, i) {
            K.geometryByCode[g.properties.code] = g;
            g.kkIndex = i;
        });
        var layer = L.geoJson(topojson.feature(K.topology, object), {
            pane: options.pane,
            style: function () { return options.style; },
            onEachFeature: function (feature, item) {
                item.bindTooltip(K.gemeenteTip(feature.properties, null), {sticky: true});
            }
        });
        // The attribution on the group only: as an L.geoJson option it is copied to each of the
        // 342 polygons, and each one rebuilds the attribution control when it is added.
        layer.options.attribution = options.attribution;
        K.gemeenteLayer = layer;
        K.meshes = {};
        K.merged = {};
        map.on('click', function () { setTimeout(K.reportClick, 0); });
        return layer;
    };

    // -- region borders, footprints, markers ------------------------------------------------

    /* Borders between the regions of one type, meshed from the gemeente topology: the arcs
     * whose two sides lie in different regions (once per region type and page). */
    K.outline = function (regions, options) {
        var key = regions.join(',');
        if (!K.meshes.hasOwnProperty(key)) {
            K.meshes[key] = topojson.mesh(K.topology, K.topology.objects[K.options.object], function (a, b) {
                return a !== b && regions[a.kkIndex] !== regions[b.kkIndex];
            });
        }
        return L.geoJson(K.meshes[key], {pane: options.pane, interactive: false, style: function () { return options.style; }});
    };

    /* Network footprints, merged from the gemeente topology by member codes (each merge once). */
    K.footprints = function (records, styles) {
        var features = [];
        records.forEach(function (r) {
            var key = r.members.join(',');
            if (!K.merged.hasOwnProperty(key)) {
                var parts = r.members.map(function (c) { return K.geometryByCode[c]; }).filter(function (g) { return g; });
                K.merged[key] = parts.length ? topojson.merge(K.topology, parts) : null;
            }
            if (!K.merged[key]) { return; }
            features.push({type: 'Feature', id: r.id, geometry: K.merged[key],
                           properties: {style: r.style}});
        });
        return L.geoJson({type: 'FeatureCollection', features: features}, {
            interactive: false,
            style: function (f) { return styles[f.properties.style] || styles['default']; }
        });
    };

    /* Host markers: circle markers coloured by kind, a tooltip ending in the click code, and a
     * popup where the record has one (the standalone export). */
    K.markers = function (records, styles, pane) {
        var group = L.featureGroup();
        records.forEach(function (r) {
            var style = styles[r.style] || styles['default'];
            var marker = L.circleMarker([r.lat, r.lon], Object.assign({pane: pane}, style));
            marker.bindTooltip(r.tip, {direction: 'top', offset: [0, -6]});
            if (r.popup) { marker.bindPopup(r.popup, {maxWidth: 360}); }
            marker.addTo(group);
        });
        return group;
    };

    // -- one selection on the standing layers ------------------------------------------------

    /* Counts and the footprint on top in every gemeente tooltip, the chosen gemeente outlined,
     * and the legend: applied to the layers made by K.gemeenten without resending geometry. */
    K.selection = function (state) {
        if (K.gemeenteLayer) {
            K.gemeenteLayer.eachLayer(function (layer) {
                var p = layer.feature.properties;
                var n = state.counts[p.code] || 0;
                var top = state.tops.hasOwnProperty(p.code) ? state.topNames[state.tops[p.code]] : '';
                if (layer.kkCount !== n || layer.kkTop !== top) {
                    layer.setTooltipContent(K.gemeenteTip(p, n, top));
                    layer.kkCount = n;
                    layer.kkTop = top;
                }
                var selected = p.code === state.selected;
                if (layer.kkSelected !== selected) {
                    layer.setStyle(selected ? K.options.selectedStyle : K.options.style);
                    if (selected) { layer.bringToFront(); }
                    layer.kkSelected = selected;
                }
            });
        }
        K.legend(state.legend);
    };

    /* The legend, bottom right (replaced on every selection; empty html removes it). */
    K.legend = function (html) {
        if (K.legendControl) { K.legendControl.remove(); K.legendControl = null; }
        if (!html || !K.map) { return; }
        var control = L.control({position: 'bottomright'});
        control.onAdd = function () {
            var div = L.DomUtil.create('div', 'kk-legend-control');
            div.innerHTML = html;
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        control.addTo(K.map);
        K.legendControl = control;
    };

    // -- reporting a click to Streamlit -------------------------------------------------------

    /* streamlit-folium reports a click 250 ms late (a debounce shared with pan and zoom). Report a
     * click on a gemeente or marker at once, in exactly the shape of its own report, and record it
     * as its last report so the debounced call finds nothing new.
     *
     * PINNED: this copies streamlit-folium 0.27.4's private protocol (window.__GLOBAL_DATA__ with
     * last_object_clicked*, returned_objects and previous_data; Streamlit's
     * 'streamlit:setComponentValue' message). webmap/pinned.py lists it; tests/webmap/test_pinned.py
     * checks the pinned bundle still contains these names. */
    K.reportClick = function () {
        var g = root.__GLOBAL_DATA__;
        if (!g || !g.last_object_clicked_tooltip || !Array.isArray(g.returned_objects) || root.parent === root) {
            return;
        }
        var all = {last_object_clicked: g.last_object_clicked, last_object_clicked_tooltip: g.last_object_clicked_tooltip};
        var value = {};
        Object.keys(all).forEach(function (k) { if (g.returned_objects.indexOf(k) !== -1) { value[k] = all[k]; } });
        if (Object.keys(value).length !== g.returned_objects.length) { return; }
        if (JSON.stringify(value) === JSON.stringify(g.previous_data)) { return; }
        g.previous_data = value;
        root.parent.postMessage(
            {isStreamlitMessage: true, type: 'streamlit:setComponentValue', value: value, dataType: 'json'}, '*'
        );
        K.clickReports = (K.clickReports || 0) + 1;
    };

    // -- the Dekking choropleth -----------------------------------------------------------------

    /* Re-measure the map when its container resizes, and fit the bounds once it first has a size:
     * the page draws this map in a tab that starts hidden, and fitting a 0x0 map gives Leaflet a
     * NaN view (after which no layer can be added). */
    K.refitWhenShown = function (map, bounds) {
        var fitted = false;
        function refit() {
            map.invalidateSize();
            if (!fitted && map.getSize().x > 0 && map.getSize().y > 0) {
                fitted = true;
                map.fitBounds(bounds, {padding: [8, 8]});
            }
        }
        refit();
        new ResizeObserver(refit).observe(map.getContainer());
    };
})(window);
