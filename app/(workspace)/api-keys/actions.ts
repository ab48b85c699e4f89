"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { apiKeyInputSchema, createApiKey, revokeApiKey } from "@/lib/access/api-keys";
import { HOME_PATHS } from "@/lib/access/permissions";

/** API keys of every party, on one screen: create (shown once) and revoke. */
export const createApiKeyAction = action({ schema: apiKeyInputSchema, permission: "api_keys:write" }, async (input, { user, db }) => {
  const created = await createApiKey(db, user.orgId, input);
  revalidatePath(`${HOME_PATHS[user.orgKind]}/api-keys`);
  return created;
});

export const revokeApiKeyAction = action({ schema: z.object({ id: z.string().min(1).max(64) }), permission: "api_keys:write" }, async ({ id }, { user, db }) => {
  await revokeApiKey(db, user.orgId, id);
  revalidatePath(`${HOME_PATHS[user.orgKind]}/api-keys`);
});
