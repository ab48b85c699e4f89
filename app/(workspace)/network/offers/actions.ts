"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { createOffer, offerInputSchema, offerStatusSchema, setOfferStatus, updateOffer } from "@/lib/tracking/offers";

export const createOfferAction = action({ schema: offerInputSchema, permission: "offers:write" }, async (input, { user, db }) => {
  const id = await createOffer(db, user.orgId, input);
  revalidatePath("/network/offers");
  return { id };
});

export const updateOfferAction = action({ schema: offerInputSchema.extend({ id: z.string().min(1).max(64) }), permission: "offers:write" }, async ({ id, ...input }, { user, db }) => {
  await updateOffer(db, user.orgId, id, input);
  revalidatePath("/network/offers");
  return { id };
});

export const setOfferStatusAction = action(
  { schema: offerStatusSchema.extend({ id: z.string().min(1).max(64) }), permission: "offers:write" },
  async ({ id, status }, { user, db }) => {
    await setOfferStatus(db, user.orgId, id, status);
    revalidatePath("/network/offers");
  },
);
