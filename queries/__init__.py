"""Saved SPARQL queries, shipped as package data."""
