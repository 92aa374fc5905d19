"""Orientation engine for mobility platforms: knowledge, communes, orientation (no Rasa import)."""
