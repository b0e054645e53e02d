/**
 * The topic key of a page: its path without extension or trailing slash,
 * lower-cased, reduced to the characters a topic key may hold
 * (`/examples/intranet.html` → `examples/intranet`, `/` → `home`).
 */
export function deriveTopicFromPath(pathname: string): string {
  const key = pathname
    .toLowerCase()
    .replace(/\/+$/, '')
    .replace(/\.[a-z0-9]+$/, '')
    .replace(/[^a-z0-9._~\-/]/g, '')
    .replace(/\/{2,}/g, '/')
    .replace(/^\/+|\/+$/g, '')
    .slice(0, 200);
  return key || 'home';
}
