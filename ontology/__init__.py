"""The kg ontology, role list and gazetteer in Turtle, shipped as package data."""
