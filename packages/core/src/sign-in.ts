import type { Session } from '@readyhand/api/schemas';
import { requestSession, type ApiClient, type ApiError } from './api-client.js';

/** Who signs in: the host's identity token, or one fetched from the host's own URL (with its cookies), or a guest name. */
export interface Credentials {
  token?: string;
  tokenUrl?: string;
  guestName?: string;
}

/**
 * A session of `site` for `credentials` from `client`'s API. A module of its own,
 * loaded at the first sign-in of a page (a host's token, a guest joining), which
 * no first render waits for: the build writes it beside the bundles as
 * `sign-in.js`. It imports nothing at run time (`Error` is the bundle's
 * `ApiError`, whose failures every widget knows how to show), so one file serves
 * every bundle.
 */
export default async function signIn(client: ApiClient, Error: typeof ApiError, site: string, { token, tokenUrl, guestName }: Credentials): Promise<Session> {
  if (tokenUrl) {
    const res = await fetch(tokenUrl, { credentials: 'include' });
    // The host refused (typically: nobody is signed in to the host site): say so, rather
    // than send its error page to the API as if it were a token.
    if (!res.ok) {
      throw new Error(res.status, 'unauthorized', 'the host page gave no identity token', [
        { field: 'token-url', rule: 'refused', message: `token-url answered ${res.status}` },
      ]);
    }
    const text = (await res.text()).trim();
    token = text.startsWith('{') ? JSON.parse(text).token : text;
  }
  return requestSession(client, guestName ? { site, guestName } : { site, token: token! });
}
