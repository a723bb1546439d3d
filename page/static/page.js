/* Kenniskaart Sociaal Domein: the page's accessibility helpers (loaded by page/accessibility.py).
 *
 * Streamlit draws the page's controls itself, with English names, and puts the map and the
 * Dekking choropleth in frames named after the code that made them ("streamlit_folium.st_folium",
 * "st.iframe"). This script, running in the page, makes what a visitor meets Dutch and
 * reachable:
 *
 *   - names the frames in Dutch (title) and gives their documents lang="nl", a <title> and a
 *     viewport that allows pinch-zoom;
 *   - translates Streamlit's own English control names (aria-label, title, placeholder and a
 *     few texts such as "No results") that this app can reach;
 *   - a polite live region that announces the result count ("12 netwerken in 87 gemeenten")
 *     when it changes;
 *   - a skip link "Sla de kaart over" in front of the map (visible on focus, page.css);
 *   - on a narrow screen, where the sidebar covers the page, closes the sidebar after a choice.
 *
 * It arrives in a small frame of its own (st.iframe with srcdoc, same origin as the page) and
 * copies itself into the page's document there, so it keeps working when Streamlit re-creates
 * that frame. Everything runs again, debounced, after Streamlit changes the page (a rerun, an
 * opened dropdown): each step only changes what is not right yet, so its own changes settle.
 */
(function () {
    'use strict';

    var LOADER = 'data-kk-page-loader';

    // -- step 1, in the loader frame: move into the page ------------------------------------------
    if (document.documentElement.hasAttribute(LOADER)) {
        var host = window.parent;
        if (host === window || host.kkPage) { return; }
        var copy = host.document.createElement('script');
        copy.id = 'kk-page-script';
        copy.textContent = document.currentScript.textContent;
        host.document.head.appendChild(copy);
        return;
    }
    if (window.kkPage) { return; }

    // -- step 2, in the page ------------------------------------------------------------------------
    var MAP_FRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]';
    // The app's own content: its texts are never translated (a network may well be called "Open").
    var CONTENT = '[data-testid="stMarkdownContainer"], [data-testid="stHtml"], [data-testid="stDataFrame"] table, ' +
        '[data-testid="stVegaLiteChart"] svg, [data-testid="stCode"]';
    // Attributes: Markdown has none of its own (registry text is escaped), st.html (the table) may.
    var CONTENT_HTML = '[data-testid="stHtml"]';
    var FOCUSABLE = 'a[href], button, input, select, textarea, iframe, summary, [tabindex]';
    // Streamlit's own control names as its front end writes them, with the Dutch this page uses.
    var NAMES = {
        'Skip to main content': 'Naar de hoofdinhoud',
        'Collapse sidebar': 'Filters verbergen',
        'Expand sidebar': 'Filters tonen',
        'Sidebar': 'Filters',
        'Main menu': 'Hoofdmenu',
        'Notifications': 'Meldingen',
        'Running...': 'Bezig…',
        'Stop': 'Stoppen',
        'Rerun': 'Opnieuw laden',
        'Close': 'Sluiten',
        'Dismiss': 'Sluiten',
        'Help': 'Uitleg',
        'Link to heading': 'Link naar dit kopje',
        'Open': 'Keuzelijst openen',
        'Clear all': 'Alles wissen',
        'Clear value': 'Keuze wissen',
        'Clear entry': 'Invoer wissen',
        'Selected values': 'Gekozen waarden',
        'Select all': 'Alles kiezen',
        'Choose options': 'Kies een of meer',
        'Choose an option': 'Kies een optie',
        'Select...': 'Kies…',
        'No results': 'Geen resultaten',
        'No data': 'Geen gegevens',
        'Scroll tabs left': 'Tabbladen naar links',
        'Scroll tabs right': 'Tabbladen naar rechts',
        'Fullscreen': 'Volledig scherm',
        'Close fullscreen': 'Volledig scherm sluiten',
        'Download as CSV': 'Downloaden als CSV',
        'Search': 'Zoeken',
        'Close Search': 'Zoeken sluiten',
        'Next Result': 'Volgende treffer',
        'Previous Result': 'Vorige treffer',
        'Show/hide columns': 'Kolommen tonen of verbergen',
        'Dataframe column menu': 'Kolommenu',
        'Copy column name': 'Kolomnaam kopiëren',
        'Download as PNG': 'Downloaden als PNG',
        'Show data': 'Gegevens tonen',
        'Show chart': 'Grafiek tonen',
        'Copy Vega-Lite spec': 'Grafiekdefinitie kopiëren',
        'Vega visualization': 'Grafiek',
        // Under a text field while it has unapplied input (Streamlit's InputInstructions).
        'Press Enter to apply': 'Druk op Enter om toe te passen',
        'Press Enter to submit form': 'Druk op Enter om het formulier te versturen',
        'Press Ctrl+Enter to apply': 'Druk op Ctrl+Enter om toe te passen',
        'Press \u2318+Enter to apply': 'Druk op \u2318+Enter om toe te passen',
        'Press Ctrl+Enter to submit form': 'Druk op Ctrl+Enter om het formulier te versturen',
        'Press \u2318+Enter to submit form': 'Druk op \u2318+Enter om het formulier te versturen'
    };
    var PREFIXES = [['Help for ', 'Uitleg bij '], ['Remove ', 'Verwijder ']];
    var ATTRIBUTES = ['aria-label', 'title', 'placeholder'];
    // The count above the map: "12 netwerken in 87 gemeenten", "Geen netwerken voor deze selectie".
    var COUNT = /^(\d+|Geen)\s.*netwerk/i;
    // Streamlit lays the sidebar over the page below this width (its "md" breakpoint).
    var NARROW = window.matchMedia('(max-width: 767.98px)');

    var K = window.kkPage = {lastCount: null, passes: 0};

    function dutch(value) {
        if (!value) { return null; }
        var key = value.trim();
        if (Object.prototype.hasOwnProperty.call(NAMES, key)) { return NAMES[key]; }
        for (var i = 0; i < PREFIXES.length; i++) {
            if (key.indexOf(PREFIXES[i][0]) === 0) { return PREFIXES[i][1] + key.slice(PREFIXES[i][0].length); }
        }
        return null;
    }

    /* Streamlit's control names and texts, not the app's content (Markdown, tables, charts). */
    K.translate = function (root) {
        ATTRIBUTES.forEach(function (name) {
            var elements = Array.prototype.slice.call(root.querySelectorAll('[' + name + ']'));
            if (root.hasAttribute(name)) { elements.push(root); }
            elements.forEach(function (el) {
                var nl = dutch(el.getAttribute(name));
                if (nl !== null && el.getAttribute(name) !== nl && !el.closest(CONTENT_HTML)) { el.setAttribute(name, nl); }
            });
        });
        var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
            acceptNode: function (node) {
                var parent = node.parentElement;
                if (!parent || parent.closest(CONTENT) || parent.closest('script, style')) { return NodeFilter.FILTER_REJECT; }
                return dutch(node.nodeValue) !== null ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
            }
        });
        var found = [];
        while (walker.nextNode()) { found.push(walker.currentNode); }
        found.forEach(function (node) { node.nodeValue = node.nodeValue.replace(node.nodeValue.trim(), dutch(node.nodeValue)); });
    };

    // -- frames -------------------------------------------------------------------------------------

    function frameTitle(frame) {
        var srcdoc = frame.getAttribute('srcdoc') || '';
        if (frame.matches(MAP_FRAME)) { return 'Kaart: gemeenten en kennisnetwerken'; }
        if (srcdoc.indexOf(LOADER) !== -1) { return 'Hulpscript van de pagina (leeg)'; }
        if (srcdoc.indexOf('kk-coverage') !== -1) { return 'Kaart: dekking per gemeente'; }
        if (!frame.title || frame.title === 'st.iframe') { return 'Ingesloten inhoud'; }
        return null;
    }

    var watched = new WeakSet();
    K.nameFrames = function () {
        Array.prototype.forEach.call(document.querySelectorAll('iframe'), function (frame) {
            var title = frameTitle(frame);
            if (title && frame.getAttribute('title') !== title) { frame.setAttribute('title', title); }
            if (!watched.has(frame)) {
                watched.add(frame);
                frame.addEventListener('load', K.schedule);  // a new document in the frame
            }
            var doc = null;
            try { doc = frame.contentDocument; } catch (e) { doc = null; }  // another origin: not ours to name
            if (!doc || !doc.documentElement || doc.readyState === 'uninitialized') { return; }
            if (!/^nl\b/i.test(doc.documentElement.getAttribute('lang') || '')) { doc.documentElement.setAttribute('lang', 'nl'); }
            if (!doc.title && doc.head) { doc.title = frame.getAttribute('title') || ''; }
            // Folium's page (the Dekking map) forbids pinch-zoom (maximum-scale=1, user-scalable=no).
            Array.prototype.forEach.call(doc.querySelectorAll('meta[name="viewport"]'), function (meta) {
                if (/maximum-scale|user-scalable/i.test(meta.getAttribute('content') || '')) {
                    meta.setAttribute('content', 'width=device-width, initial-scale=1');
                }
            });
        });
    };

    // -- the result count, announced ----------------------------------------------------------------

    K.live = document.createElement('div');
    K.live.id = 'kk-live';
    K.live.className = 'kk-visually-hidden';
    K.live.setAttribute('role', 'status');
    K.live.setAttribute('aria-live', 'polite');
    K.live.setAttribute('aria-atomic', 'true');
    document.body.appendChild(K.live);

    function countHeading() {
        var headings = document.querySelectorAll('h5');
        for (var i = 0; i < headings.length; i++) {
            if (COUNT.test(headings[i].textContent.trim())) { return headings[i]; }
        }
        return null;
    }

    K.announceCount = function () {
        var heading = countHeading();
        if (!heading || heading.closest('[data-stale="true"]')) { return; }
        // An open dropdown hides the rest of the page from screen readers (aria-hidden on the
        // body's other children, this region too): say it when the list has closed.
        if (K.live.closest('[aria-hidden="true"], [inert]')) { return; }
        var text = heading.textContent.trim();
        if (K.lastCount === null) { K.lastCount = text; return; }  // the first count is on the page already
        if (text !== K.lastCount) {
            K.lastCount = text;
            K.live.textContent = text + '.';
            if (K.choice) { K.choice.attempt(); }  // the choice's answer is here: the sidebar may go
        }
    };

    // -- skip link ----------------------------------------------------------------------------------

    K.skip = document.createElement('a');
    K.skip.className = 'kk-skip';
    K.skip.href = '#kk-na-de-kaart';
    K.skip.textContent = 'Sla de kaart over';

    function visible(el) {
        return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    }

    /* The first thing after the map that Tab would reach. */
    K.afterMap = function () {
        var frame = document.querySelector(MAP_FRAME);
        if (!frame) { return null; }
        var all = document.querySelectorAll(FOCUSABLE);
        for (var i = 0; i < all.length; i++) {
            var el = all[i];
            if (el === frame || el === K.skip || !(frame.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) { continue; }
            if (el.disabled || el.getAttribute('tabindex') === '-1' || el.closest('[inert], [aria-hidden="true"]')) { continue; }
            if (visible(el)) { return el; }
        }
        return null;
    };

    K.skip.addEventListener('click', function (event) {
        event.preventDefault();
        var target = K.afterMap();
        if (target) {
            target.focus();
            target.scrollIntoView({block: 'center'});
        }
    });

    K.placeSkipLink = function () {
        var frame = document.querySelector(MAP_FRAME);
        var box = frame && (frame.closest('[data-testid="stElementContainer"]') || frame.parentElement);
        if (!box || !box.parentNode) {
            if (K.skip.parentNode) { K.skip.parentNode.removeChild(K.skip); }
            return;
        }
        if (box.previousElementSibling !== K.skip) { box.parentNode.insertBefore(K.skip, box); }
    };

    // -- the sidebar on a narrow screen -------------------------------------------------------------

    function sidebar() { return document.querySelector('[data-testid="stSidebar"]'); }

    K.closeSidebar = function () {
        var bar = sidebar();
        if (!NARROW.matches || !bar || bar.getAttribute('data-collapsed') !== 'false') { return; }
        var button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
        if (!button) { return; }
        var hadFocus = bar.contains(document.activeElement);
        button.click();
        if (hadFocus) {
            // Not left on a control that is now out of view: back to the answer.
            var heading = countHeading() || document.querySelector('[data-testid="stMain"] h1');
            if (heading) {
                heading.setAttribute('tabindex', '-1');
                heading.focus({preventScroll: true});
            }
        }
    };

    /* After the choice's rerun has begun; again while Streamlit is busy and the click did not
     * close it (every half second for five seconds, and when the new count arrives), never
     * once it has been seen closed. */
    K.choice = null;
    function afterChoice() {
        var choice = K.choice = {tries: 0, until: Date.now() + 5000};
        function attempt() {
            var bar = sidebar();
            if (K.choice !== choice || Date.now() > choice.until) { return; }
            if (!bar || bar.getAttribute('data-collapsed') !== 'false') { K.choice = null; return; }
            choice.tries += 1;
            K.closeSidebar();
            setTimeout(attempt, 500);
        }
        choice.attempt = attempt;
        setTimeout(attempt, 250);
    }

    function inSidebar(el) { var bar = sidebar(); return Boolean(bar && el && bar.contains(el)); }

    /* A closed sidebar is out of view but still in the page: without this its controls stay Tab
     * stops and a screen reader reads them. `inert` takes them out until it is opened again. */
    K.inertClosedSidebar = function () {
        var bar = sidebar();
        if (!bar) { return; }
        var closed = bar.getAttribute('data-collapsed') === 'true';
        if (bar.inert !== closed) { bar.inert = closed; }
    };

    // A choice: an option picked from a sidebar dropdown (its list opens outside the sidebar, the
    // focus stays on the sidebar's input), a radio or toggle, a button such as "Filters wissen".
    document.addEventListener('click', function (event) {
        var target = event.target;
        if (!(target instanceof Element) || !NARROW.matches) { return; }
        if (target.closest('[role="option"]') && inSidebar(document.activeElement)) { afterChoice(); return; }
        if (!inSidebar(target) || target.closest('[data-testid="stSidebarCollapseButton"], [data-testid="stTooltipHoverTarget"]')) { return; }
        if (target.closest('label, button, input[type="checkbox"], input[type="radio"]') && !target.closest('[data-baseweb="select"]')) {
            afterChoice();
        }
    }, true);
    document.addEventListener('keydown', function (event) {
        var el = document.activeElement;
        if (event.key === 'Enter' && NARROW.matches && inSidebar(el) && el.getAttribute('role') === 'combobox' &&
            el.getAttribute('aria-expanded') === 'true') {
            afterChoice();
        }
    }, true);

    // -- run after every change of the page ---------------------------------------------------------

    K.pass = function () {
        K.scheduled = false;
        K.passes += 1;
        K.nameFrames();
        K.translate(document.body);
        K.placeSkipLink();
        K.announceCount();
        K.inertClosedSidebar();
    };

    K.schedule = function () {
        if (K.scheduled) { return; }
        K.scheduled = true;
        setTimeout(K.pass, 60);
    };

    /* What Streamlit just added or changed, translated at once (before the browser paints it or
     * a screen reader reads it: an opened list says "Geen resultaten", never "No results"). */
    K.translateChanges = function (records) {
        records.forEach(function (record) {
            var target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
            if (record.type === 'childList') {
                Array.prototype.forEach.call(record.addedNodes, function (node) {
                    if (node.nodeType === Node.ELEMENT_NODE) { K.translate(node); }
                    else if (node.nodeType === Node.TEXT_NODE && node.parentElement) { K.translate(node.parentElement); }
                });
            } else if (target && target.isConnected) {
                K.translate(target);
            }
        });
    };

    new MutationObserver(function (records) {
        K.translateChanges(records);
        K.schedule();
    }).observe(document.body, {
        childList: true, subtree: true, characterData: true,
        attributes: true, attributeFilter: ['aria-label', 'title', 'placeholder', 'src', 'srcdoc', 'data-stale', 'aria-hidden', 'data-collapsed']
    });
    K.pass();
}());
