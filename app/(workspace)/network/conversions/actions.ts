"use server";

import { revalidatePath } from "next/cache";
import { after } from "next/server";
import { z } from "zod";
import { dispatchCommitted } from "@/lib/outgoing/dispatcher";
import { action } from "@/lib/access/action";
import { changeStatusManually } from "@/lib/conversions/conversions";
import { previewStatusChange } from "@/lib/conversions/status-preview";

const changeSchema = z.object({ id: z.string().min(1).max(64), status: z.enum(["lead", "approved", "rejected", "hold"]) });

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
