// What each widget's own bundle holds, and what each module costs it: the 12 KB of issue #7
// is fought module by module, so the build says which ones weigh what.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const dist = 'packages/widgets/dist';

/** The API paths each widget's own bundle may call besides `everyBundles`' (ask-expert gives kudos for an accepted answer). */
const calls: Record<string, RegExp> = {
  // `v1/${kind}/…/vote`: questions' and answers' votes.
  'ask-expert': /^v1\/(questions\b|experts\b|kudos\b|$)/,
  'share-tip': /^v1\/tips\b/,
  'kudos-wall': /^v1\/(kudos|users)\b/,
};

/** What every widget calls: its site. (Sign-in's `v1/session` is in sign-in.js, fetched at the first sign-in.) */
const everyBundles = /^v1\/site\b/;

for (const [widget, own] of Object.entries(calls)) {
  test(`${widget}.js holds the API calls of its own widget only`, () => {
    const source = readFileSync(`${dist}/${widget}.js`, 'utf8');
    const paths = [...new Set([...source.matchAll(/["'`](v1\/[a-z/]*)/g)].map((m) => m[1]!))];
    assert.ok(paths.some((p) => own.test(p)), `${widget}.js calls none of its API`);
    assert.deepEqual(paths.filter((p) => !own.test(p) && !everyBundles.test(p)), []);
  });
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The source index of every generated character of a one-line bundle, from its source map's `mappings`. */
function sourceOfEachChar(code: string, mappings: string): Int32Array {
  const owner = new Int32Array(code.length).fill(-1);
  // Line starts: the bundle is one line of code and the sourceMappingURL comment.
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  let source = 0;
  let line = 0;
  let previous: [position: number, source: number] | undefined;
  for (const [l, text] of mappings.split(';').entries()) {
    line = l;
    let column = 0;
    for (const segment of text.split(',').filter(Boolean)) {
      const fields: number[] = [];
      for (let i = 0, value = 0, shift = 0; i < segment.length; i++) {
        const digit = BASE64.indexOf(segment[i]!);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = shift = 0;
        }
      }
      column += fields[0]!;
      if (fields.length > 1) source += fields[1]!;
      const position = lineStarts[line]! + column;
      if (previous) owner.fill(previous[1], previous[0], position);
      previous = fields.length > 1 ? [position, source] : undefined;
    }
  }
  if (previous) owner.fill(previous[1], previous[0], code.length);
  return owner;
}

for (const widget of Object.keys(calls)) {
  test(`${widget}.js: what each module costs it (printed)`, () => {
    const code = readFileSync(`${dist}/${widget}.js`, 'utf8');
    const map = JSON.parse(readFileSync(`${dist}/${widget}.js.map`, 'utf8')) as { sources: string[]; mappings: string };
    const owner = sourceOfEachChar(code, map.mappings);
    const whole = gzipSync(code, { level: 9 }).length;
    const rows = map.sources.map((name, index) => {
      let minified = 0;
      let rest = '';
      for (let i = 0; i < code.length; i++) {
        if (owner[i] === index) minified++;
        else rest += code[i];
      }
      // What gzip -9 of the bundle saves without the module's bytes: an estimate, as gzip shares across modules.
      return { module: name.replace(/^(\.\.\/)+(node_modules\/)?/, ''), minified, gzipped: minified && whole - gzipSync(rest, { level: 9 }).length };
    });
    rows.sort((a, b) => b.gzipped - a.gzipped);
    console.log(`${widget}.js, gzip -9 ${whole} B; per module: minified B, gzip -9 B without it`);
    for (const { module, minified, gzipped } of rows.filter((r) => r.minified)) {
      console.log(`  ${String(minified).padStart(6)} ${String(gzipped).padStart(6)}  ${module}`);
    }
    assert.ok(rows.some((r) => r.module.includes(`${widget}.component.ts`) && r.minified > 0));
  });
}
