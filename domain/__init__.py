"""The domain logic: which networks a view selects, what they cover, over time, as data to export.

Pure functions over the networks GeoDataFrame of ``loaders``: no I/O, no Streamlit, no folium.
The map's browser side (``webmap``) and the Streamlit page (``page``) build on these.
"""
