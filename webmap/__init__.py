"""The map: folium elements that hand plain data to the browser code in ``webmap/static``.

``webmap/static/kenniskaart.js`` and ``kenniskaart.css`` are the map's browser program (one
namespace, ``Kenniskaart``); the Python side prepares the geometry once and passes each view's
layers to it as JSON. Used by the Streamlit page, the Dekking choropleth and the standalone export.
"""
