"""Orchestration only: the fit and its update, background jobs, the demo."""
