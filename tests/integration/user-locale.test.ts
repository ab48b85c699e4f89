import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { loadActiveUser, setUserLocale, verifyCredentials } from "@/lib/access/users";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "@/lib/demo/seed";
import { resolveLocale } from "@/lib/platform/locale";
import { createTestDatabase } from "../helpers/test-db";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db);
});
afterAll(() => handle.close());

describe("a user's language", () => {
  it("is unset until chosen, then saved on the profile and read back at every sign-in and request", async () => {
    const [network, merchant] = [DEMO_ACCOUNTS[1], DEMO_ACCOUNTS[2]];
    const user = (await verifyCredentials(handle.db, network.email, DEMO_PASSWORD))!;
    expect(user.locale).toBeNull();
    expect(resolveLocale({ saved: user.locale, acceptLanguage: "ko-KR,ko;q=0.9" })).toBe("ko");

    await setUserLocale(handle.db, user.userId, "ja");
    const again = (await verifyCredentials(handle.db, network.email, DEMO_PASSWORD))!;
    expect(again.locale).toBe("ja");
    expect((await loadActiveUser(handle.db, user.userId, user.sessionVersion))?.locale).toBe("ja");
    // The profile wins over this browser's cookie and its Accept-Language.
    expect(resolveLocale({ saved: again.locale, cookie: "ru", acceptLanguage: "ko" })).toBe("ja");

    // Only that user's profile changed.
    expect((await verifyCredentials(handle.db, merchant.email, DEMO_PASSWORD))?.locale).toBeNull();
  });

  it("takes only a language the app has: the column refuses any other", async () => {
    const user = (await verifyCredentials(handle.db, DEMO_ACCOUNTS[3].email, DEMO_PASSWORD))!;
    await expect(setUserLocale(handle.db, user.userId, "de" as "en")).rejects.toThrow();
    expect((await loadActiveUser(handle.db, user.userId, user.sessionVersion))?.locale).toBeNull();
  });
});
