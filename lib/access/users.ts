import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { type Locale, type MemberRole, type OrgKind, organizations, users } from "@/db/schema";
import { timeZoneSchema } from "./organizations";
import { verifyPassword } from "./secrets";

export type SessionUser = {
  userId: string;
  orgId: string;
  orgKind: OrgKind;
  orgName: string;
  role: MemberRole;
  name: string;
  email: string;
  sessionVersion: number;
  /** The language the user saved; null until they choose one. */
  locale: Locale | null;
  /** The IANA zone the user saved; null until their first visit saves the browser's. */
  timeZone: string | null;
  /** The organization's zone, in which its days are counted; times read in it until the user has one. */
  orgTimeZone: string;
};

/** Who reads or changes an organization's data: a signed-in user or an API key. Queries scope by these two. */
export type Viewer = Pick<SessionUser, "orgId" | "orgKind">;

// Compared against when the email is unknown, so both paths cost one bcrypt and timing does not
// tell which emails exist.
const DUMMY_HASH = "$2b$11$3L0jq3zMfolT0zwiaMx3IOf6zK2nIabX.ATcdwMUsT8yiiyYSlweK";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Checks an email and password; null when either is wrong or the user or organization is disabled. */
export async function verifyCredentials(db: Executor, email: string, password: string): Promise<SessionUser | null> {
  const [row] = await db
    .select({ user: users, org: organizations })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  const valid = await verifyPassword(password, row?.user.passwordHash ?? DUMMY_HASH);
  if (!row || !valid || row.user.disabledAt || row.org.disabledAt) return null;
  await db.update(users).set({ lastSignInAt: sql`now()` }).where(eq(users.id, row.user.id));
  return toSessionUser(row.user, row.org);
}

/**
 * Reloads a signed-in user: a session cookie outlives a disable, a role change or a password
 * reset, so each request asks the database who the user is now, and whether the session's
 * version is still the user's.
 */
export async function loadActiveUser(db: Executor, userId: string, sessionVersion: number): Promise<SessionUser | null> {
  const [row] = await db
    .select({ user: users, org: organizations })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(and(eq(users.id, userId), eq(users.sessionVersion, sessionVersion), isNull(users.disabledAt), isNull(organizations.disabledAt)))
    .limit(1);
  return row ? toSessionUser(row.user, row.org) : null;
}

function toSessionUser(user: typeof users.$inferSelect, org: typeof organizations.$inferSelect): SessionUser {
  return {
    userId: user.id,
    orgId: org.id,
    orgKind: org.kind,
    orgName: org.name,
    role: user.role,
    name: user.name,
    email: user.email,
    sessionVersion: user.sessionVersion,
    locale: user.locale,
    timeZone: user.timeZone,
    orgTimeZone: org.timeZone,
  };
}

/** Saves the user's language on their profile, so that it follows them to any browser they sign in from. */
export async function setUserLocale(db: Executor, userId: string, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}

/** The zone times are shown in: the user's own, else the organization's. */
export function readingTimeZone(user: Pick<SessionUser, "timeZone" | "orgTimeZone">): string {
  return user.timeZone ?? user.orgTimeZone;
}

/** What the profile's time zone form sends: a zone Intl knows, kept in its canonical spelling (`asia/tokyo` → `Asia/Tokyo`). */
export const userTimeZoneInputSchema = z.object({
  timeZone: timeZoneSchema.transform((zone) => new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone),
});

/** Saves the zone the user reads times in, on their profile, for every browser they sign in from. */
export async function setUserTimeZone(db: Executor, userId: string, timeZone: string): Promise<void> {
  await db.update(users).set({ timeZone }).where(eq(users.id, userId));
}
