"""LibreOffice as a converter of documents we wrote, and nothing more.

The PDF writer hands LibreOffice a .docx of our own making, in a private temporary folder. The
document's links were taken out when it was written (a reference document's included; see
`writers.docx.reference`), and LibreOffice is run so that a link left in it anyway could not
reach anything:

- **its profile** (made fresh in the temporary folder for each run) turns off what would load
  or run something: links from a document are blocked (`BlockUntrustedRefererLinks`, which
  covers linked images and OLE links), links are never updated on load, macros never run;
- **the operating system** gives it, where the machine allows, no network and no files but its
  own: with bubblewrap (`bwrap`, Debian package bubblewrap) it runs in new namespaces with no
  network interface, the system's programs, libraries and fonts read-only, and the temporary
  folder as the only place it can write or read anything of the user's; without bubblewrap,
  `unshare --user --map-root-user --net` (util-linux) takes its network away only. Each is
  tried once per process (a probe that must succeed), as root and as any user, so a machine
  that forbids user namespaces (some containers) falls back to the next.

`isolation()` says which applies; without either (neither tool, or namespaces forbidden) the
conversion still runs with the profile's protection, and the caller says so in a warning.
`STRATPLAN_SANDBOX=none` turns the operating-system isolation off, for debugging.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Isolation", "isolate", "isolation", "write_profile"]

# The fresh profile's settings (LibreOffice reads them from registrymodifications.xcu).
_SETTINGS = (
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks",
     "boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution",
     "boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "int", "3"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "int", "2"),  # never
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "int", "2"),
    ("/org.openoffice.Office.Common/Misc", "UseLocking", "boolean", "false"),
)

# What LibreOffice may read under bubblewrap: the system (read-only), never the user's files.
_SYSTEM = ("/usr", "/etc/fonts", "/etc/ld.so.cache", "/etc/libreoffice", "/etc/alternatives",
           "/var/cache/fontconfig", "/usr/local/share/fonts")
_MERGED = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


@dataclass(frozen=True)
class Isolation:
    """How LibreOffice is isolated on this machine: `kind` is "bubblewrap" (no network, no
    files but its folder), "unshare" (no network) or "none" (the profile only), and `detail`
    says why when it is not bubblewrap."""

    kind: str
    detail: str = ""

    @property
    def complete(self) -> bool:
        return self.kind == "bubblewrap"


def write_profile(profile: Path) -> None:
    """A fresh LibreOffice user profile at `profile` that loads, updates and runs nothing a
    document links to."""
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, name, _kind, value in _SETTINGS
    )
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n",
        encoding="utf-8",
    )


def _install_root(program: str) -> Path:
    """The folder of LibreOffice's installation that `program` is in (its `program/`'s
    parent, as /opt/libreoffice7.6), or the program's own folder."""
    folder = Path(os.path.realpath(program)).parent
    return folder.parent if folder.name == "program" else folder


def _bwrap_prefix(bwrap: str, work: Path, program: str = "") -> list[str]:
    prefix = [bwrap, "--unshare-all", "--die-with-parent", "--new-session",
              "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for path in _SYSTEM:
        prefix += ["--ro-bind-try", path, path]
    if program and not _install_root(program).is_relative_to("/usr"):
        root = str(_install_root(program))
        prefix += ["--ro-bind", root, root]
    for name in _MERGED:  # Debian's merged /usr: /bin -> usr/bin ...
        target = Path("/") / name
        if target.is_symlink():
            prefix += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            prefix += ["--ro-bind", str(target), str(target)]
    return [*prefix, "--bind", str(work), str(work), "--chdir", str(work), "--"]


def _unshare_prefix(unshare: str) -> list[str]:
    return [unshare, "--user", "--map-root-user", "--net", "--"]


def _works(prefix: list[str], probe: str) -> str:
    """"" when `probe` runs under `prefix`, else why not."""
    try:
        done = subprocess.run([*prefix, probe], stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return detail[-1] if detail else f"exit {done.returncode}"
    return ""


@functools.cache
def isolation() -> Isolation:
    """What this machine allows (probed once per process)."""
    if os.environ.get("STRATPLAN_SANDBOX", "").lower() == "none":
        return Isolation("none", "STRATPLAN_SANDBOX=none")
    true = shutil.which("true") or "/bin/true"
    reasons = []
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        reasons.append("bubblewrap (bwrap) is not installed")
    else:
        why = _works(_bwrap_prefix(bwrap, Path(tempfile.gettempdir())), true)
        if not why:
            return Isolation("bubblewrap")
        reasons.append(f"bwrap cannot run here ({why})")
    unshare = shutil.which("unshare")
    if unshare is not None:
        why = _works(_unshare_prefix(unshare), true)
        if not why:
            return Isolation("unshare", "; ".join(reasons) + ": no network, files readable")
        reasons.append(f"unshare cannot run here ({why})")
    else:
        reasons.append("unshare is not installed")
    return Isolation("none", "; ".join(reasons))


def isolate(command: list[str], work: Path) -> list[str]:
    """`command` (LibreOffice's, its program first) run as isolated as `isolation()` allows,
    with `work` (its temporary folder) as the only folder of the user's it can see."""
    kind = isolation().kind
    if kind == "bubblewrap":
        bwrap = shutil.which("bwrap")
        assert bwrap is not None
        return [*_bwrap_prefix(bwrap, work, command[0]), *command]
    if kind == "unshare":
        unshare = shutil.which("unshare")
        assert unshare is not None
        return [*_unshare_prefix(unshare), *command]
    return command
