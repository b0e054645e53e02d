/**
 * Live updates at scale (issue #7): one `readyhand serve` process holds 10,000 concurrent
 * stream clients, and each write's event reaches every one of them. Run with `npm run bench`
 * (BENCH_STREAM_CLIENTS sets another count).
 *
 * The server, the writer (this process) and the clients (two more processes, plain
 * `http` keep-alive connections) run apart, so that the clients' parsing does not share
 * the server's event loop; on a two-core machine they still share its cores. For each
 * event the figure is, per client, the time from the moment the write was acknowledged
 * (its 201 received here) to the moment the event's frame reached that client, read on
 * the machine's one monotonic clock. A negative figure means the event reached the
 * client before the writer had its answer.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordTargets } from './summary';

const CLIENTS = Number(process.env.BENCH_STREAM_CLIENTS ?? 10_000);
const CLIENT_PROCESSES = 2;
const EVENTS = 5;
/** Connections each client process has opening at once. */
const OPENING = 200;
const TOPIC = 'bench-live';
const self = fileURLToPath(import.meta.url);
const repoRoot = join(self, '../../..');

const now = () => Number(process.hrtime.bigint()) / 1e6;

type FromClients = { type: 'progress'; open: number; failed: number } | { type: 'arrivals'; arrivals: Record<string, number[]>; failed: number; ended: number };

/** A client process: opens `count` streams to `url`, notes when each event's frame arrives. */
function runClients(url: string, count: number): void {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const arrivals = new Map<string, number[]>();
  let open = 0;
  let failed = 0;
  let ended = 0;
  let started = 0;
  const report = () => process.send!({ type: 'progress', open, failed } satisfies FromClients);
  const progress = setInterval(report, 250);

  const openOne = () => {
    if (started >= count) return;
    started++;
    const req = get(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        failed++;
        res.resume();
        openOne();
        return;
      }
      open++;
      openOne();
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const at = now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(frame)?.[1];
          if (!id) continue;
          let times = arrivals.get(id);
          if (!times) arrivals.set(id, (times = []));
          times.push(at);
        }
      });
      res.on('end', () => ended++);
      res.on('error', () => ended++);
    });
    req.on('error', () => {
      failed++;
      openOne();
    });
  };
  for (let i = 0; i < OPENING; i++) openOne();

  process.on('message', (message: { type: string }) => {
    if (message.type !== 'report') return;
    clearInterval(progress);
    process.send!({ type: 'arrivals', arrivals: Object.fromEntries(arrivals), failed, ended } satisfies FromClients, () => process.exit(0));
  });
}

/** The highest open-files limit a child may raise itself to. */
function hardFileLimit(): string {
  return execSync('ulimit -Hn', { shell: '/bin/sh', encoding: 'utf8' }).trim();
}

/** `command` in a shell that first raises its open-files limit as far as allowed (10,000 sockets need it). */
function withFileLimit(args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  const quoted = args.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
  return spawn('/bin/sh', ['-c', `ulimit -n ${hardFileLimit()} 2>/dev/null; exec ${quoted}`], options);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const rssMb = (pid: number) => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : NaN;
};
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'readyhand-stream-bench-'));
  const children: ChildProcess[] = [];
  const cleanUp = () => {
    // SIGTERM lets the server close as in production (and write a profile when run with --cpu-prof).
    for (const child of children) if (child.exitCode === null) child.kill(child === children[0] ? 'SIGTERM' : 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', cleanUp);
  try {
    // BENCH_SERVER_FLAGS: extra node flags for the server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
    const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
    const server = withFileLimit([process.execPath, ...flags, join(repoRoot, 'api/bin/readyhand.js'), 'serve', '--port', '0'], {
      env: {
        ...process.env,
        DATABASE_URL: pathToFileURL(join(dir, 'bench.db')).href,
        DEMO_SITE_SECRET: '',
        READYHAND_SIGNINS_PER_MINUTE: '1000000',
        READYHAND_ADDRESS_WRITES_PER_MINUTE: '1000000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(server);
    const base = await new Promise<string>((found, fail) => {
      let output = '';
      server.stdout!.on('data', (chunk) => {
        output += chunk;
        const match = /Readyhand listening on (http:\/\/\S+)/.exec(output);
        if (match) found(match[1]!.replace('localhost', '127.0.0.1'));
      });
      server.once('exit', (code) => fail(new Error(`the server exited with ${code}:\n${output}`)));
    });
    const session = await (await fetch(`${base}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: 'demo', guestName: 'Bench writer' }) })).json();
    const token = session.sessionToken as string;

    // The clients.
    const connectStart = now();
    const states = Array.from({ length: CLIENT_PROCESSES }, () => ({ open: 0, failed: 0 }));
    const workers = states.map((state, i) => {
      const count = Math.floor(CLIENTS / CLIENT_PROCESSES) + (i < CLIENTS % CLIENT_PROCESSES ? 1 : 0);
      const worker = withFileLimit([process.execPath, '--import', 'tsx', self, 'clients', `${base}/v1/stream?site=demo&topics=${TOPIC}`, String(count)], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      children.push(worker);
      worker.on('message', (message: FromClients) => {
        if (message.type === 'progress') Object.assign(state, message);
      });
      return worker;
    });
    const total = () => states.reduce((sum, s) => ({ open: sum.open + s.open, failed: sum.failed + s.failed }), { open: 0, failed: 0 });
    for (;;) {
      const { open, failed } = total();
      if (open + failed >= CLIENTS) break;
      if (now() - connectStart > 120_000) throw new Error(`only ${open} of ${CLIENTS} streams open after 120 s (${failed} failed)`);
      await new Promise((done) => setTimeout(done, 100));
    }
    const connectMs = now() - connectStart;
    const { open, failed } = total();
    console.log(`${open.toLocaleString('en')} streams open (${failed} refused) in ${(connectMs / 1000).toFixed(1)} s; server RSS ${rssMb(server.pid!).toFixed(0)} MB`);
    await new Promise((done) => setTimeout(done, 1000)); // every stream subscribed to the log

    // The writes, one at a time, each given two seconds to reach everyone.
    const acks: Array<{ sent: number; acked: number }> = [];
    const cpuBefore = cpuSeconds(server.pid!);
    for (let e = 0; e < EVENTS; e++) {
      const sent = now();
      const res = await fetch(`${base}/v1/tips`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ topic: TOPIC, body: `Bench tip ${e + 1}: events reach every open stream.`, tags: [] }),
      });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`write ${e + 1} answered ${res.status}`);
      acks.push({ sent, acked: now() });
      await new Promise((done) => setTimeout(done, 2000));
    }
    const cpuPerEvent = (cpuSeconds(server.pid!) - cpuBefore) / EVENTS;
    const rssAfter = rssMb(server.pid!);

    const reports = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<Extract<FromClients, { type: 'arrivals' }>>((done) => {
            worker.on('message', (message: FromClients) => message.type === 'arrivals' && done(message));
            worker.send({ type: 'report' });
          }),
      ),
    );
    const arrivals = new Map<string, number[]>();
    for (const report of reports) for (const [id, times] of Object.entries(report.arrivals)) arrivals.set(id, [...(arrivals.get(id) ?? []), ...times]);
    const ids = [...arrivals.keys()].sort((x, y) => Number(x) - Number(y));
    const ended = reports.reduce((sum, r) => sum + r.ended, 0);
    if (ids.length !== EVENTS) console.log(`warning: ${ids.length} distinct events arrived, ${EVENTS} were written`);

    /** A row of the table; `expected` is how many arrivals there should have been (a missing one is not within 1 s). */
    const row = (label: string, delays: number[], reached: number, expected: number) => {
      const sorted = [...delays].sort((x, y) => x - y);
      const within = sorted.filter((d) => d <= 1000).length / expected;
      return [label, `${reached.toLocaleString('en')} / ${open.toLocaleString('en')}`, ...[50, 90, 99].map((p) => percentile(sorted, p).toFixed(0)), sorted.at(-1)!.toFixed(0), `${(within * 100).toFixed(2)} %`];
    };
    const rows: string[][] = [];
    const all: number[] = [];
    ids.forEach((id, i) => {
      const delays = arrivals.get(id)!.map((at) => at - acks[i]!.acked);
      all.push(...delays);
      rows.push(row(`event ${i + 1} (write took ${(acks[i]!.acked - acks[i]!.sent).toFixed(0)} ms)`, delays, delays.length, open));
    });
    rows.push(row('all events', all, Math.round(all.length / Math.max(1, ids.length)), open * EVENTS));

    const header = ['event', 'clients reached', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'within 1 s'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
    console.log(`\nDelay from a write's acknowledgement to its event's arrival, per stream client (${open.toLocaleString('en')} clients, one server process):\n`);
    console.log(line(header));
    console.log(`| ${widths.map((w, i) => (i < 2 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`);
    for (const r of rows) console.log(line(r));
    const within = all.filter((d) => d <= 1000).length;
    recordTargets([
      {
        target: `${CLIENTS.toLocaleString('en')} streams on one process, each event to all within 1 s`,
        measured: `${open.toLocaleString('en')} open; ${within.toLocaleString('en')} of ${(CLIENTS * EVENTS).toLocaleString('en')} arrivals within 1 s, max ${Math.round(Math.max(0, ...all))} ms`,
        met: CLIENTS >= 10_000 && open === CLIENTS && ids.length === EVENTS && within === CLIENTS * EVENTS,
      },
    ]);
    console.log(
      `\nserver: RSS ${rssAfter.toFixed(0)} MB with the streams open (${((rssAfter * 1024) / open).toFixed(0)} KB a stream), ` +
        `${(cpuPerEvent * 1000).toFixed(0)} ms of CPU per event written (fan-out and heartbeats included); ` +
        `${ended} streams ended early; ${cpus().length} cores (${cpus()[0]?.model.trim()})`,
    );
  } finally {
    cleanUp();
  }
}

if (process.argv[2] === 'clients') runClients(process.argv[3]!, Number(process.argv[4]));
else await main();
