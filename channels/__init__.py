"""Rasa input channels loaded by the Rasa server (see credentials.yml)."""
