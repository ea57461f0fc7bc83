"""The 相談記録 form in a real headless Chromium at phone width, served by uvicorn on loopback.

Needs Debian's `chromium` and `chromium-driver` and pip's `selenium` (the test extra). Skipped
when they are missing on a developer's machine; with CI set, missing them is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from sqlmodel import select

from bot.app import build_runtime, create_asgi_app
from bot.crypto import Keyring
from bot.fakes.line_platform import serve_in_thread
from bot.settings import Settings
from storage.db import session_scope
from storage.models import OutboundMessage, SensitiveNote

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PUBLIC_URL = "https://tsunagi.example.jp"
DATA_KEY = "k1:" + Fernet.generate_key().decode()
DETAILS = "父が先月から物忘れが増え、火の消し忘れが二度あった。妻は腰痛で介護がつらいと話す。"
PHONE = {"width": 390, "height": 844, "pixelRatio": 2}


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "pip package selenium is not installed (pip install -e '.[test]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.path.exists(path):
            return f"{path} not found (apt-get install -y {package})"
    return None


@pytest.fixture
def browser() -> Iterator[object]:
    missing = _missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test must run in CI: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": PHONE})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def served(world) -> Iterator[str]:
    """Serve the real ASGI app with uvicorn on loopback; return its base URL."""
    settings = Settings(
        database_url=str(world.engine.url), public_url=PUBLIC_URL, data_key=DATA_KEY
    )
    runtime = build_runtime(settings, clock=world.clock, engine=world.engine)
    world.bot = runtime.bot  # chats talk to the bot configured with the form
    url, stop = serve_in_thread(create_asgi_app(runtime, start_workers=False))
    yield url
    stop()


def screenshot(driver, path: str) -> None:
    """Save the whole page (beyond the phone's viewport) as a PNG."""
    import base64

    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})
    with open(path, "wb") as out:
        out.write(base64.b64decode(shot["data"]))


def heading_becomes(driver, heading: str) -> str:
    """Wait for the page whose heading is `heading` (a form post navigates); return its text.

    The check runs as one script in the page, so no element handle can go stale while the
    browser navigates.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    script = (
        "const main = document.querySelector('main');"
        "const h1 = main && main.querySelector('h1');"
        "return h1 && h1.textContent.trim() === arguments[0] ? main.innerText : null;"
    )
    wait = WebDriverWait(driver, 10, ignored_exceptions=(WebDriverException,))  # mid-navigation
    return wait.until(lambda d: d.execute_script(script, heading))


def test_a_coordinator_fills_the_form_on_a_phone(world, served, browser):
    from selenium.webdriver.common.by import By

    chat = world.chat("sato", "あおば市")
    link = re.search(r"/forms/([A-Za-z0-9_-]+)", chat.send("相談記録"))
    assert link, "相談記録 gave no link"
    # The public URL reaches this server through a reverse proxy; the phone opens the same path.
    browser.get(f"{served}/forms/{link.group(1)}")
    assert browser.title.startswith("相談記録")
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "本人（または家族）の同意を得ています" in page and "2026-11 v1" in page
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE["width"]

    browser.find_element(By.NAME, "consent").click()
    browser.find_element(By.NAME, "details").send_keys(DETAILS)
    screenshot(browser, "/tmp/form.png")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    saved = heading_becomes(browser, "保存しました")
    assert "相談記録 #1 として保存しました" in saved and "閉じてかまいません" in saved
    screenshot(browser, "/tmp/form-saved.png")
    with session_scope(world.engine) as s:
        [note] = s.exec(select(SensitiveNote)).all()
        [notice] = s.exec(select(OutboundMessage)).all()
    assert Keyring.parse(DATA_KEY).decrypt(note.key_id, note.ciphertext) == DETAILS
    assert "相談記録 #1 を保存しました" in notice.messages[0]["text"]

    browser.back()  # the form is not cached (no-store): going back asks the server, which refuses
    assert "有効期限が切れたか、すでに使われています" in heading_becomes(
        browser, "このリンクは使えません"
    )
