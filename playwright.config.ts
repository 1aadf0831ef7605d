import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright's own browsers cannot be downloaded here.
// --enable-unsafe-webgpu gives the software (SwiftShader) WebGPU adapter: correct but slow.
export const chromiumArgs = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu',
];

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: 'http://127.0.0.1:5173',
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
  },
  // e2e runs against the production build: dev-server full reloads break page.evaluate.
  webServer: {
    command: 'npx vite preview',
    url: 'http://127.0.0.1:5173/',
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
