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

/** "3 minutes ago", "yesterday", in the language of the widget rendering (see localize.ts `useLocale`). */
export function relativeTime(iso: string, now = Date.now()): string {
  const locale = activeLocale;
  const seconds = (Date.parse(iso) - now) / 1000;
  // Making a formatter costs far more than formatting (a 50-card wall spent most of its render here): one per language.
  const rtf = (formats[locale] ??= new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
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
export const plural = (count: number, one: string, other: string) =>
  (rules[activeLocale] ??= new Intl.PluralRules(activeLocale)).select(count) === 'one' ? one : other;

/** Up to two initials of a display name, for an avatar without a picture. */
export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');
