"""News coverage explorer engine: storage, import, analysis. Never imports streamlit."""

__version__ = "0.1.0"
