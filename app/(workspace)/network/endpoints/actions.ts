"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { createEndpoint, endpointInputSchema, rotateEndpointSecret, updateEndpoint } from "@/lib/incoming/endpoints";
import { forgetEndpoint } from "@/lib/incoming/incoming";

export const createEndpointAction = action({ schema: endpointInputSchema, permission: "endpoints:write" }, async (input, { user, db }) => {
  const created = await createEndpoint(db, user.orgId, input);
  revalidatePath("/network/endpoints");
  return created;
});

export const updateEndpointAction = action({ schema: endpointInputSchema.extend({ id: z.string().min(1).max(64) }), permission: "endpoints:write" }, async ({ id, ...input }, { user, db }) => {
  await updateEndpoint(db, user.orgId, id, input);
  forgetEndpoint(id);
  revalidatePath("/network/endpoints");
  return { id };
});

export const rotateEndpointSecretAction = action({ schema: z.object({ id: z.string().min(1).max(64) }), permission: "endpoints:write" }, async ({ id }, { user, db }) => {
  const rotated = await rotateEndpointSecret(db, user.orgId, id);
  forgetEndpoint(id);
  return rotated;
});
