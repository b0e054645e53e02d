import { count, eq } from 'drizzle-orm';
import { newId } from '../lib/ids';
import { writeTransaction } from '../lib/write-lock';
import type { Db } from './client';
import { answers, answerVotes, questions, questionVotes, users } from './schema/index';

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

/** Seeds demo people, questions and answers into a site that has no questions yet. */
export async function seedDemoContent(db: Db, siteId: string): Promise<boolean> {
  const [existing] = await db.select({ n: count() }).from(questions).where(eq(questions.siteId, siteId));
  if (existing!.n > 0) return false;
  await writeTransaction(db, async (tx) => {
    const ids = {} as Record<Person, string>;
    const start = Date.now() - 1000 * 60 * 60 * 24 * 3;
    let minute = 0;
    const at = () => new Date(start + (minute += 47) * 60_000).toISOString();
    for (const [key, p] of Object.entries(people) as Array<[Person, (typeof people)[Person]]>) {
      ids[key] = newId();
      const created = at();
      await tx
        .insert(users)
        .values({ id: ids[key], siteId, subject: `seed:${key}`, name: p.name, guest: false, roles: [...p.roles], expertTopics: [...p.expertTopics], createdAt: created, updatedAt: created })
        .onConflictDoNothing();
    }
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
  });
  return true;
}
