// Builds two kinds of output:
// - packages/widgets/dist/widgets.js: the one-script-tag bundle the API serves, Lit
//   inside, minified, with a source map;
// - each package's dist/: ES modules (Lit and @readyhand/* external) for people who
//   bundle themselves. Their type declarations come from `tsc -p tsconfig.build.json`.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { literalsHtmlCssMinifier } from '@literals/rollup-plugin-html-css-minifier';
import { gzipAsync } from '@gfx/zopfli';
import { readFile, writeFile } from 'node:fs/promises';

const resolve = () => nodeResolve({ exportConditions: ['source'], browser: true });
const typescript = () => esbuild({ target: 'es2021', tsconfig: 'tsconfig.json' });

/**
 * Writes `<file>.gz` beside each output file, compressed once at build time with zopfli
 * (a gzip encoder that searches harder than gzip -9: about 4 % smaller, same format).
 * The API sends it with `Content-Encoding: gzip` to every browser that accepts gzip.
 */
const precompress = () => ({
  name: 'precompress',
  async writeBundle(options, bundle) {
    for (const name of Object.keys(bundle).filter((n) => n.endsWith('.js'))) {
      const path = options.file ?? `${options.dir}/${name}`;
      await writeFile(`${path}.gz`, await gzipAsync(await readFile(path), { numiterations: 15 }));
    }
  },
});

const allInOne = {
  input: 'packages/widgets/src/widgets.ts',
  output: {
    file: 'packages/widgets/dist/widgets.js',
    format: 'es',
    sourcemap: true,
  },
  plugins: [
    resolve(),
    typescript(),
    // Whitespace inside html`` and css`` templates is a large share of a widget's bytes.
    literalsHtmlCssMinifier(),
    terser({ ecma: 2021, module: true, compress: { passes: 2 }, format: { comments: false } }),
    precompress(),
  ],
};

const library = (pkg, inputs) => ({
  input: Object.fromEntries(inputs.map((name) => [name, `packages/${pkg}/src/${name}.ts`])),
  output: {
    dir: `packages/${pkg}/dist`,
    format: 'es',
    sourcemap: true,
    preserveModules: true,
    preserveModulesRoot: `packages/${pkg}/src`,
  },
  external: (id) => /^(lit|@lit|@readyhand)(\/|$)/.test(id),
  plugins: [resolve(), typescript()],
});

export default [
  allInOne,
  library('core', ['index', 'provider']),
  library('ask-expert', ['ask-expert', 'ask-expert.component']),
  library('kudos-wall', ['kudos-wall', 'kudos-wall.component']),
  library('share-tip', ['share-tip', 'share-tip.component']),
];
