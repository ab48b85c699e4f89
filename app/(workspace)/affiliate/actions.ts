"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import { createCampaign } from "@/lib/tracking/campaigns";
import { requestMembership } from "@/lib/access/memberships";

export const requestMembershipAction = action({ schema: z.object({ networkId: z.string().min(1).max(64) }), permission: "memberships:write" }, async ({ networkId }, { user, db }) => {
  await requestMembership(db, user.orgId, networkId);
  revalidatePath("/affiliate/offers");
});

export const createCampaignAction = action(
  { schema: z.object({ name: z.string().trim().min(1, "Give the campaign a name.").max(100), offerId: z.string().min(1, "Pick an offer.").max(64) }), permission: "campaigns:write" },
  async (input, { user, db }) => {
    const id = await createCampaign(db, user.orgId, input);
    revalidatePath("/affiliate/campaigns");
    return { id };
  },
);
