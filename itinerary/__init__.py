"""CityPlus Explorer domain package: content, storage, catalog, routing, maps.

Never imports streamlit: the UI lives in ``ui/`` and ``pages/``.
"""
