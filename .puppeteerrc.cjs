// Puppeteer must never download a browser: tests drive the system Chromium.
module.exports = { skipDownload: true };
