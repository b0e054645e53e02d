// One table of issue #7's targets, from the three benchmarks `npm run bench` runs. Each of them,
// when BENCH_SUMMARY names a file, appends its figures there (recordTargets); run on its own, this
// file prints them with the bundle sizes as built, and deletes the file.
import { appendFileSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';

export interface Target {
  /** What is measured, with its target: "questions list at 1M, share of /bare ≥ 50 %". */
  target: string;
  /** The figure measured, with what it was measured against. */
  measured: string;
  /** Whether it meets the target; null where the figure is for reading only. */
  met: boolean | null;
}

/** Adds `targets` to the summary that `npm run bench` prints last (nothing when BENCH_SUMMARY is not set). */
export function recordTargets(targets: Target[]): void {
  const file = process.env.BENCH_SUMMARY;
  if (file) appendFileSync(file, targets.map((t) => `${JSON.stringify(t)}\n`).join(''));
}

const KB = 1024;

/** The bundles' budgets, from the files the build wrote (zopfli .gz, as the API serves them). */
function bundleTargets(): Target[] {
  const dist = 'packages/widgets/dist';
  return [
    ['widgets.js', 20],
    ['ask-expert.js', 12],
    ['share-tip.js', 12],
    ['kudos-wall.js', 12],
  ].map(([file, budget]) => {
    const path = `${dist}/${file}.gz`;
    if (!existsSync(path)) return { target: `${file} ≤ ${budget} KB gzipped`, measured: 'not built (npm run build)', met: false };
    const bytes = statSync(path).size;
    return { target: `${file} ≤ ${budget} KB gzipped`, measured: `${bytes.toLocaleString('en')} B (${(bytes / KB).toFixed(2)} KB)`, met: bytes <= (budget as number) * KB };
  });
}

function printSummary(file: string | undefined): void {
  const recorded = file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Target) : [];
  const rows = [...bundleTargets(), ...recorded];
  const cells = rows.map((r) => [r.target, r.measured, r.met === null ? '' : r.met ? 'yes' : 'NO']);
  const header = ['target (issue #7)', 'measured', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\nAll targets, ${cpus().length} cores (${cpus()[0]?.model.trim()}), load ${loadavg()[0]!.toFixed(1)} now:\n`);
  console.log(line(header));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const c of cells) console.log(line(c));
  if (file) rmSync(file, { force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printSummary(process.env.BENCH_SUMMARY);
