import { defineConfig } from "drizzle-kit";

// `npm run db:generate` writes migrations from the schema; `npx drizzle-kit migrate` applies
// them to DATABASE_URL (the app also applies them on start).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "" },
});
