"""Small widget helpers the tabs and the sidebar share."""

from __future__ import annotations

from typing import Any

import streamlit as st

from domain.selection import name_key


def by_name(names: dict[str, str]) -> list[str]:
    """The ids of ``names`` (id -> name) in the order a Dutch reader looks them up."""
    return sorted(names, key=lambda i: name_key(names[i]))


def name_select(label: str, names: dict[str, str], placeholder: str, key: str, **kwargs: Any) -> None:
    """A searchable select of ids shown by name, empty until chosen."""
    st.selectbox(
        label, options=by_name(names), format_func=names.__getitem__, index=None, placeholder=placeholder, key=key,
        **kwargs,
    )
