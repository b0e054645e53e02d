import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'turso',
  schema: './api/src/db/schema/*.ts',
  out: './api/drizzle',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'file:./data/readyhand.db' },
});
