"""The reviewer console: server-rendered pages under ``/console`` over the review service."""

from jingwang.console.install import install_console

__all__ = ["install_console"]
