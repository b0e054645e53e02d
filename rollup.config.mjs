// Builds three kinds of output:
// - packages/widgets/dist/widgets.js: the one-script-tag bundle the API serves, Lit
//   inside, minified, with a source map; beside it each widget's own bundle
//   (ask-expert.js, share-tip.js, kudos-wall.js) for pages with only that one;
// - packages/widgets/dist/locales/<locale>.js: the translations, which those bundles
//   import only when a widget speaks that language. Each is self-contained (no
//   import of its own), so every bundle shares the same files;
// - packages/widgets/dist/report-form.js, live-stream.js, question-detail.js, ask-live.js,
//   sign-in.js, draft-form.js, ask-form.js, tip-form.js, kudos-form.js: code no first render of a
//   reader's needs (the form of a Report disclosure, imported when a signed-in reader first opens
//   one; the live updates' stream and a widget's following of it, imported once a widget has
//   rendered; <ask-expert>'s open question, imported when a reader first opens one, and its merge of
//   live events, imported with the first one; the exchange of a host's token or a guest's name for a
//   session, imported at the first sign-in; the forms, their drafts, their sending and the
//   moderation marks, with each widget's own forms and what its signed-in learner's actions send,
//   imported once a learner is signed in or signing in, beside the session and the data); each
//   self-contained like a language file;
// - each package's dist/: ES modules (Lit and @readyhand/* external) for people who
//   bundle themselves. Their type declarations come from `tsc -p tsconfig.build.json`.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { literalsHtmlCssMinifier } from '@literals/rollup-plugin-html-css-minifier';
import { gzipAsync } from '@gfx/zopfli';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const resolve = () => nodeResolve({ exportConditions: ['source'], browser: true });
const typescript = () => esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' });

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

// es2022 output, and the `_`-prefixed members of Lit's internals and of our classes named shorter
// (each bundle is mangled as a whole; nothing outside a bundle reaches those members).
const minify = () =>
  terser({ ecma: 2022, module: true, compress: { passes: 2 }, mangle: { properties: { regex: /^_[^_]/ } }, format: { comments: false } });

/**
 * What the bundles load on demand, each built alone into a file beside them (see `lazyChunk`):
 * the module (in packages/) that imports it, and the module, whose name the file takes.
 */
const lazyChunks = [
  ['core/src/kit.ts', 'core/src/report-form.ts'],
  ['core/src/live.ts', 'core/src/live-stream.ts'],
  ['ask-expert/src/ask-expert.component.ts', 'ask-expert/src/question-detail.ts'],
  ['ask-expert/src/ask-expert.component.ts', 'ask-expert/src/ask-live.ts'],
  ['core/src/session.ts', 'core/src/sign-in.ts'],
  ['core/src/readyhand-element.ts', 'core/src/draft-form.ts'],
  ['ask-expert/src/ask-expert.component.ts', 'ask-expert/src/ask-form.ts'],
  ['share-tip/src/share-tip.component.ts', 'share-tip/src/tip-form.ts'],
  ['kudos-wall/src/kudos-wall.component.ts', 'kudos-wall/src/kudos-form.ts'],
];
const chunkName = (path) => path.replace(/.*\/|\.ts$/g, '');

/**
 * `import('./locales/de.js')` in packages/core/src/localize.ts and the `lazyChunks`' imports
 * (`import('./report-form.js')` in packages/core/src/kit.ts, say) stay imports of the
 * files beside the bundle. The forms' (``import(`./draft-form.js${fresh}`)``, fresh on a Retry)
 * are no literals: Rollup leaves them as they are, imports of the files beside the bundle as well.
 */
const localesBeside = () => ({
  name: 'locales-beside',
  resolveId: (source, importer) =>
    (importer?.endsWith('/core/src/localize.ts') && /^\.\/locales\/[a-z]+\.js$/.test(source)) ||
    lazyChunks.some(([from, chunk]) => importer?.endsWith(`/packages/${from}`) && source === `./${chunkName(chunk)}.js`)
      ? { id: source, external: true }
      : null,
});

/**
 * In a bundle, `msg` from @lit/localize is localize.ts's `translate` itself, and `str` the
 * library's: what msg() does is the same, but without the library's swappable `msg`, its
 * default implementation and its install guard (about 100 bytes gzipped of widgets.js).
 */
const msgIsTranslate = () => {
  const str = fileURLToPath(import.meta.resolve('@lit/localize/internal/str-tag.js'));
  const localize = fileURLToPath(new URL('packages/core/src/localize.ts', import.meta.url));
  return {
    name: 'msg-is-translate',
    resolveId: (source) =>
      source === '@lit/localize' ? '\0lit-localize' : source === '@lit/localize/init/install.js' ? '\0lit-localize-install' : null,
    load: (id) =>
      id === '\0lit-localize'
        ? `export { str } from ${JSON.stringify(str)}; export { translate as msg } from ${JSON.stringify(localize)};`
        : id === '\0lit-localize-install'
          ? 'export const _installMsgImplementation = () => {};'
          : null,
  };
};

/**
 * What of Lit's own code no Readyhand element can reach, cut where it stands (the build fails if
 * Lit's text changed, so that a new Lit is looked at again):
 * - its messages for errors only a developer's mistake makes (a `css` tag given something that is
 *   not `css`, a template that is not a template literal), said in a word: each is still thrown;
 * - the decorators' runtime inside ReactiveElement (initializers, property metadata): the elements
 *   declare `static properties` and use no decorator, and the bundle's Lit is the bundle's alone;
 * - the attribute converter of Boolean, Number, Object and Array properties: every property of the
 *   elements is a string (their attributes are strings as they are); the build fails where an
 *   element's `static properties` declare a `type` or a `converter`; and what serves the options no
 *   element's property takes (`state`, `noAccessor`, `useDefault`, `hasChanged`, a symbol for a
 *   name, a getter or setter of its own in the class): the build fails where one does;
 * - the styles' fallback for browsers that cannot adopt style sheets (`<style>` elements) and the
 *   hooks of the web components polyfills and of server-side rendering, and the test whether the
 *   browser adopts style sheets (it does): every browser that shows the widgets as designed
 *   adopts style sheets and has shadow DOM (their CSS needs `light-dark()`:
 *   Chrome 123, Firefox 120, Safari 17.5), the widgets add the styles of their on-demand files that
 *   way, and nothing renders them on a server;
 * - of lit-html, what no template of the elements or of the files they load reaches: none uses a
 *   directive (no module imports lit/directive.js or a lit/directives/ one, so no value carries
 *   `_$litDirective$`), a compiled template (Lit's compiler's output), the `svg` or `mathml` tags,
 *   a binding inside the text of a `<textarea>`, `<title>`, `<style>` or `<script>` (the one
 *   `<textarea>`, draft-form.ts's, binds attributes only), or an event listener that is an object
 *   (with `handleEvent`, `capture`, `once` or `passive`) rather than a function; so also what
 *   serves directives alone: the parts' connection to the DOM (`setConnected`, which LitElement
 *   calls for them, and `isConnected`) and the getters a directive reads a part by;
 * - of @lit/task, what no task of the elements or of the files they load reaches: each takes no
 *   option but `task`, `args` and `onError` (the build fails where one does), runs with its host's
 *   updates, is drawn by `renderTask` (states.ts) rather than by its own `render()`, and is aborted
 *   only by a newer run (its error for args that are not an array is said in a word, like Lit's
 *   above). Its shorthand `new Task(host, task, args)` stays: cut, such a task would never run.
 */
const litTrimmed = () => {
  const RE = '/@lit/reactive-element/reactive-element.js';
  const CSS = '/@lit/reactive-element/css-tag.js';
  const TASK = '/@lit/task/task.js';
  const LH = '/lit-html/lit-html.js';
  const LE = '/lit-element/lit-element.js';
  const cuts = [
    [CSS, 'throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.")', 'throw Error("css")'],
    [
      CSS,
      `throw Error("Value passed to 'css' function must be a 'css' function result: "+t+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")`,
      'throw Error("css: "+t)',
    ],
    ['/lit-html/lit-html.js', 'throw Error("invalid template strings array")', 'throw Error("html")'],
    [CSS, 'else for(const e of o){const o=document.createElement("style"),n=t.litNonce;void 0!==n&&o.setAttribute("nonce",n),o.textContent=e.cssText,s.appendChild(o)}', ''],
    [CSS, 'c=e?t=>t:t=>t instanceof CSSStyleSheet?(t=>{let e="";for(const s of t.cssRules)e+=s.cssText;return r(e)})(t):t', 'c=t=>t'],
    ['/lit-html/lit-html.js', ',B=t.litHtmlPolyfillSupport;B?.(S,k),', ';'],
    ['/lit-element/lit-element.js', ',s.litElementHydrateSupport?.({LitElement:i});const o=s.litElementPolyfillSupport;o?.({LitElement:i});', ';'],
    [RE, 'p=a.reactiveElementPolyfillSupport,', ''],
    [RE, 'p?.({ReactiveElement:y}),', ''],
    // The attribute converter, as it stands for a String property, the only kind the elements have (see below).
    [
      RE,
      'u={toAttribute(t,s){switch(s){case Boolean:t=t?l:null;break;case Object:case Array:t=null==t?t:JSON.stringify(t)}return t},fromAttribute(t,s){let i=t;switch(s){case Boolean:i=null!==t;break;case Number:i=null===t?null:Number(t);break;case Object:case Array:try{i=JSON.parse(t)}catch(t){i=null}}return i}}',
      'u={toAttribute:t=>t,fromAttribute:t=>t}',
    ],
    [RE, 'static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}', ''],
    [RE, ',this.constructor.l?.forEach(t=>t(this))', ''],
    [RE, 'void 0!==t.l&&(this.l=[...t.l]),', ''],
    [RE, 'Symbol.metadata??=Symbol("metadata"),a.litPropertyMetadata??=new WeakMap;', ''],
    [RE, 'const t=this[Symbol.metadata];if(null!==t){const s=litPropertyMetadata.get(t);if(void 0!==s)for(const[t,i]of s)this.elementProperties.set(t,i)}', ''],
    // What the elements' reactive properties never are (see above and the check in `transform`); a
    // property with a type, a converter or `state` (a host page's subclass of an exported element, say)
    // fails where it is declared rather than getting strings.
    [RE, 'if(s.state&&(s.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(t)&&((s=Object.create(s)).wrapped=!0),this.elementProperties.set(t,s),!s.noAccessor){const i=Symbol(),h=this.getPropertyDescriptor(t,i,s);void 0!==h&&e(this.prototype,t,h)}', '{if(s.type||s.state||s.converter)throw Error("lit: "+t);this._$Ei(),this.elementProperties.set(t,s);const i=Symbol(),h=this.getPropertyDescriptor(t,i,s);void 0!==h&&e(this.prototype,t,h)}'],
    [RE, 's=[...r(t),...o(t)]', 's=r(t)'],
    [RE, 'b={attribute:!0,type:String,converter:u,reflect:!1,useDefault:!1,hasChanged:f}', 'b={}'],
    [RE, 'const h=(void 0!==i.converter?.toAttribute?i.converter:u).toAttribute(s,i.type);', 'const h=s;'],
    [RE, '{const t=i.getPropertyOptions(e),h="function"==typeof t.converter?{fromAttribute:t.converter}:void 0!==t.converter?.fromAttribute?t.converter:u;this._$Em=e;const r=h.fromAttribute(s,t.type);this[e]=r??this._$Ej?.get(e)??r,this._$Em=null}', 'this._$Em=e,this[e]=s,this._$Em=null'],
    [RE, '!((i.hasChanged??f)(h,s)||i.useDefault&&i.reflect&&h===this._$Ej?.get(t)&&!this.hasAttribute(r._$Eu(t,i)))', '!f(h,s)'],
    [RE, 'C(t,s,{useDefault:i,reflect:e,wrapped:h},r){i&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,r??s??this[t]),!0!==h||void 0!==r)||(this._$AL.has(t)||(this.hasUpdated||i||(s=void 0),this._$AL.set(t,s)),!0===e&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}', 'C(t,s,{reflect:e}){this._$AL.has(t)||(this.hasUpdated||(s=void 0),this._$AL.set(t,s)),!0===e&&this._$Em!==t&&(this._$Eq??=new Set).add(t)}'],
    [RE, 'const t=this.constructor.elementProperties;if(t.size>0)for(const[s,i]of t){const{wrapped:t}=i,e=this[s];!0!==t||this._$AL.has(s)||void 0===e||this.C(s,void 0,i,e)}', ''],
    // Lit's templates as the elements and the files they load write them (see above).
    [LH, 'function M(t,i,s=t,e){if(i===E)return i;let h=void 0!==e?s._$Co?.[e]:s._$Cl;const o=a(i)?void 0:i._$litDirective$;return h?.constructor!==o&&(h?._$AO?.(!1),void 0===o?h=void 0:(h=new o(t),h._$AT(t,s,e)),void 0!==e?(s._$Co??=[])[e]=h:s._$Cl=h),void 0!==h&&(i=M(t,h._$AS(t,i.values),h,e)),i}', 'function M(t,i){return i}'],
    [LH, '"number"==typeof s?this._$AC(t):(void 0===s.el&&(s.el=S.createElement(V(s.h,s.h[0]),this.options)),s)', 'this._$AC(t)'],
    [LH, 'l=2===i?"<svg>":3===i?"<math>":""', 'l=""'],
    [LH, '+(2===i?"</svg>":3===i?"</math>":"")', ''],
    [LH, 'if(this.el=S.createElement(f,e),P.currentNode=this.el.content,2===i||3===i){const t=this.el.content.firstChild;t.replaceWith(...t.childNodes)}', 'this.el=S.createElement(f,e),P.currentNode=this.el.content;'],
    [LH, 'if(y.test(r.tagName)){const t=r.textContent.split(o),i=t.length-1;if(i>0){r.textContent=s?s.emptyScript:"";for(let s=0;s<i;s++)r.append(t[s],c()),P.nextNode(),d.push({type:2,index:++l});r.append(t[i],c())}}', ''],
    [LH, '||t.capture!==s.capture||t.once!==s.once||t.passive!==s.passive', ''],
    [LH, 'handleEvent(t){"function"==typeof this._$AH?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}', 'handleEvent(t){this._$AH.call(this.options?.host??this.element,t)}'],
    // What serves directives only (their connection to the DOM, their view of the parts): see above.
    [LE, 'connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}', ''],
    [LE, 'this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),', ''],
    [LH, 'setConnected(t){void 0===this._$AM&&(this._$Cv=t,this._$AP?.(t))}', ''],
    [LH, '_$AR(t=this._$AA.nextSibling,s){for(this._$AP?.(!1,!0,s);', '_$AR(t=this._$AA.nextSibling){for(;'],
    [LH, 'get _$AU(){return this._$AM?._$AU??this._$Cv}', ''],
    [LH, ',this._$Cv=e?.isConnected??!0', ''],
    [LH, 'get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}', ''],
    [LH, 'get parentNode(){let t=this._$AA.parentNode;const i=this._$AM;return void 0!==i&&11===t?.nodeType&&(t=i.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}', ''],
    [LH, 'get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}', ''],
    [LH, 'get _$AU(){return this._$AM._$AU}_$AI(t){M(this,t)}', '_$AI(t){}'],
    [CSS, 'e=t.ShadowRoot&&(void 0===t.ShadyCSS||t.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype', 'e=!0'],
    // @lit/task as the elements and the files they load make and use tasks (see above).
    [TASK, 'this.m=h.argsEqual??r,this.k=h.onComplete,', 'this.m=r,'],
    [TASK, ',this.autoRun=h.autoRun??!0,"initialValue"in h&&(this.u=h.initialValue,this.i=2,this.O=this.T?.())', ''],
    [TASK, 'hostUpdate(){!0===this.autoRun&&this.S()}hostUpdated(){"afterUpdate"===this.autoRun&&this.S()}', 'hostUpdate(){this.S()}'],
    [TASK, 'throw Error("The args function must return an array")', 'throw Error("args")'],
    [TASK, '"afterUpdate"===this.autoRun?queueMicrotask((()=>this._.requestUpdate())):this._.requestUpdate()', 'this._.requestUpdate()'],
    [TASK, 'try{this.k?.(s)}catch{}', ''],
    [TASK, 'abort(t){1===this.i&&this.q?.abort(t)}', ''],
    [TASK, 'render(t){switch(this.i){case 0:return t.initial?.();case 1:return t.pending?.();case 2:return t.complete?.(this.value);case 3:return t.error?.(this.error);default:throw Error("Unexpected status: "+this.i)}}', ''],
  ];
  return {
    name: 'lit-trimmed',
    transform(code, id) {
      if (ours(id)) {
        litTemplatesChecked.transform.call(this, code, id);
        // Every class's `static properties` of the module (readyhand-element.ts has two), each a block of its own lines.
        const blocks = [...code.matchAll(/static (?:override )?properties[^=]*=\s*\{([\s\S]*?)\n  \};/g)].map((m) => m[1]);
        if (blocks.length < (code.match(/^\s*static\s+(?:override\s+)?(?:get\s+)?properties\b/gm) ?? []).length) this.error(`${id}: a \`static properties\` litTrimmed cannot read (one block of its own lines, \`= {\` to \`  };\`)`);
        for (const declared of blocks) {
          if (/\b(?:type|converter)\s*:/.test(declared)) this.error(`${id}: a property with a type or converter needs the converter litTrimmed cuts`);
          if (/\b(?:state|noAccessor|useDefault|hasChanged)\s*:|\[/.test(declared)) this.error(`${id}: a property option or a symbol key that litTrimmed cuts`);
          for (const [, name] of declared.matchAll(/^\s*(\w+)\s*:/gm)) {
            if (new RegExp(`\\b[gs]et ${name}\\s*\\(`).test(code)) this.error(`${id}: an accessor of its own for the property ${name} needs what litTrimmed cuts`);
          }
        }
        return null;
      }
      const own = cuts.filter(([file]) => id.endsWith(file));
      if (!own.length) return null;
      for (const [, long, short] of own) {
        if (!code.includes(long)) this.error(`${id} no longer holds ${long}: look at litTrimmed in rollup.config.mjs again`);
        code = code.replace(long, short);
      }
      // Cut where it stands, on the line it is on: Lit's own source map still holds.
      return { code, map: null };
    },
  };
};

/** A module of ours, in packages/<package>/src (its folders included). */
const ours = (id) => /\/packages\/[^/]+\/src\/.+\.ts$/.test(id);

/**
 * Fails the build where a module of ours (in a bundle or a file loaded on demand, whose templates the
 * bundle's Lit renders) starts to use what `litTrimmed` cuts from lit-html: a directive, the `svg` or
 * `mathml` tag, a binding in the text of a raw-text element, an event listener object; or from
 * @lit/task: the options `autoRun`, `initialValue`, `onComplete`, `argsEqual`.
 */
const litTemplatesChecked = {
  name: 'lit-templates-checked',
  transform(code, id) {
    if (!ours(id)) return null;
    const uses = [
      [/from\s*['"](?:lit|lit-html)\/(?:async-)?directives?\b/, 'a directive'],
      [/\b(?:svg|mathml)`/, 'the svg or mathml tag'],
      // `${` between such a tag and its end (the tag's own attribute bindings skipped), crossing no other of them.
      [/<(textarea|title|style|script)\b(?:[^>$]|\$(?!\{)|\$\{[^}]*\})*>(?:(?!<\/?\1\b)[\s\S])*?\$\{(?:(?!<\1\b)[\s\S])*?<\/\1>/, 'a binding in the text of a raw-text element'],
      [/\bhandleEvent\b/, 'an event listener object'],
      // And of @lit/task: a task with an option cut (a task's abort() or render(), cut too, would fail where called: `is not a function`).
      [/\b(?:autoRun|initialValue|onComplete|argsEqual)\s*:/, 'a task with an option of @lit/task'],
    ].filter(([re]) => re.test(code));
    for (const [, what] of uses) this.error(`${id}: ${what} needs what litTrimmed in rollup.config.mjs cuts from Lit`);
    return null;
  },
};

/** A one-script-tag bundle in packages/widgets/dist: Lit inside, minified, with a source map and a .gz. */
const allInOne = (name, input) => ({
  input,
  output: { dir: 'packages/widgets/dist', entryFileNames: `${name}.js`, format: 'es', sourcemap: true },
  plugins: [
    localesBeside(),
    msgIsTranslate(),
    litTrimmed(),
    resolve(),
    typescript(),
    // Whitespace inside html`` and css`` templates is a large share of a widget's bytes.
    literalsHtmlCssMinifier(),
    minify(),
    precompress(),
  ],
});

/** One language's translations, built alone so that it shares no chunk with the others. */
const locale = (name) => ({
  input: `packages/core/src/locales/${name}.ts`,
  output: { dir: 'packages/widgets/dist/locales', format: 'es', sourcemap: true },
  plugins: [
    // The generated modules import `str` from @lit/localize: take only that function, inside each file.
    { name: 'str-only', resolveId: (source) => (source === '@lit/localize' ? fileURLToPath(import.meta.resolve('@lit/localize/internal/str-tag.js')) : null) },
    typescript(),
    minify(),
    precompress(),
  ],
});

/**
 * A module loaded on demand (packages/core/src/report-form.ts, say), built alone: it imports
 * nothing at run time (Lit and the like come from the bundle that loads it), so every bundle shares it.
 * The forms import API calls from @readyhand/core: those are taken from api-client.ts alone and
 * built in (an import of anything else of the package fails the build).
 */
const lazyChunk = (path) => ({
  input: `packages/${path}`,
  output: { dir: 'packages/widgets/dist', format: 'es', sourcemap: true },
  plugins: [
    litTemplatesChecked,
    { name: 'api-calls', resolveId: (source) => (source === '@readyhand/core' ? fileURLToPath(new URL('packages/core/src/api-client.ts', import.meta.url)) : null) },
    typescript(),
    literalsHtmlCssMinifier(),
    minify(),
    precompress(),
  ],
});

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

// <readyhand-moderation>, for the moderators' page the API serves at /moderate: a bundle of
// its own with Lit inside, never part of widgets.js (whose budget it would eat). Served at
// /moderation.js, it fetches the same /locales/<code>.js as the widgets, and only for a
// moderator who reads German, Spanish or French.
const moderationBundle = {
  ...allInOne('moderation', 'packages/moderation/src/readyhand-moderation.ts'),
  output: { file: 'packages/moderation/dist/moderation.js', format: 'es', sourcemap: true },
};

export default [
  allInOne('widgets', 'packages/widgets/src/widgets.ts'),
  allInOne('ask-expert', 'packages/ask-expert/src/ask-expert.ts'),
  allInOne('share-tip', 'packages/share-tip/src/share-tip.ts'),
  allInOne('kudos-wall', 'packages/kudos-wall/src/kudos-wall.ts'),
  ...['de', 'es', 'fr'].map(locale),
  ...lazyChunks.map(([, chunk]) => lazyChunk(chunk)),
  library('core', ['index', 'provider']),
  library('ask-expert', ['ask-expert', 'ask-expert.component']),
  library('kudos-wall', ['kudos-wall', 'kudos-wall.component']),
  library('share-tip', ['share-tip', 'share-tip.component']),
  moderationBundle,
];
