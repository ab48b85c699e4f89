"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { createOrganization, createUser, organizationInputSchema, resetPassword, setOrganizationDisabled, setUserDisabled, userInputSchema } from "@/lib/access/admin";

const id = z.object({ id: z.string().min(1).max(64) });
const toggle = id.extend({ disabled: z.preprocess((v) => v === true || v === "true", z.boolean()) });

export const createOrganizationAction = action({ schema: organizationInputSchema, permission: "organizations:write" }, async (input, { db }) => {
  const orgId = await createOrganization(db, input);
  revalidatePath("/admin/organizations");
  return { id: orgId };
});

export const setOrganizationDisabledAction = action({ schema: toggle, permission: "organizations:write" }, async ({ id, disabled }, { db }) => {
  await setOrganizationDisabled(db, id, disabled);
  revalidatePath("/admin/organizations");
});

export const createUserAction = action({ schema: userInputSchema, permission: "users:write" }, async (input, { db }) => {
  const userId = await createUser(db, input);
  revalidatePath("/admin/users");
  return { id: userId };
});

export const setUserDisabledAction = action({ schema: toggle, permission: "users:write" }, async ({ id, disabled }, { db, user }) => {
  await setUserDisabled(db, user.userId, id, disabled);
  revalidatePath("/admin/users");
});

export const resetPasswordAction = action({ schema: id, permission: "users:write" }, async ({ id }, { db }) => ({ password: await resetPassword(db, id) }));
