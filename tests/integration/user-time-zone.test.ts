import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { loadActiveUser, readingTimeZone, setUserTimeZone, userTimeZoneInputSchema, verifyCredentials } from "@/lib/access/users";
import { setOrganizationTimeZone } from "@/lib/access/organizations";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "@/lib/demo/seed";
import { toAppError } from "@/lib/platform/errors";
import { parseInput } from "@/lib/platform/input";
import { createTestDatabase } from "../helpers/test-db";

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  await seedDemoData(handle.db);
});
afterAll(() => handle.close());

/** What the profile form sends (FormData, as the browser posts it). */
function form(timeZone: string): FormData {
  const data = new FormData();
  data.set("timeZone", timeZone);
  return data;
}

describe("a user's time zone", () => {
  it("reads times in the organization's zone until the user saves one, then in theirs at every sign-in", async () => {
    const [network, merchant] = [DEMO_ACCOUNTS[1], DEMO_ACCOUNTS[2]];
    const user = (await verifyCredentials(handle.db, network.email, DEMO_PASSWORD))!;
    expect(user.timeZone).toBeNull();
    await setOrganizationTimeZone(handle.db, user.orgId, "Europe/Moscow");
    const fresh = (await loadActiveUser(handle.db, user.userId, user.sessionVersion))!;
    expect(readingTimeZone(fresh)).toBe("Europe/Moscow");

    const { timeZone } = parseInput(userTimeZoneInputSchema, form(" asia/tokyo "));
    expect(timeZone).toBe("Asia/Tokyo");
    await setUserTimeZone(handle.db, user.userId, timeZone);

    const again = (await verifyCredentials(handle.db, network.email, DEMO_PASSWORD))!;
    expect(again.timeZone).toBe("Asia/Tokyo");
    expect(again.orgTimeZone).toBe("Europe/Moscow");
    expect(readingTimeZone((await loadActiveUser(handle.db, user.userId, user.sessionVersion))!)).toBe("Asia/Tokyo");
    // Another user of another organization is untouched.
    expect((await verifyCredentials(handle.db, merchant.email, DEMO_PASSWORD))?.timeZone).toBeNull();
  });

  it("refuses a zone Intl does not know, or none, as a 422 on the timeZone field, and keeps the saved one", async () => {
    for (const bad of ["Mars/Olympus_Mons", "", "UTC+25", "Europe/Berlin; drop table users"]) {
      const refusal = (() => {
        try {
          parseInput(userTimeZoneInputSchema, form(bad));
        } catch (error) {
          return toAppError(error);
        }
        throw new Error(`${JSON.stringify(bad)} was accepted`);
      })();
      expect(refusal.status).toBe(422);
      expect(refusal.toBody()).toMatchObject({ code: "invalid_input", field: "timeZone" });
      expect(refusal.message).toMatch(/time zone/i);
    }
    expect(parseInput(userTimeZoneInputSchema, form("UTC")).timeZone).toBe("UTC");
    const user = (await verifyCredentials(handle.db, DEMO_ACCOUNTS[1].email, DEMO_PASSWORD))!;
    expect(user.timeZone).toBe("Asia/Tokyo");
  });
});
