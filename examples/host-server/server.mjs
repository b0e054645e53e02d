// A host page's own server, as an integrator would write it: it knows who is logged in
// (here: a pretend company login kept in a cookie) and mints a short-lived identity
// token for Readyhand, signed HS256 with the site's secret. The secret never reaches
// the browser.
//
//   DEMO_SITE_SECRET=… node examples/host-server/server.mjs
//
// Environment: DEMO_SITE_SECRET (the `demo` site's secret that `npm start` printed),
// READYHAND_API (default http://localhost:8787), PORT (default 8788).
import { createServer } from 'node:http';
import { sign } from 'hono/jwt';

const secret = process.env.DEMO_SITE_SECRET;
if (!secret) {
  console.error('Set DEMO_SITE_SECRET to the demo site secret that `npm start` printed.');
  process.exit(1);
}
const api = process.env.READYHAND_API ?? 'http://localhost:8787';
const port = Number(process.env.PORT ?? 8788);
const site = 'demo';

// The host's own user directory. `expert_topics` routes questions to the right people.
const people = {
  priya: { name: 'Priya Raman', expert_topics: ['kubernetes'], roles: [] },
  tom: { name: 'Tom Becker', expert_topics: [], roles: [] },
  mod: { name: 'Morgan Lee', expert_topics: [], roles: ['moderator'] },
};

/** The recipe: claims as DESIGN.md lists them, at most 24 h between iat and exp. */
export async function mintIdentityToken(userId) {
  const person = people[userId];
  const now = Math.floor(Date.now() / 1000);
  return sign(
    {
      sub: userId,
      name: person.name,
      site,
      iat: now,
      exp: now + 60 * 60,
      roles: person.roles,
      expert_topics: person.expert_topics,
      jti: crypto.randomUUID(),
    },
    secret,
    'HS256',
  );
}

const page = (userId, token) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Host page with a signed identity</title>
  <script type="module" src="${api}/widgets.js"></script>
  <style>body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; }</style>
</head>
<body>
  <p>Logged in to the host as <strong>${people[userId].name}</strong>.
     Switch: ${Object.keys(people).map((id) => `<a href="/login?as=${id}">${people[id].name}</a>`).join(' · ')}</p>
  <readyhand-provider api="${api}" site="${site}" token="${token}">
    <ask-expert topic="kubernetes"></ask-expert>
  </readyhand-provider>
</body>
</html>`;

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://localhost:${port}`);
  if (url.pathname === '/login') {
    const as = url.searchParams.get('as');
    const userId = as && as in people ? as : 'tom';
    res.writeHead(302, { 'set-cookie': `host_user=${userId}; HttpOnly; SameSite=Lax; Path=/`, location: '/' });
    return res.end();
  }
  const cookie = /(?:^|;\s*)host_user=(\w+)/.exec(req.headers.cookie ?? '')?.[1];
  const userId = cookie && cookie in people ? cookie : 'tom';
  if (url.pathname === '/readyhand-token') {
    // For `token-url`: the widget fetches a fresh token here with the host's cookies.
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    return res.end(JSON.stringify({ token: await mintIdentityToken(userId) }));
  }
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    return res.end(page(userId, await mintIdentityToken(userId)));
  }
  res.writeHead(404).end('not found');
}).listen(port, () => console.log(`Host page on http://localhost:${port}/ (API ${api})`));
