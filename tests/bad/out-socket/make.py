"""An output that is a socket: refused, and left as it is."""

import os
import socket
from pathlib import Path


def make(folder: Path) -> Path:
    here = os.getcwd()
    os.chdir(folder)  # a short name: socket paths are limited to about 100 bytes
    try:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind("sock.docx")
        server.close()
    finally:
        os.chdir(here)
    return folder
