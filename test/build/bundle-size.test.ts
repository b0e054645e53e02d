// The all-in-one bundle lives in someone else's page: what it costs that page to
// download must stay within its budget. The API sends the zopfli-precompressed
// `widgets.js.gz` (Content-Encoding: gzip), so that file is what the budget measures;
// gzip -9 of the same source is printed beside it for comparison.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';

const KB = 1024;
const budgets = [{ file: 'packages/widgets/dist/widgets.js', gzipped: 20 * KB }];

for (const { file, gzipped } of budgets) {
  test(`${file} costs a page at most ${gzipped / KB} KB gzipped`, () => {
    const source = readFileSync(file);
    const served = readFileSync(`${file}.gz`);
    assert.ok(gunzipSync(served).equals(source), `${file}.gz is not ${file} compressed: rebuild`);
    const gzip9 = gzipSync(source, { level: 9 }).length;
    console.log(
      `${file}: ${(source.length / KB).toFixed(1)} KB minified, ${(served.length / KB).toFixed(2)} KB as served ` +
        `(zopfli; gzip -9 would be ${(gzip9 / KB).toFixed(2)} KB), budget ${gzipped / KB} KB, ${((served.length / gzipped) * 100).toFixed(0)} % used`,
    );
    assert.ok(served.length <= gzipped, `${file} is ${served.length} bytes gzipped, over the ${gzipped}-byte budget`);
  });
}

test('widgets.js carries Lit inside and imports nothing', () => {
  const source = readFileSync('packages/widgets/dist/widgets.js', 'utf8');
  // A static import statement (not `.importNode(` or `import.meta`) would need a second request.
  const staticImport = /(?:^|[;}\n])\s*import\s*(?:[\w{*]|["'])/.exec(source);
  assert.equal(staticImport && source.slice(staticImport.index, staticImport.index + 60), null);
  assert.match(source, /sourceMappingURL=widgets\.js\.map/);
});
