# ruff: noqa: I001  (uno must be imported before com.sun.star; run by /usr/bin/python3)
"""Start a private headless LibreOffice with a UNO socket and connect to it.

Must run under Debian's /usr/bin/python3 (python3-uno is built for it); a
venv's interpreter cannot import ``uno``.  From a venv, run the scripts in
this directory through ``subprocess.run(["/usr/bin/python3", script, ...])``.

Design points (see REPORT.md):

* Every session gets its *own* user profile (``-env:UserInstallation``) in a
  fresh temp dir, so it never collides with another soffice (a second soffice
  on the same profile would just hand its arguments to the first one and
  exit) and starts from a known configuration.
* Port: a free TCP port on 127.0.0.1 picked by binding to port 0 (tiny race
  window, harmless in practice; a retry loop covers it).  Alternatively a
  named pipe (``pipe,name=...``) avoids ports entirely.
* soffice is started in its own process group (``start_new_session=True``)
  so that on failure we can kill the whole group (``soffice`` is a shell
  script that execs ``soffice.bin``; with --norestore there is no extra
  watchdog process, but killing the group is the safe option).
* Connecting is retried until a deadline (the socket typically appears within
  0.5-2 s).
* Shutdown: ``desktop.terminate()`` then wait; if it does not exit in time,
  SIGTERM then SIGKILL the process group.  The profile dir is removed.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

SOFFICE = os.environ.get("SOFFICE", "soffice")


def prop(name, value):
    """Build a com.sun.star.beans.PropertyValue."""
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def free_port():
    """Ask the kernel for a free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LibreOffice:
    """Context manager: ``with LibreOffice() as lo: lo.desktop ...``.

    Attributes after __enter__: ``ctx`` (remote component context),
    ``smgr`` (service manager), ``desktop`` (com.sun.star.frame.Desktop),
    ``proc`` (the Popen), ``port``, ``profile``.
    """

    def __init__(self, port=None, start_timeout=60.0, stop_timeout=20.0,
                 user_given_name=None, user_surname=None, keep_profile=False):
        self.port = port or free_port()
        self.start_timeout = start_timeout
        self.stop_timeout = stop_timeout
        self.profile = tempfile.mkdtemp(prefix="lo-profile-")
        self.keep_profile = keep_profile
        self.user_given_name = user_given_name
        self.user_surname = user_surname
        self.proc = None
        self.watchdog = None
        self.ctx = self.smgr = self.desktop = None

    # -- start -----------------------------------------------------------
    def start(self):
        accept = f"socket,host=127.0.0.1,port={self.port};urp;StarOffice.ComponentContext"
        cmd = [
            SOFFICE,
            f"-env:UserInstallation=file://{self.profile}",
            "--headless", "--invisible", "--norestore", "--nologo",
            "--nodefault", "--nolockcheck",
            f"--accept={accept}",
        ]
        env = dict(os.environ)
        # No X display is needed with --headless; make sure none is used.
        env.pop("DISPLAY", None)
        self.log = open(os.path.join(self.profile, "soffice.log"), "w+")  # noqa: SIM115 (open while soffice runs)
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True, env=env)
        # Watchdog: soffice runs in its own process group (so we can kill
        # oosplash + soffice.bin together), which also means it would
        # survive if *this* Python process were SIGKILLed (e.g. by a test
        # runner's timeout).  A tiny sh loop polls our pid and kills the
        # soffice group once we are gone.  stop() ends the watchdog first, so
        # it never fires after a normal shutdown (no risk of hitting a
        # recycled process-group id).
        self.watchdog = subprocess.Popen(
            ["/bin/sh", "-c",
             f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
             f"kill -TERM -{self.proc.pid} 2>/dev/null; sleep 2; "
             f"kill -KILL -{self.proc.pid} 2>/dev/null; "
             f"rm -rf '{self.profile}'"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:socket,host=127.0.0.1,port={self.port};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + self.start_timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(
                    f"soffice exited early with {self.proc.returncode}: {self.log.read()}")
            try:
                self.ctx = resolver.resolve(url)
                break
            except NoConnectException as e:  # socket not up yet
                last = e
                time.sleep(0.2)
        else:
            self.kill()
            raise TimeoutError(f"no UNO socket on port {self.port} after "
                               f"{self.start_timeout}s: {last}")
        self.smgr = self.ctx.ServiceManager
        self.desktop = self.smgr.createInstanceWithContext(
            "com.sun.star.frame.Desktop", self.ctx)
        if self.user_given_name is not None or self.user_surname is not None:
            self.set_user_name(self.user_given_name or "", self.user_surname or "")
        return self

    # -- configuration ---------------------------------------------------
    def set_user_name(self, given, surname=""):
        """Set the author name used for tracked changes and comments.

        LibreOffice takes the change author from the user profile
        (Tools > Options > LibreOffice > User Data), i.e. configuration node
        /org.openoffice.UserProfile/Data, properties givenname + sn.  Set it
        *before* loading the document (the redline author is looked up when
        a change is recorded; setting it first is the safe order).
        """
        provider = self.smgr.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx)
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
        access.setPropertyValue("givenname", given)
        access.setPropertyValue("sn", surname)
        access.commitChanges()

    # -- documents -------------------------------------------------------
    def load(self, path, hidden=True):
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        return self.desktop.loadComponentFromURL(
            url, "_blank", 0, (prop("Hidden", hidden),))

    @staticmethod
    def save_docx(doc, path):
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        doc.storeToURL(url, (prop("FilterName", "MS Word 2007 XML"),
                             prop("Overwrite", True)))

    # -- stop ------------------------------------------------------------
    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None and self.desktop is not None:
            # terminate() usually drops the bridge while returning:
            # DisposedException / RuntimeException is expected.
            with contextlib.suppress(Exception):
                self.desktop.terminate()
        try:
            self.proc.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self._cleanup()

    def kill(self):
        """Hard stop: SIGTERM the process group, then SIGKILL."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=5)
                return
            except subprocess.TimeoutExpired:
                continue

    def _cleanup(self):
        wd = getattr(self, "watchdog", None)
        stopped = self.proc is None or self.proc.poll() is not None
        if wd is not None and wd.poll() is None and stopped:
            wd.kill()
            wd.wait()
        with contextlib.suppress(Exception):
            self.log.close()
        if not self.keep_profile:
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.kill()
            self._cleanup()
            raise

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            # Belt and braces: never leave a soffice.bin behind.
            self.kill()
        return False
