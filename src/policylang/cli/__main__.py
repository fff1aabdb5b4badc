"""`python -m policylang.cli`: the same command as `policylang`."""

from .main import main

main()
