"""The ``jingwang`` command-line tool."""
