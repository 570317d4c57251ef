"""``python -m growthpole`` runs the command line."""

from growthpole.cli import main

main()
