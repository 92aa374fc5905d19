"""Rasa custom actions: thin adapters between the conversation and `orientation`."""
