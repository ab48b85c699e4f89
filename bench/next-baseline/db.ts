import postgres from "postgres";

const globalForSql = globalThis as unknown as { __benchSql?: ReturnType<typeof postgres> };
export const sql = (globalForSql.__benchSql ??= postgres(process.env.DATABASE_URL ?? "", { max: 10, onnotice: () => {} }));
