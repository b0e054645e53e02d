import { and, eq, inArray } from 'drizzle-orm';
import { indexListedQuestions } from '../lib/fts';
import { newId } from '../lib/ids';
import { nameKey } from '../lib/people';
import { writeTransaction, type Tx } from '../lib/write-lock';
import type { Db } from './client';
import { answers, answerVotes, kudos, kudosReactions, questions, questionVotes, sites, tipHelpful, tips, tipTags, users } from './schema/index';

interface SeedQuestion {
  topic: string;
  title: string;
  body: string;
  by: string;
  anonymous?: boolean;
  votes?: string[];
  answers: Array<{ by: string; body: string; votes?: string[]; accepted?: boolean }>;
}

const people = {
  amira: { name: 'Amira Haddad', expertTopics: ['kubernetes', 'examples/intranet'], roles: [] },
  jonas: { name: 'Jonas Berg', expertTopics: ['kubernetes'], roles: [] },
  priya: { name: 'Priya Natarajan', expertTopics: [], roles: ['moderator'] },
  tomas: { name: 'Tomás Ruiz', expertTopics: [], roles: [] },
  lea: { name: 'Léa Martin', expertTopics: [], roles: [] },
} as const;
type Person = keyof typeof people;

const content: Array<SeedQuestion & { by: Person }> = [
  {
    topic: 'kubernetes',
    title: 'How do I roll back a deployment that is stuck?',
    body: 'My rollout has been "Waiting for deployment to finish" for ten minutes and the new pods keep crashing. What is the safe way back?',
    by: 'tomas',
    votes: ['lea', 'jonas'],
    answers: [
      { by: 'jonas', body: 'Run `kubectl rollout undo deployment/<name>`: it goes back to the previous ReplicaSet. Then `kubectl rollout status` to watch it settle.', votes: ['tomas', 'lea'], accepted: true },
      { by: 'lea', body: 'Check `kubectl describe pod` first, the events usually say why the new pods crash (often a missing secret).' },
    ],
  },
  {
    topic: 'kubernetes',
    title: 'What is the difference between a Service and an Ingress?',
    body: 'Both seem to expose my pods. When do I need which one?',
    by: 'lea',
    anonymous: true,
    votes: ['tomas'],
    answers: [
      { by: 'amira', body: 'A Service gives pods one stable address inside the cluster. An Ingress routes outside HTTP traffic (host names, paths, TLS) to Services. You usually need both.', votes: ['lea'] },
    ],
  },
  {
    topic: 'kubernetes',
    title: 'Why is my pod pending with "Insufficient cpu"?',
    body: 'The node looks almost idle in the dashboard, yet the scheduler refuses to place the pod.',
    by: 'tomas',
    answers: [],
  },
  {
    topic: 'examples/intranet',
    title: 'Can I deploy on a Friday afternoon?',
    body: 'Our fix is ready but the release calendar says "no Friday deploys". Does that apply to small patches too?',
    by: 'tomas',
    votes: ['lea'],
    answers: [
      {
        by: 'amira',
        body: 'Patches with a rollback plan are fine until 15:00. The pipeline stops the rollout on a failed health check and keeps the previous version serving, so the risk is low.',
        votes: ['tomas'],
        accepted: true,
      },
    ],
  },
  {
    topic: 'examples/intranet',
    title: 'Where do the secrets in service.yaml come from?',
    body: 'The guide shows name, port and replicas, but my service needs a database password.',
    by: 'lea',
    answers: [{ by: 'jonas', body: 'Add a `secrets:` list with the names from the vault; the platform mounts them as environment variables at start.' }],
  },
  {
    topic: 'examples/intranet',
    title: 'Is it normal that my first rollout takes 15 minutes?',
    body: '',
    by: 'tomas',
    anonymous: true,
    answers: [],
  },
];

interface SeedTip {
  topic: string;
  body: string;
  by: Person;
  tags: string[];
  helpful?: Person[];
}

/** Tips in the markdown subset the widget renders: bold, `code`, lists and https links. */
const tipContent: SeedTip[] = [
  {
    topic: 'kubernetes',
    body: 'Before `kubectl apply`, run `kubectl diff -f deploy.yaml`: it shows **exactly** what would change on the cluster, so a stray edit never ships by accident.',
    by: 'jonas',
    tags: ['kubectl', 'safety'],
    helpful: ['tomas', 'lea', 'amira'],
  },
  {
    topic: 'kubernetes',
    body: 'Pod stuck in `CrashLoopBackOff`? The logs of the **previous** container tell you why:\n\n- `kubectl logs <pod> --previous`\n- `kubectl describe pod <pod>` for the events',
    by: 'amira',
    tags: ['debugging', 'kubectl'],
    helpful: ['tomas', 'lea'],
  },
  {
    topic: 'kubernetes',
    body: 'Set CPU and memory **requests** on every container. Without them the scheduler packs pods blindly, and "Insufficient cpu" shows up on a node that looks idle. See https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
    by: 'lea',
    tags: ['resources', 'scheduling'],
    helpful: ['jonas'],
  },
  {
    topic: 'kubernetes',
    body: 'Tired of typing `-n my-namespace`? `kubectl config set-context --current --namespace=my-namespace` makes it the default for your current context.',
    by: 'tomas',
    tags: ['kubectl', 'productivity'],
  },
  {
    topic: 'examples/intranet',
    body: 'Keep `service.yaml` next to your code and let the **pipeline** validate it: a typo in `port` fails the build in seconds instead of the rollout in minutes.',
    by: 'amira',
    tags: ['service-yaml', 'pipeline'],
    helpful: ['tomas', 'lea', 'jonas'],
  },
  {
    topic: 'examples/intranet',
    body: 'Make `health: /healthz` check what your service **really** needs (database, queue). The rollout only stops on a failed health check if the check can fail.',
    by: 'jonas',
    tags: ['rollouts', 'health-checks'],
    helpful: ['amira'],
  },
  {
    topic: 'examples/intranet',
    body: 'Pin the service dashboard before you deploy. The three panels that matter:\n\n- error rate\n- p95 latency\n- restarts per pod',
    by: 'lea',
    tags: ['dashboards', 'rollouts'],
  },
  {
    topic: 'examples/how-to',
    body: 'Write the timeline **in UTC** and straight from the chat log and the deploy history, not from memory. Memory tidies things up; logs do not.',
    by: 'priya',
    tags: ['timeline', 'postmortem'],
    helpful: ['tomas', 'lea'],
  },
  {
    topic: 'examples/how-to',
    body: 'Every action item gets **one** owner and a date. "The team will look into it" is how the same incident happens twice.',
    by: 'jonas',
    tags: ['actions', 'postmortem'],
    helpful: ['priya', 'amira', 'tomas'],
  },
  {
    topic: 'examples/how-to',
    body: 'Swap "why did you do that?" for "what made this the reasonable thing to do at the time?". The handbook has a list of blameless questions: https://sre.google/sre-book/postmortem-culture/',
    by: 'amira',
    tags: ['blameless'],
  },
];

interface SeedKudos {
  wall: string;
  from: Person;
  to: Person;
  message: string;
  badge: string;
  reactions?: Array<[Person, string]>;
  /** Thanks for the accepted answer of the seeded question with this title, asked by `from`. */
  forQuestion?: string;
}

const kudosContent: SeedKudos[] = [
  {
    wall: 'platform-team',
    from: 'jonas',
    to: 'amira',
    message: 'Thank you for pairing with me on the ingress migration: two hours with you saved me two days of guessing.',
    badge: 'mentor',
    reactions: [['tomas', '👏'], ['lea', '👏'], ['priya', '🎉']],
  },
  {
    wall: 'platform-team',
    from: 'lea',
    to: 'jonas',
    message: 'The rollback runbook you wrote got us out of last night\'s incident in five minutes.',
    badge: 'problem-solver',
    reactions: [['amira', '🙌'], ['tomas', '💡']],
  },
  {
    wall: 'platform-team',
    from: 'priya',
    to: 'tomas',
    message: 'Stayed late to move the staging cluster so the rest of us could ship on Monday. Above and beyond!',
    badge: 'above-and-beyond',
    reactions: [['jonas', '❤️']],
  },
  {
    wall: 'examples/intranet',
    from: 'tomas',
    to: 'amira',
    message: 'Your answer about Friday deploys got our fix out safely before the weekend. Thank you!',
    badge: 'helpful',
    reactions: [['lea', '👏'], ['jonas', '🎉']],
    forQuestion: 'Can I deploy on a Friday afternoon?',
  },
  {
    wall: 'examples/intranet',
    from: 'lea',
    to: 'jonas',
    message: 'Thanks for explaining where the secrets in service.yaml come from, and for not laughing at the question.',
    badge: 'team-player',
  },
];

/** The demo people of `siteId`, created where missing; their ids by seed key. */
async function seedPeople(tx: Tx, siteId: string, at: () => string): Promise<Record<Person, string>> {
  for (const [key, p] of Object.entries(people) as Array<[Person, (typeof people)[Person]]>) {
    const created = at();
    await tx
      .insert(users)
      .values({ id: newId(), siteId, subject: `seed:${key}`, name: p.name, nameKey: nameKey(p.name), guest: false, roles: [...p.roles], expertTopics: [...p.expertTopics], createdAt: created, updatedAt: created })
      .onConflictDoNothing();
  }
  const rows = await tx
    .select({ id: users.id, subject: users.subject })
    .from(users)
    .where(and(eq(users.siteId, siteId), inArray(users.subject, Object.keys(people).map((key) => `seed:${key}`))));
  return Object.fromEntries(rows.map((r) => [r.subject.slice('seed:'.length), r.id])) as Record<Person, string>;
}

async function seedQuestions(tx: Tx, siteId: string, ids: Record<Person, string>, at: () => string): Promise<void> {
  for (const q of content) {
    const qid = newId();
    const created = at();
    await tx.insert(questions).values({ id: qid, siteId, topic: q.topic, title: q.title, body: q.body, authorId: ids[q.by], anonymous: q.anonymous ?? false, votes: q.votes?.length ?? 0, answerCount: q.answers.length, createdAt: created, updatedAt: created });
    for (const voter of q.votes ?? []) await tx.insert(questionVotes).values({ questionId: qid, userId: ids[voter as Person], createdAt: created });
    for (const a of q.answers) {
      const aid = newId();
      const answered = at();
      await tx.insert(answers).values({ id: aid, questionId: qid, authorId: ids[a.by as Person], body: a.body, expert: (people[a.by as Person].expertTopics as readonly string[]).includes(q.topic), votes: a.votes?.length ?? 0, createdAt: answered });
      for (const voter of a.votes ?? []) await tx.insert(answerVotes).values({ answerId: aid, userId: ids[voter as Person], createdAt: answered });
      if (a.accepted) await tx.update(questions).set({ acceptedAnswerId: aid, status: 'answered', updatedAt: answered }).where(eq(questions.id, qid));
    }
  }
}

async function seedTips(tx: Tx, siteId: string, ids: Record<Person, string>, at: () => string): Promise<void> {
  for (const t of tipContent) {
    const id = newId();
    const created = at();
    await tx.insert(tips).values({ id, siteId, topic: t.topic, body: t.body, authorId: ids[t.by], helpfulCount: t.helpful?.length ?? 0, createdAt: created, updatedAt: created });
    await tx.insert(tipTags).values(t.tags.map((tag, position) => ({ tipId: id, siteId, topic: t.topic, tag, position })));
    for (const marker of t.helpful ?? []) await tx.insert(tipHelpful).values({ tipId: id, userId: ids[marker], createdAt: created });
  }
}

async function seedKudos(tx: Tx, siteId: string, ids: Record<Person, string>, at: () => string): Promise<void> {
  const [site] = await tx.select({ kudosBadges: sites.kudosBadges, reactions: sites.reactions }).from(sites).where(eq(sites.id, siteId));
  for (const k of kudosContent) {
    let forAnswerId: string | null = null;
    if (k.forQuestion) {
      const [q] = await tx
        .select({ answerId: questions.acceptedAnswerId })
        .from(questions)
        .where(and(eq(questions.siteId, siteId), eq(questions.title, k.forQuestion), eq(questions.authorId, ids[k.from]), eq(questions.anonymous, false)));
      forAnswerId = q?.answerId ?? null;
    }
    const id = newId();
    const created = at();
    // A site with its own badge and reaction sets gets the first of them instead.
    const badge = site!.kudosBadges.includes(k.badge) ? k.badge : site!.kudosBadges[0]!;
    await tx.insert(kudos).values({ id, siteId, wall: k.wall, fromUserId: ids[k.from], toUserId: ids[k.to], message: k.message, badge, forAnswerId, createdAt: created });
    const reactions = (k.reactions ?? []).filter(([, emoji]) => site!.reactions.includes(emoji));
    for (const [person, emoji] of reactions) await tx.insert(kudosReactions).values({ kudosId: id, userId: ids[person], emoji, createdAt: created });
  }
}

/**
 * Seeds demo people, questions with answers, tips and kudos into a site. Each kind
 * of content goes only where the site has none of it yet, so seeding again
 * changes nothing, and an older demo database gains the kinds added since.
 */
export async function seedDemoContent(db: Db, siteId: string): Promise<boolean> {
  const seeded = await writeTransaction(db, async (tx) => {
    // Whether the site has any: the first row found, not a count (no index of questions starts with the site).
    const has = async (t: typeof questions | typeof tips | typeof kudos) => (await tx.select({ id: t.id }).from(t).where(eq(t.siteId, siteId)).limit(1)).length > 0;
    const [hasQuestions, hasTips, hasKudos] = [await has(questions), await has(tips), await has(kudos)];
    if (hasQuestions && hasTips && hasKudos) return false;
    const start = Date.now() - 1000 * 60 * 60 * 24 * 3;
    let minute = 0;
    const at = () => new Date(start + (minute += 47) * 60_000).toISOString();
    const ids = await seedPeople(tx, siteId, at);
    if (!hasQuestions) await seedQuestions(tx, siteId, ids, at);
    if (!hasTips) await seedTips(tx, siteId, ids, at);
    if (!hasKudos) await seedKudos(tx, siteId, ids, at);
    return true;
  });
  // Its questions indexed for search now, as an ask's are shortly after (lib/fts.ts).
  if (seeded) await indexListedQuestions(db);
  return seeded;
}
