import { expect, test } from "@playwright/test";
import { startNextServer } from "../helpers/next-server";

test("production refuses to start without AUTH_SECRET and says what to set", async () => {
  const server = startNextServer(3198, { DATABASE_URL: "", PGLITE_DIR: ".data/e2e-refusal", AUTH_SECRET: undefined });
  const timer = setTimeout(() => void server.kill(), 30_000);
  const code = await server.exited;
  clearTimeout(timer);
  await server.kill();
  expect(code).toBe(1);
  expect(server.output()).toContain("refusing to start in production");
  expect(server.output()).toContain("AUTH_SECRET is not set");
});
