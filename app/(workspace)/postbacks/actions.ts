"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { wakeDeliveries } from "@/lib/outgoing/dispatcher";
import { action } from "@/lib/access/action";
import { dispatchSettingsFromEnv, replayDelivery } from "@/lib/outgoing/delivery-attempts";
import { retryDeliveryNow } from "@/lib/outgoing/deliveries";
import { dryRunPostback } from "@/lib/outgoing/postback-dry-run";
import {
  createPostback,
  deletePostback,
  postbackInputSchema,
  postbackTestSchema,
  postbackUpdateSchema,
  setPostbackEnabled,
  testPostback,
  updatePostback,
} from "@/lib/outgoing/postback-config";
import { HOME_PATHS } from "@/lib/access/permissions";

const idSchema = z.object({ id: z.string().min(1).max(64) });

/** Server actions for outgoing postbacks: the affiliate's and the network's, on one engine. */
export const createPostbackAction = action({ schema: postbackInputSchema, permission: "postbacks:write" }, async (input, { user, db }) => {
  const id = await createPostback(db, user, input, dispatchSettingsFromEnv());
  revalidatePath(`${HOME_PATHS[user.orgKind]}/postbacks`);
  return { id };
});

export const updatePostbackAction = action({ schema: postbackUpdateSchema, permission: "postbacks:write" }, async ({ id, ...input }, { user, db }) => {
  await updatePostback(db, user, id, input, dispatchSettingsFromEnv());
  revalidatePath(`${HOME_PATHS[user.orgKind]}/postbacks`);
  return { id };
});

export const setPostbackEnabledAction = action(
  { schema: idSchema.extend({ enabled: z.preprocess((v) => v === true || v === "true", z.boolean()) }), permission: "postbacks:write" },
  async ({ id, enabled }, { user, db }) => {
    await setPostbackEnabled(db, user, id, enabled);
    revalidatePath(`${HOME_PATHS[user.orgKind]}/postbacks`);
  },
);

export const deletePostbackAction = action({ schema: idSchema, permission: "postbacks:write" }, async ({ id }, { user, db }) => {
  await deletePostback(db, user, id);
  revalidatePath(`${HOME_PATHS[user.orgKind]}/postbacks`);
});

/**
 * Sends the postback once, as the form stands (saved or not), with sample values or the latest
 * conversion it matches, and answers with the request, the conversion sent and the receiver's reply.
 */
export const testPostbackAction = action({ schema: postbackTestSchema, permission: "postbacks:write" }, async ({ id, testWith, ...draft }, { user, db }) => {
  const { request, result, sample, conversion } = await testPostback(db, user, { id: id || undefined, draft }, dispatchSettingsFromEnv(), testWith);
  return {
    sample,
    conversion,
    request: { method: request.method, url: request.url, body: request.body ?? null },
    response: { ok: result.ok, status: result.status, body: result.body, durationMs: result.durationMs, error: result.errorMessage },
  };
});

/**
 * Dry run: the template as the form stands, rendered against the last conversions it would have
 * matched, beside what was sent for each. Sends nothing.
 */
export const dryRunPostbackAction = action({ schema: postbackTestSchema, permission: "postbacks:read" }, async ({ id, testWith: _, ...draft }, { user, db }) => {
  return dryRunPostback(db, user, { id: id || undefined, draft }, dispatchSettingsFromEnv());
});

export const replayDeliveryAction = action({ schema: idSchema, permission: "postbacks:write" }, async ({ id }, { user, db }) => {
  const delivery = await replayDelivery(db, user.orgId, id);
  after(() => wakeDeliveries([{ id: delivery.id, host: delivery.destinationHost }], `replay-${delivery.replays}`));
  return { id: delivery.id };
});

/** Retry now: a delivery waiting for its retry is attempted at once instead of at its scheduled time. */
export const retryDeliveryNowAction = action({ schema: idSchema, permission: "postbacks:write" }, async ({ id }, { user, db }) => {
  const delivery = await retryDeliveryNow(db, user.orgId, id);
  after(() => wakeDeliveries([{ id: delivery.id, host: delivery.host }], `retry-now-${delivery.attempts}`));
  return { id: delivery.id };
});
