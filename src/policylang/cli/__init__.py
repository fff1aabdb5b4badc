"""The `policylang` command (`main.py`) and how it ends (`exits.py`): exit statuses, a closed
pipe, Ctrl-C, and no traceback for the user."""
