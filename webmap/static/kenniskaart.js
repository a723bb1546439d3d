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
        K.prepareDocument();
        // Controls are added after this layer (the layer control last): name them when they come.
        new MutationObserver(K.dutchControls).observe(map.getContainer(), {childList: true, subtree: true});
        K.focusWithoutScrolling(map);
        K.scrollThePageOnTouch(map);
        K.keyboardPicking(map, layer);
        K.pathsOutOfTabOrder(map);
        return layer;
    };

    // -- the map as part of a Dutch, accessible page ----------------------------------------------

    /* The map's own document: Dutch, named, and zoomable by pinch (no maximum-scale in the
     * viewport meta that folium writes). */
    K.prepareDocument = function () {
        document.documentElement.lang = 'nl';
        document.title = 'Kaart: gemeenten en kennisnetwerken';
        Array.prototype.forEach.call(document.querySelectorAll('meta[name="viewport"]'), function (meta) {
            meta.setAttribute('content', 'width=device-width, initial-scale=1');
        });
    };

    /* A first click on the map focuses it; focusing scrolled the page (the map frame into view)
     * between mouse-down and click, so the click landed on another gemeente. Focus it ourselves,
     * without scrolling, before Leaflet's keyboard handler would. */
    K.focusWithoutScrolling = function (map) {
        var container = map.getContainer();
        container.addEventListener('mousedown', function () {
            if (document.activeElement !== container) { container.focus({preventScroll: true}); }
        }, true);
    };

    /* On a touch screen one finger scrolls the page (the map does not trap it); two fingers
     * pinch-zoom and move the map. */
    K.scrollThePageOnTouch = function (map) {
        if (root.matchMedia && root.matchMedia('(pointer: coarse)').matches && map.dragging) {
            map.dragging.disable();
        }
    };

    /* Leaflet's own controls in Dutch (they are English in Leaflet). */
    K.dutchControls = function () {
        var names = {
            '.leaflet-control-zoom-in': 'Inzoomen',
            '.leaflet-control-zoom-out': 'Uitzoomen',
            '.leaflet-control-layers-toggle': 'Kaartlagen kiezen',
            '.leaflet-popup-close-button': 'Sluiten'
        };
        Object.keys(names).forEach(function (selector) {
            Array.prototype.forEach.call(document.querySelectorAll(selector), function (el) {
                el.setAttribute('title', names[selector]);
                el.setAttribute('aria-label', names[selector]);
            });
        });
    };

    /* The map is one Tab stop. With the keyboard, the arrow keys move a cursor from gemeente to
     * gemeente (announced in a live region, its tooltip shown), Enter (or space) chooses it as a
     * click would, Escape leaves the cursor, + and - zoom. */
    K.keyboardPicking = function (map, layer) {
        var container = map.getContainer();
        var live = document.createElement('div');
        live.className = 'kk-visually-hidden';
        live.setAttribute('role', 'status');
        live.setAttribute('aria-live', 'polite');
        document.body.appendChild(live);
        K.liveRegion = live;
        container.setAttribute('aria-label', 'Kaart van de gemeenten. Pijltjestoetsen: naar een andere gemeente; ' +
                               'Enter: gemeente kiezen; plus en min: zoomen.');
        container.setAttribute('role', 'application');
        var directions = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
        document.addEventListener('keydown', function (e) {
            if (document.activeElement !== container) { return; }
            if (directions.hasOwnProperty(e.key)) {
                K.moveCursor(directions[e.key]);
            } else if (e.key === 'Enter' || e.key === ' ') {
                if (!K.cursor) { return; }
                K.choose(K.cursor);
            } else if (e.key === 'Escape') {
                K.setCursor(null);
            } else if (e.key === '+' || e.key === '=') {
                map.zoomIn();
            } else if (e.key === '-') {
                map.zoomOut();
            } else {
                return;
            }
            // Capturing on the document keeps Leaflet's own arrow-key panning from running too.
            e.preventDefault();
            e.stopPropagation();
        }, true);
        K.gemeenteItems = function () {
            var items = [];
            layer.eachLayer(function (item) { items.push(item); });
            return items;
        };
    };

    /* One Tab stop, really: Leaflet listens for focus on every path with a tooltip, and Chromium
     * makes an SVG element with a focus listener a Tab stop (~350 of them, one per gemeente and
     * footprint). tabindex -1 takes each out of the Tab order; a click still reaches it. */
    K.pathsOutOfTabOrder = function (map) {
        function untab(layer) {
            var el = layer.getElement && layer.getElement();
            if (el && el.getAttribute('tabindex') !== '-1') { el.setAttribute('tabindex', '-1'); }
        }
        map.eachLayer(untab);
        map.on('layeradd', function (e) { untab(e.layer); });
    };

    K.centre = function (item) {
        if (!item.kkCentre) { item.kkCentre = item.getBounds().getCenter(); }
        return item.kkCentre;
    };

    /* The gemeente nearest to the cursor in screen direction ``d`` ([dx, dy]), within 60 degrees. */
    K.neighbour = function (from, d) {
        var map = K.map, origin = map.latLngToContainerPoint(K.centre(from)), best = null, bestScore = Infinity;
        K.gemeenteItems().forEach(function (item) {
            if (item === from) { return; }
            var p = map.latLngToContainerPoint(K.centre(item));
            var dx = p.x - origin.x, dy = p.y - origin.y, distance = Math.sqrt(dx * dx + dy * dy);
            if (distance === 0) { return; }
            var cos = (dx * d[0] + dy * d[1]) / distance;
            if (cos < 0.5) { return; }
            var score = distance * (2 - cos);
            if (score < bestScore) { bestScore = score; best = item; }
        });
        return best;
    };

    K.start = function () {
        var items = K.gemeenteItems(), chosen = null, centre = K.map.getCenter(), nearest = Infinity;
        items.forEach(function (item) {
            if (item.kkSelected) { chosen = item; }
            var distance = K.map.distance(centre, K.centre(item));
            if (!chosen && distance < nearest) { nearest = distance; K.nearestToCentre = item; }
        });
        return chosen || K.nearestToCentre;
    };

    K.moveCursor = function (d) {
        var next = K.cursor ? K.neighbour(K.cursor, d) : K.start();
        if (next) { K.setCursor(next); }
    };

    K.setCursor = function (item) {
        if (K.cursor) {
            K.cursor.setStyle(K.gemeenteStyle(K.cursor.kkSelected, K.cursor.kkShade, K.shadeOpacity));
            K.cursor.closeTooltip();
        }
        K.cursor = item;
        if (!item) { K.liveRegion.textContent = ''; return; }
        item.setStyle(K.options.cursorStyle);
        item.bringToFront();
        if (!K.map.getBounds().contains(K.centre(item))) { K.map.panTo(K.centre(item), {animate: false}); }
        item.openTooltip(K.centre(item));
        var text = document.createElement('div');
        text.innerHTML = item.getTooltip().getContent().replace(/<br>/g, ', ');
        Array.prototype.forEach.call(text.querySelectorAll('[hidden]'), function (el) { el.remove(); });
        K.liveRegion.textContent = text.textContent.replace('(klik voor details)', '') + '. Enter kiest deze gemeente.';
    };

    /* Choose a gemeente as a click on it would: streamlit-folium's click handler records it, then
     * it is reported at once (K.reportClick). */
    K.choose = function (item) {
        item.fire('click', {latlng: K.centre(item), sourceTarget: item}, true);
        setTimeout(K.reportClick, 0);
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

    /* Network footprints, merged from the gemeente topology by member codes (each merge once),
     * in their own pane above the gemeenten that takes no pointer events (clicks reach the gemeente). */
    K.footprints = function (records, styles, pane) {
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
            pane: pane || 'overlayPane',
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
        var shades = state.shades || {};
        K.shadeOpacity = state.shadeOpacity;
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
                var shade = shades[p.code] || null;
                if (layer.kkSelected !== selected || layer.kkShade !== shade) {
                    layer.setStyle(K.gemeenteStyle(selected, shade, state.shadeOpacity));
                    if (selected) { layer.bringToFront(); }
                    layer.kkSelected = selected;
                    layer.kkShade = shade;
                }
            });
        }
        K.legend(state.legend);
        K.zoomToChosen(state.selected, state.zoom);
        K.dutchControls();
    };

    /* A gemeente's style: chosen (black outline), shaded by its count (the overview) or plain.
     * dashArray null: setStyle merges, so the keyboard cursor's dash would otherwise stay. */
    K.gemeenteStyle = function (selected, shade, opacity) {
        var style = Object.assign({dashArray: null}, selected ? K.options.selectedStyle : K.options.style);
        if (shade && !selected) {
            style.fillColor = shade;
            style.fillOpacity = opacity;
        }
        return style;
    };

    /* Zoom to a gemeente once when it becomes the chosen one (not on every rerun, so the visitor
     * can zoom out again); choosing none leaves the view as it is. */
    K.zoomToChosen = function (code, bounds) {
        if (code && bounds && code !== K.zoomedTo && K.map) {
            K.map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]],
                            {maxZoom: 10, padding: [24, 24], animate: false});
        }
        K.zoomedTo = code || null;
    };

    /* The legend, bottom right (replaced on every selection; empty html removes it). It starts
     * folded on a narrow map, where it would cover the gemeenten, and open on a wide one; after
     * that it stays as the visitor left it. */
    K.LEGEND_OPEN_WIDTH = 800;
    K.legend = function (html) {
        if (K.legendControl) { K.legendControl.remove(); K.legendControl = null; }
        if (!html || !K.map) { return; }
        if (K.legendOpen === undefined) { K.legendOpen = K.map.getSize().x >= K.LEGEND_OPEN_WIDTH; }
        var control = L.control({position: 'bottomright'});
        control.onAdd = function () {
            var div = L.DomUtil.create('div', 'kk-legend-control');
            div.innerHTML = html;
            var details = div.querySelector('details');
            if (details) {
                details.open = K.legendOpen;
                details.addEventListener('toggle', function () { K.legendOpen = details.open; });
            }
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
