"""Pure functions over the networks GeoDataFrame: selection, URL state, styling, map layers, exports.

Nothing in this package does network I/O or touches Streamlit; ``app.py`` wires these
functions to widgets. Modules are imported explicitly (``from layers.selection import ...``)
so importing one does not pull in folium or the others.
"""
