"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { dispatchCommitted } from "@/lib/outgoing/dispatcher";
import { action } from "@/lib/access/action";
import { changeStatusManually, decideInBulk, previewBulkDecision } from "@/lib/conversions/conversions";
import { previewStatusChange } from "@/lib/conversions/status-preview";
import { bulkDecisionSchema, statusChangeSchema } from "@/lib/conversions/statuses";

const changeSchema = statusChangeSchema.extend({ id: z.string().min(1).max(64) });

/** What the change would send, for the confirmation the network answers before it is made. */
export const previewStatusChangeAction = action({ schema: changeSchema, permission: "conversions:write" }, async ({ id, status }, { user, db }) => {
  const preview = await previewStatusChange(db, user.orgId, id, status);
  return { ...preview, postbacks: preview.postbacks.map((p) => ({ ...p, own: p.ownerOrgId === user.orgId })) };
});

export const changeConversionStatusAction = action({ schema: changeSchema, permission: "conversions:write" }, async ({ id, status }, { user, db }) => {
  const outcome = await db.transaction((tx) => changeStatusManually(tx, { orgId: user.orgId, userId: user.userId }, id, status));
  after(() => dispatchCommitted(outcome));
  revalidatePath("/network/conversions");
  return { status: outcome.conversion?.status ?? status, relayed: outcome.deliveries.length };
});

const bulkSchema = bulkDecisionSchema;

/** How many conversions a bulk decision moves and how many postbacks it sends, before it is made. */
export const previewBulkDecisionAction = action({ schema: bulkSchema, permission: "conversions:write" }, async ({ to, asOf: _, ...filters }, { user, db }) => {
  const { conversions, postbacks, asOf } = await previewBulkDecision(db, user.orgId, { filters, to });
  return { conversions, postbacks, asOf: asOf.toISOString() };
});

export const decideInBulkAction = action({ schema: bulkSchema, permission: "conversions:write" }, async ({ to, asOf, ...filters }, { user, db }) => {
  const { moved, deliveries, endedHolds } = await decideInBulk(db, { orgId: user.orgId, userId: user.userId }, { filters, to, asOf });
  after(() => dispatchCommitted({ deliveries, endedHolds }));
  revalidatePath("/network/conversions");
  return { moved, relayed: deliveries.length };
});
