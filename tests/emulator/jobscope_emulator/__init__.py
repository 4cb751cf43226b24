"""A local HTTP emulator of the five list APIs that jobscope.cloud wraps (see ../README.md)."""

from .server import Emulator, main

__all__ = ["Emulator", "main"]
