/**
 * The widgets' languages: @lit/localize's runtime `msg()`, with the language
 * chosen per widget by `lang` rather than once per page. English is built in;
 * German, Spanish and French are loaded on demand, each from a module of its
 * own (`locales/de.js` beside `widgets.js`), so an English page downloads
 * nothing more.
 *
 * The translations are generated: `npm run locales` extracts every `msg()` into
 * `xliff/<locale>.xlf` and, once translated there, writes `./locales/<locale>.ts`.
 */
import type { LocaleModule, MsgFn, StrResult } from '@lit/localize';
import { _installMsgImplementation } from '@lit/localize/init/install.js';
import { joinStringsAndValues } from '@lit/localize/internal/str-tag.js';
import { sourceLocale } from './locales/locale-codes.js';

type Templates = LocaleModule['templates'];

// Literal paths, so that bundlers see each module (the build keeps them apart from widgets.js).
const loaders: Record<string, () => Promise<LocaleModule>> = {
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
};

/** Each language's translations once loaded (a language that failed to load stays English), or its loading. */
const translations: Record<string, Templates | Promise<unknown>> = { [sourceLocale]: {} };
let active: Templates = {};

/** The language `msg()`, `plural()` and relative times speak now. */
export let activeLocale = sourceLocale;

// A translation is looked up by its English text (a str`` template's parts joined by U+001E,
// the text lit-localize hashes into its ids): `npm run locales` keys the generated modules so,
// and the widgets carry no hash function.
/** What `msg()` does: @lit/localize's `msg` once installed, and in the bundles `msg` itself (see rollup.config.mjs). */
export const translate = ((template: string | StrResult) => {
  const english = typeof template == 'string';
  const localized = active[english ? template : template.strings.join('\x1e')] as string | StrResult | undefined;
  if (typeof localized == 'string') return localized;
  return english ? template : joinStringsAndValues((localized ?? template).strings, template.values, localized?.values as number[]);
}) as MsgFn;
_installMsgImplementation(translate);

/** The language Readyhand speaks for a BCP 47 tag: `de-CH` gives `de`, a language without translations English. */
export const supportedLocale = (tag: string) => {
  const language = tag.split('-')[0]!.toLowerCase();
  return language in loaders ? language : sourceLocale;
};

/**
 * Makes `locale` (a supported one) the language `msg()` translates into, if its
 * translations are here; else starts loading them and returns a promise that
 * settles once they have arrived (or failed to: then the language stays English).
 */
export function useLocale(locale: string): Promise<unknown> | undefined {
  const templates = translations[locale];
  if (templates instanceof Promise) return templates;
  if (!templates) {
    return (translations[locale] = loaders[locale]!().then(
      (module) => (translations[locale] = module.templates),
      () => (translations[locale] = {}),
    ));
  }
  active = templates;
  activeLocale = locale;
  return undefined;
}
