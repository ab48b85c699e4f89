"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { action } from "@/lib/access/action";
import {
  addCap,
  addGoal,
  addPayoutRule,
  addRule,
  capChangeSchema,
  capInputSchema,
  changeCap,
  changeGoal,
  changePayoutRule,
  changeRule,
  goalChangeSchema,
  goalInputSchema,
  holdInputSchema,
  payoutRuleChangeSchema,
  payoutRuleInputSchema,
  programPartSchema,
  removeProgramPart,
  ruleChangeSchema,
  ruleInputSchema,
  setHold,
} from "@/lib/program/manage";

const offerId = { offerId: z.string().min(1).max(64) };
const refresh = (id: string) => revalidatePath(`/network/offers/${id}`);

export const addGoalAction = action({ schema: goalInputSchema.extend(offerId), permission: "offers:write" }, async ({ offerId: id, ...input }, { user, db }) => {
  await addGoal(db, user.orgId, id, input);
  refresh(id);
});

export const changeGoalAction = action(
  { schema: goalChangeSchema.extend({ ...offerId, id: z.string().min(1).max(64) }), permission: "offers:write" },
  async ({ offerId: id, id: goalId, ...input }, { user, db }) => {
    await changeGoal(db, user.orgId, id, goalId, input);
    refresh(id);
  },
);

export const addPayoutRuleAction = action({ schema: payoutRuleInputSchema.extend(offerId), permission: "offers:write" }, async ({ offerId: id, ...input }, { user, db }) => {
  await addPayoutRule(db, user.orgId, id, input);
  refresh(id);
});

export const addCapAction = action({ schema: capInputSchema.extend(offerId), permission: "offers:write" }, async ({ offerId: id, ...input }, { user, db }) => {
  await addCap(db, user.orgId, id, input);
  refresh(id);
});

export const changePayoutRuleAction = action(
  { schema: payoutRuleChangeSchema.extend({ ...offerId, id: z.string().min(1).max(64) }), permission: "offers:write" },
  async ({ offerId: id, id: ruleId, ...input }, { user, db }) => {
    await changePayoutRule(db, user.orgId, id, ruleId, input);
    refresh(id);
  },
);

export const changeCapAction = action(
  { schema: capChangeSchema.extend({ ...offerId, id: z.string().min(1).max(64) }), permission: "offers:write" },
  async ({ offerId: id, id: capId, ...input }, { user, db }) => {
    await changeCap(db, user.orgId, id, capId, input);
    refresh(id);
  },
);

export const changeRuleAction = action(
  { schema: ruleChangeSchema.extend({ ...offerId, id: z.string().min(1).max(64) }), permission: "offers:write" },
  async ({ offerId: id, id: ruleId, ...input }, { user, db }) => {
    await changeRule(db, user.orgId, id, ruleId, input);
    refresh(id);
  },
);

export const addRuleAction = action({ schema: ruleInputSchema.and(z.object(offerId)), permission: "offers:write" }, async ({ offerId: id, ...input }, { user, db }) => {
  await addRule(db, user.orgId, id, input);
  refresh(id);
});

export const setHoldAction = action({ schema: holdInputSchema.extend(offerId), permission: "offers:write" }, async ({ offerId: id, ...input }, { user, db }) => {
  await setHold(db, user.orgId, id, input);
  refresh(id);
});

export const removeProgramPartAction = action(
  { schema: z.object({ ...offerId, part: programPartSchema, id: z.string().min(1).max(64) }), permission: "offers:write" },
  async ({ offerId: id, part, id: partId }, { user, db }) => {
    await removeProgramPart(db, user.orgId, id, part, partId);
    refresh(id);
  },
);
