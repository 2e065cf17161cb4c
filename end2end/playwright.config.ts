import { defineConfig } from '@playwright/test';

// Every spec runs twice: with JavaScript (islands hydrated) and without.
// Each project has its own server and SQLite file, both sending mail to one
// maildev (SMTP on 1025, its JSON API on 1080).
const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { launchOptions: chromium, trace: 'off' },
  projects: [
    { name: 'js', use: { baseURL: 'http://localhost:3101', javaScriptEnabled: true } },
    { name: 'nojs', use: { baseURL: 'http://localhost:3102', javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: 'npx maildev --smtp 1025 --web 1080 --ip 127.0.0.1 --silent',
      url: 'http://127.0.0.1:1080/email',
      reuseExistingServer: false,
      timeout: 30_000,
    },
    { command: './start-server.sh 3101 js', url: 'http://127.0.0.1:3101/healthz', reuseExistingServer: false, timeout: 60_000 },
    { command: './start-server.sh 3102 nojs', url: 'http://127.0.0.1:3102/healthz', reuseExistingServer: false, timeout: 60_000 },
  ],
});
