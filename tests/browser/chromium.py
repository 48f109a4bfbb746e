"""The one headless-Chromium driver of the test suite, standard library only.

Chromium speaks the DevTools protocol over a pair of pipes (`--remote-debugging-pipe`:
it reads commands from fd 3 and writes replies to fd 4, each JSON message ended by a NUL
byte), so no websocket client, WebDriver binary or extra package is needed.

Tests get it through the `browser` fixture (tests/conftest.py) and are marked `browser`:
where no Chromium is found they are skipped, unless REQUIRE_CHROMIUM=1 says they must run.
Chromium is the CHROMIUM environment variable if set, else the first of chromium,
chromium-browser or google-chrome on the PATH."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-dev-shm-usage", "--remote-debugging-pipe", "--hide-scrollbars", "--mute-audio",
]


def chromium_path() -> str | None:
    for name in (os.environ.get("CHROMIUM"), *CHROMIUM_NAMES):
        found = name and shutil.which(name)
        if found:
            return found
    return None


class BrowserError(RuntimeError):
    pass


class Browser:
    """One tab of a throw-away headless Chromium: open pages, fill fields, click, read text
    and run script in them, set cookies, take screenshots."""

    def __init__(self, *, width: int = 1280, height: int = 900, lang: str = "fa"):
        binary = chromium_path()
        if binary is None:
            raise BrowserError("Chromium is not installed")
        self.profile = tempfile.mkdtemp(prefix="chromium-test-")
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_pipes():
            # Move both ends out of the way first, in case either already is fd 3 or 4;
            # dup2 leaves the new descriptors inheritable, everything else is close-on-exec.
            import fcntl

            read_end = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", f"--lang={lang}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes, close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        try:
            target = self._call("Target.createTarget", url="about:blank")["targetId"]
            self.session = self._call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            self.call("Page.enable")
            self.call("Runtime.enable")
            self.resize(width, height)
        except Exception:
            self.close()
            raise

    # -- the protocol
    def _send(self, message: dict) -> None:
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")

    def _read(self, timeout: float) -> dict:
        import select

        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _w, _x = select.select([self._from_chrome], [], [], left)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the pipe")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(self, method: str, session: str | None = None, timeout: float = 30, **params):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self._send(message)
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def call(self, method: str, timeout: float = 30, **params):
        """Send one DevTools command to the tab, e.g. call("Network.clearBrowserCookies")."""
        return self._call(method, session=self.session, timeout=timeout, **params)

    def _forget_loads(self) -> None:
        self._events = [e for e in self._events if e.get("method") != "Page.loadEventFired"]

    def _wait_event(self, name: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self._events):
                if event.get("method") == name:
                    return self._events.pop(index)
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"no {name} event")
            self._events.append(self._read(left))

    # -- what tests use
    def resize(self, width: int, height: int = 900, mobile: bool | None = None) -> None:
        """The window's size; narrower than 600 px it is a phone."""
        self.call(
            "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
            mobile=bool(mobile if mobile is not None else width < 600),
        )

    def open(self, url: str, timeout: float = 30) -> None:
        """Go to `url` and wait until the page has loaded."""
        self._forget_loads()
        result = self.call("Page.navigate", url=url)
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        if result.get("loaderId"):  # not a jump within the same document
            self._wait_event("Page.loadEventFired", timeout)

    def js(self, expression: str):
        """The value of a script run in the page (promises are awaited)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 15) -> None:
        """Wait until a script's value is true (e.g. an autocomplete has drawn its options)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.js(expression):
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def fill(self, selector: str, value: str) -> None:
        """Type `value` into a field, as far as the page's scripts can tell."""
        found = self.js(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)}); if (!el) return false;"
            f" el.focus(); el.value = {json.dumps(value)}; el.dispatchEvent(new Event('input', {{bubbles: true}}));"
            f" el.dispatchEvent(new Event('change', {{bubbles: true}})); return true; }})()"
        )
        if not found:
            raise BrowserError(f"no element {selector}")

    def set_files(self, selector: str, paths: list[str]) -> None:
        """Choose files in a file input."""
        root = self.call("DOM.getDocument", depth=-1)["root"]["nodeId"]
        node = self.call("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
        if not node:
            raise BrowserError(f"no element {selector}")
        self.call("DOM.setFileInputFiles", nodeId=node, files=paths)

    def click_and_wait(self, selector: str, timeout: float = 60) -> None:
        """Click a link or a submit button and wait for the page it leads to."""
        self._forget_loads()
        clicked = self.js(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)}); if (!el) return false;"
            f" el.click(); return true; }})()"
        )
        if not clicked:
            raise BrowserError(f"no element {selector}")
        self._wait_event("Page.loadEventFired", timeout)

    def set_cookie(self, url: str, name: str, value: str) -> None:
        self.call("Network.setCookie", url=url, name=name, value=value)

    def text(self, selector: str = "body") -> str:
        """What a reader sees of the first element matching `selector` ('' if none)."""
        return self.js(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)}); return el ? el.innerText : ''; }})()"
        ) or ""

    def url(self) -> str:
        return self.js("location.href")

    def screenshot(self, path: str, full_page: bool = True) -> None:
        """A PNG of the window, or of the whole page however long."""
        params = {"format": "png"}
        if full_page:
            height = int(self.js("document.documentElement.scrollHeight"))
            width = int(self.js("document.documentElement.clientWidth"))
            params["clip"] = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", **params)["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def print_pdf(self, path: str | None = None, **options) -> bytes:
        """The page printed as the print dialog would (its print stylesheet and its @page
        size and margins; DevTools Page.printToPDF): the PDF's bytes, also saved to `path`."""
        params = {"printBackground": True, "preferCSSPageSize": True, **options}
        content = base64.b64decode(self.call("Page.printToPDF", timeout=60, **params)["data"])
        if path:
            with open(path, "wb") as out:
                out.write(content)
        return content

    def close(self) -> None:
        try:
            self._call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_chrome, self._from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
