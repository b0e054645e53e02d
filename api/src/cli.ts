/**
 * The `readyhand` command line:
 *
 *   readyhand site add <id> --origin <url> [--origin …] [--name N] [--guests] [--no-anonymous]
 *                           [--badge B …] [--reaction E …] [--premoderation off|guests|everyone]
 *   readyhand site set <id> [--premoderation off|guests|everyone] [--origin <url> …]
 *   readyhand site list
 *   readyhand site secret add <id>                 (prints a new secret; the old ones stay valid)
 *   readyhand site secret remove <id> <prefix>     (retires the secret starting with prefix)
 *   readyhand site secret list <id>                (prefixes and dates only)
 *   readyhand serve [--port P] [--default-site <id>] [--seed]
 *
 * The database is DATABASE_URL (default file:./data/readyhand.db).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_URL, openDatabase, type Db } from './db/client';
import { sites } from './db/schema/index';
import { seedDemoContent } from './db/seed';
import { addSiteSecret, createSite, findSite, removeSiteSecret, secretPrefixesOf, secretsOf } from './lib/sites';
import { eq } from 'drizzle-orm';
import { DEFAULT_BADGES, DEFAULT_REACTIONS, Premoderation, SiteId } from './schemas';
import { closed } from './lib/write-lock';
import { listen } from './server';

const usage = `usage:
  readyhand site add <id> --origin <url> [--origin <url> …] [--name <name>] [--guests] [--no-anonymous]
                     [--badge <badge> …] [--reaction <emoji> …]   (kudos badges and reactions; defaults
                     ${DEFAULT_BADGES.join(', ')} and ${DEFAULT_REACTIONS.join(' ')})
                     [--premoderation off|guests|everyone]   (whose new content waits for a moderator; default off)
  readyhand site set <id> [--premoderation off|guests|everyone] [--origin <url> …]   (--origin: the site's
                     origins from now on, all of them)
  readyhand site list
  readyhand site secret add <id>              a new signing secret; the old ones stay valid (rotation)
  readyhand site secret remove <id> <prefix>  retire the secret that starts with <prefix>
  readyhand site secret list <id>             the secrets' first characters and creation times
  readyhand serve [--port <port>] [--default-site <id>] [--seed]
                     (--default-site: the site of every widget without a site attribute; default demo)

environment: DATABASE_URL (default ${DEFAULT_DATABASE_URL}), DATABASE_AUTH_TOKEN, PORT (default 8787),
             READYHAND_DEFAULT_SITE (as --default-site),
             DEMO_SITE_SECRET (the demo site's secret when it is created), TRUSTED_PROXIES,
             READYHAND_WRITES_PER_MINUTE (60), READYHAND_ADDRESS_WRITES_PER_MINUTE (600),
             READYHAND_SIGNINS_PER_MINUTE (30)`;

class UsageError extends Error {}

const version = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

const database = () => openDatabase(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, process.env.DATABASE_AUTH_TOKEN);

function checkOrigin(origin: string): string {
  if (!/^https?:\/\/[^/:\s]+(:(\d{1,5}|\*))?$/i.test(origin)) {
    throw new UsageError(`--origin ${origin}: expected scheme://host[:port], e.g. https://intranet.example.com or http://localhost:*`);
  }
  return origin;
}

/** Badges are keys the widget translates or shows as they are: like tags, lower-case words joined by `-`. */
function checkBadge(badge: string): string {
  if (!/^[\p{Ll}\p{N}][\p{Ll}\p{N}-]{0,39}$/u.test(badge)) throw new UsageError(`--badge ${badge}: expected lower-case letters, digits and -, at most 40`);
  return badge;
}

/** A reaction is one emoji (with its modifiers and joiners), as the reactions route compares it. */
function checkReaction(emoji: string): string {
  const graphemes = [...new Intl.Segmenter().segment(emoji)];
  if (graphemes.length !== 1 || !/\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(emoji) || emoji.length > 16) {
    throw new UsageError(`--reaction ${emoji}: expected one emoji`);
  }
  return emoji;
}

async function siteAdd(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      origin: { type: 'string', multiple: true },
      name: { type: 'string' },
      guests: { type: 'boolean', default: false },
      'no-anonymous': { type: 'boolean', default: false },
      badge: { type: 'string', multiple: true },
      reaction: { type: 'string', multiple: true },
      premoderation: { type: 'string' },
    },
  });
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new UsageError('site add takes one site id');
  const premoderation = values.premoderation === undefined ? undefined : checkPremoderation(values.premoderation);
  if (!SiteId.safeParse(id).success) throw new UsageError(`site id ${id}: use lower-case letters, digits and dashes`);
  const origins = (values.origin ?? []).map(checkOrigin);
  if (origins.length === 0) throw new UsageError('site add needs at least one --origin');
  const badges = values.badge && [...new Set(values.badge.map(checkBadge))];
  const reactions = values.reaction && [...new Set(values.reaction.map(checkReaction))];
  const db = await database();
  try {
    if (await findSite(db, id)) throw new UsageError(`site ${id} exists already`);
    const { secret } = await createSite(db, {
      id,
      name: values.name,
      origins,
      guestsAllowed: values.guests,
      anonymousQuestionsAllowed: !values['no-anonymous'],
      kudosBadges: badges,
      reactions,
      premoderation,
    });
    console.log(`Created site ${id} (${origins.join(', ')})`);
    console.log(`Signing secret (HS256; keep it on the host's server, it is not shown again):`);
    console.log(secret);
  } finally {
    db.$client.close();
  }
}

function checkPremoderation(mode: string): Premoderation {
  const parsed = Premoderation.safeParse(mode);
  if (!parsed.success) throw new UsageError(`--premoderation ${mode}: expected off, guests or everyone`);
  return parsed.data;
}

/** `site set <id> --premoderation … --origin …`: settings that change after a site is created. */
async function siteSet(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { premoderation: { type: 'string' }, origin: { type: 'string', multiple: true } },
  });
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new UsageError('site set takes one site id');
  if (values.premoderation === undefined && values.origin === undefined) throw new UsageError('site set needs --premoderation or --origin');
  const premoderation = values.premoderation === undefined ? undefined : checkPremoderation(values.premoderation);
  const origins = values.origin && [...new Set(values.origin.map(checkOrigin))];
  const db = await database();
  try {
    if (!(await findSite(db, id))) throw new UsageError(`no site ${id}`);
    await db.update(sites).set({ premoderation, origins }).where(eq(sites.id, id));
    if (premoderation) console.log(`Site ${id}: pre-moderation ${premoderation}`);
    if (origins) console.log(`Site ${id}: origins ${origins.join(', ')}`);
  } finally {
    db.$client.close();
  }
}

async function siteList(): Promise<void> {
  const db = await database();
  try {
    const rows = await db.select().from(sites).orderBy(sites.id);
    if (rows.length === 0) console.log('no sites yet: readyhand site add <id> --origin <url>');
    for (const s of rows) {
      const flags = [s.guestsAllowed ? 'guests' : 'no guests', s.anonymousQuestionsAllowed ? 'anonymous questions' : 'no anonymous questions'];
      if (s.premoderation !== 'off') flags.push(`pre-moderation ${s.premoderation}`);
      const kudos = `badges ${s.kudosBadges.join(', ')}; reactions ${s.reactions.join(' ')}`;
      console.log(`${s.id}\t${s.name}\t${s.origins.join(' ')}\t${flags.join(', ')}\t${kudos}\t${(await secretsOf(db, s.id)).length} secret(s)`);
    }
  } finally {
    db.$client.close();
  }
}

/** `site secret add|remove|list`: rotating a site's signing secret without a moment where its tokens fail. */
async function siteSecret(args: string[]): Promise<void> {
  const [action, id, prefix, ...extra] = args;
  const arity = action === 'remove' ? 2 : 1;
  if (!action || !['add', 'remove', 'list'].includes(action) || !id || extra.length > 0 || (arity === 2) !== (prefix !== undefined)) {
    throw new UsageError('site secret takes add <id>, remove <id> <prefix> or list <id>');
  }
  const db = await database();
  try {
    if (!(await findSite(db, id))) throw new UsageError(`no site ${id}`);
    if (action === 'add') {
      const secret = await addSiteSecret(db, id);
      console.log(`Added a signing secret to site ${id}; the earlier ones stay valid until removed.`);
      console.log(`Signing secret (HS256; keep it on the host's server, it is not shown again):`);
      console.log(secret);
    } else if (action === 'remove') {
      const refusal = await removeSiteSecret(db, id, prefix!);
      if (refusal) throw new UsageError(refusal);
      console.log(`Removed the secret ${prefix}… of site ${id}: tokens signed with it are refused from now on.`);
    } else {
      for (const s of await secretPrefixesOf(db, id)) console.log(`${s.prefix}…\t${s.createdAt}`);
    }
  } finally {
    db.$client.close();
  }
}

/** The demo site the examples use: guests and anonymous questions allowed, any localhost port. */
async function ensureDemoSite(db: Db): Promise<void> {
  const wanted = process.env.DEMO_SITE_SECRET;
  if (await findSite(db, 'demo')) {
    // A demo database made before DEMO_SITE_SECRET was set: accept that secret too,
    // so the README's host-server example works without deleting the data.
    if (wanted && !(await secretsOf(db, 'demo')).includes(wanted)) {
      await addSiteSecret(db, 'demo', wanted);
      console.log("Added DEMO_SITE_SECRET to the demo site's signing secrets");
    }
    return;
  }
  const { secret } = await createSite(db, {
    id: 'demo',
    name: 'Readyhand demo',
    origins: ['http://localhost:*', 'http://127.0.0.1:*'],
    guestsAllowed: true,
    anonymousQuestionsAllowed: true,
    secret: process.env.DEMO_SITE_SECRET || undefined,
  });
  if (!process.env.DEMO_SITE_SECRET) console.log(`Created the demo site; its signing secret (shown once): ${secret}`);
  else console.log('Created the demo site with DEMO_SITE_SECRET');
}

/**
 * Per-minute limits an operator may set (a busy single sign-on gateway, a test rig
 * whose browsers all share one address): READYHAND_WRITES_PER_MINUTE (per person),
 * READYHAND_ADDRESS_WRITES_PER_MINUTE and READYHAND_SIGNINS_PER_MINUTE (per client address).
 */
function limitsFromEnvironment() {
  const perMinute = (name: string) => {
    const text = process.env[name];
    if (!text) return undefined;
    const limit = Number(text);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`${name}=${text}: expected a whole number of at least 1`);
    return { limit, windowMs: 60_000 };
  };
  return {
    writeLimit: perMinute('READYHAND_WRITES_PER_MINUTE'),
    addressWriteLimit: perMinute('READYHAND_ADDRESS_WRITES_PER_MINUTE'),
    sessionLimit: perMinute('READYHAND_SIGNINS_PER_MINUTE'),
  };
}

async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, 'default-site': { type: 'string' }, seed: { type: 'boolean', default: false } },
  });
  const defaultSite = values['default-site'] ?? (process.env.READYHAND_DEFAULT_SITE || 'demo');
  const portText = values.port ?? process.env.PORT ?? '8787';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${portText}: expected 0 to 65535`);

  const db = await database();
  await ensureDemoSite(db);
  if (!(await findSite(db, defaultSite))) {
    db.$client.close();
    throw new UsageError(`--default-site ${defaultSite}: no such site (readyhand site add ${defaultSite} --origin <url>)`);
  }
  if (values.seed && (await seedDemoContent(db, 'demo'))) console.log('Seeded demo questions, answers and tips');

  const running = await listen({ db, port, version, defaultSite, ...limitsFromEnvironment() });
  console.log(`Readyhand listening on ${running.url}`);
  console.log(`  default site  ${defaultSite} (of every widget without a site attribute)`);
  console.log(`  configurator  ${running.url}/`);
  console.log(`  widgets       ${running.url}/widgets.js`);
  console.log(`  example       ${running.url}/examples/intranet.html`);
  console.log(`  API           ${running.url}/v1/openapi.json`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    await running.close();
    db.$client.close();
    await closed(db);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  if (command === 'site' && sub === 'add') return siteAdd(rest);
  if (command === 'site' && sub === 'list') return siteList();
  if (command === 'site' && sub === 'set') return siteSet(rest);
  if (command === 'site' && sub === 'secret') return siteSecret(rest);
  if (command === 'serve') return serveCommand(argv.slice(1));
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(usage);
    return;
  }
  throw new UsageError(`unknown command: ${argv.join(' ')}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`readyhand: ${err.message}\n\n${usage}`);
    process.exit(2);
  }
  console.error(err);
  process.exit(1);
});
