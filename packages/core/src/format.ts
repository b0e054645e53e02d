import { activeLocale } from './localize.js';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

const formats: Record<string, Intl.RelativeTimeFormat> = {};

// Making a formatter costs far more than formatting (a 50-card wall spent most of its render here): one per language.
const formatOf = (locale: string) => (formats[locale] ??= new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));

/** "3 minutes ago", "yesterday", in the language of the widget rendering (see localize.ts `useLocale`). */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000;
  const rtf = formatOf(activeLocale);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(0, 'second');
}

/** Plural rules, one per language: made once, like the time formatters (a wall of 50 cards asks hundreds of times). */
const rules: Record<string, Intl.PluralRules> = {};

/**
 * The `one` or the `other` form of a message about `count` things, by the plural
 * rules of the language the widget speaks: `plural(n, msg(str`${n} answer`), msg(str`${n} answers`))`
 * says "1 answer" and "0 answers", and in French "0 réponse". The languages
 * Readyhand speaks need no other forms (`many`, French for a million, takes `other`).
 */
export const plural = (count: number, one: string, other: string) => rulesOf(activeLocale).select(count) === 'one' ? one : other;

const rulesOf = (locale: string) => (rules[locale] ??= new Intl.PluralRules(locale));

/**
 * Makes the language's formatter and plural rules, and uses each once, while
 * the page is idle: the first use loads the language's data, which took
 * tens to hundreds of milliseconds of a 50-card wall's first render on a
 * busy machine. Called as a widget connects, so it runs while its data loads.
 */
export const warmUp = (locale: string) => {
  if (formats[locale]) return;
  (window.requestIdleCallback ?? setTimeout)(() => {
    rulesOf(locale).select(0);
    formatOf(locale).format(0, 'second');
  });
};

/** Up to two initials of a display name, for an avatar without a picture. */
export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');
