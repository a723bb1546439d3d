"""The page's tabs: each module draws one tab from the app's data and the current view."""
