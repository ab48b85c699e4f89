import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { localizable } from "@/lib/platform/error-messages";
import type { Executor } from "@/db/client";
import { organizations, users } from "@/db/schema";
import { AppError } from "@/lib/platform/errors";
import { createId, randomToken } from "@/lib/platform/ids";
import { hashPassword } from "./secrets";
import { normalizeEmail } from "./users";

export const organizationInputSchema = z.object({
  name: z.string().trim().min(2, localizable("errors.form.organizationName")).max(100),
  kind: z.enum(["network", "merchant", "affiliate", "platform"]),
});

export const userInputSchema = z.object({
  // In the order the form shows them: the first error named is the first field to fix.
  orgId: z.string().min(1, localizable("errors.access.pickOrganization")).max(64),
  role: z.enum(["owner", "member", "viewer"]),
  name: z.string().trim().min(1, localizable("errors.form.personName")).max(100),
  email: z.email(localizable("validation.invalidEmail")),
  password: z.string().min(10, localizable("errors.form.passwordLength")).max(200),
});

export async function createOrganization(db: Executor, input: z.output<typeof organizationInputSchema>) {
  const id = createId("organization");
  await db.insert(organizations).values({ id, ...input });
  return id;
}

export async function setOrganizationDisabled(db: Executor, orgId: string, disabled: boolean) {
  const [row] = await db.update(organizations).set({ disabledAt: disabled ? new Date() : null }).where(eq(organizations.id, orgId)).returning({ id: organizations.id });
  if (!row) throw new AppError("not_found", "errors.notFound.organization");
}

export async function createUser(db: Executor, input: z.output<typeof userInputSchema>) {
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.orgId));
  if (!org) throw new AppError("invalid_input", "errors.access.pickOrganization", { field: "orgId" });
  const email = normalizeEmail(input.email);
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (taken) throw new AppError("conflict", "errors.access.emailTaken", { field: "email" });
  const id = createId("user");
  await db.insert(users).values({ id, orgId: input.orgId, email, name: input.name, role: input.role, passwordHash: await hashPassword(input.password) });
  return id;
}

/** Disabling takes effect at the user's next request: sessions are checked against the database. */
export async function setUserDisabled(db: Executor, actorUserId: string, userId: string, disabled: boolean) {
  if (disabled && actorUserId === userId) throw new AppError("conflict", "errors.access.cannotDisableSelf");
  const [row] = await db.update(users).set({ disabledAt: disabled ? new Date() : null }).where(eq(users.id, userId)).returning({ id: users.id });
  if (!row) throw new AppError("not_found", "errors.notFound.user");
}

/** Sets a new random password, returned once for the admin to hand over; the user's open sessions end. */
export async function resetPassword(db: Executor, userId: string): Promise<string> {
  const password = randomToken(12);
  const [row] = await db
    .update(users)
    .set({ passwordHash: await hashPassword(password), sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  if (!row) throw new AppError("not_found", "errors.notFound.user");
  return password;
}

/**
 * The first admin of a new install, from POSTLINE_FIRST_ADMIN_EMAIL / _PASSWORD: made once, on a
 * database with no admin yet, and never again (changing the variables later does nothing).
 */
export async function ensureFirstAdmin(db: Executor, email: string, password: string): Promise<boolean> {
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(organizations.kind, "platform"))
    .limit(1);
  if (existing) return false;
  const orgId = await createOrganization(db, { name: "Platform", kind: "platform" });
  await createUser(db, userInputSchema.parse({ orgId, role: "owner", name: "Admin", email, password }));
  return true;
}
