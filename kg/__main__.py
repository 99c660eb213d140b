"""`python -m kg` runs the command line."""
from .cli import run

run()
