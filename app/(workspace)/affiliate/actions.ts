"use server";

import { revalidatePath } from "next/cache";
import { action } from "@/lib/access/action";
import { campaignInputSchema, createCampaign } from "@/lib/tracking/campaigns";
import { membershipRequestSchema, requestMembership } from "@/lib/access/memberships";

export const requestMembershipAction = action({ schema: membershipRequestSchema, permission: "memberships:write" }, async ({ networkId }, { user, db }) => {
  await requestMembership(db, user, networkId);
  revalidatePath("/affiliate/offers");
});

export const createCampaignAction = action(
  { schema: campaignInputSchema, permission: "campaigns:write" },
  async (input, { user, db }) => {
    const id = await createCampaign(db, user.orgId, input);
    revalidatePath("/affiliate/campaigns");
    return { id };
  },
);
