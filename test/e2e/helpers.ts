// The real thing, end to end: the `readyhand` server as a child process on a free port
// with its own temporary libSQL file, and Debian's Chromium driven by playwright-core.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export interface RunningServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `readyhand serve --port 0 --seed` on a database of its own; `commands` (say `['site', 'add', …]`)
 * run first with the command line on the same database, and `serveArgs` go to `serve`.
 */
export async function startServer(extraEnv: Record<string, string> = {}, { commands = [], serveArgs = [] }: { commands?: string[][]; serveArgs?: string[] } = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'readyhand-e2e-'));
  const env = {
    ...process.env,
    // Every test browser signs in from 127.0.0.1: lift the per-address limits meant for real offices.
    READYHAND_SIGNINS_PER_MINUTE: '100000',
    READYHAND_ADDRESS_WRITES_PER_MINUTE: '100000',
    DATABASE_URL: `file:${join(dir, 'e2e.db')}`,
    ...extraEnv,
  };
  for (const command of commands) await promisify(execFile)(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', ...command], { env });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli.ts', 'serve', '--port', '0', '--seed', ...serveArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /Readyhand listening on (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  return {
    url,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * The rig of a multi-person end-to-end test: one server and one Chromium for the file
 * (started in `before`, stopped in `after`), and `person(path)`, a page in a browser
 * context of its own (own storage, as a second person would have) whose uncaught errors
 * and dialogs land in `pageErrors`; `prepare` runs on the page before it opens `path` (routes,
 * init scripts). `env` goes to the server (say, `DEMO_SITE_SECRET`).
 */
export function twoBrowserRig(env: Record<string, string> = {}) {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  before(async () => {
    server = await startServer(env);
    browser = await launchChromium();
  });
  after(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await server?.stop();
  });
  return {
    pageErrors,
    get url() {
      return server.url;
    },
    async person(path: string, prepare?: (page: Page) => Promise<unknown>): Promise<Page> {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('dialog', (dialog) => pageErrors.push(`dialog: ${dialog.message()}`));
      await prepare?.(page);
      await page.goto(`${server.url}${path}`);
      return page;
    },
  };
}

/**
 * Joins as the guest `name` through `widget`'s sign-in form on `page` (`label` names its
 * field), and waits until the field labelled `ready` shows that the widget is signed in.
 */
export async function joinAsGuest(page: Page, widget: string, label: string, name: string, ready: string): Promise<void> {
  const el = page.locator(widget);
  await el.getByLabel(label).fill(name);
  await el.getByRole('button', { name: 'Join as guest' }).click();
  await el.getByLabel(ready).waitFor();
}
