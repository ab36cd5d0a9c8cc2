"""Browser tests: Debian's headless Chromium driven by Playwright against the live app."""
