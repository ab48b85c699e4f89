"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Executor } from "@/db/client";
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

const partIds = z.object({ ...offerId, id: z.string().min(1).max(64) });
type PartChange<S extends z.ZodType> = (db: Executor, networkId: string, offerId: string, partId: string, input: z.output<S>) => Promise<void>;

/** The change of one of an offer's program parts: the part's ids beside the change's own fields, then the page refreshed. */
function partChangeAction<S extends z.ZodType>(schema: S, change: PartChange<S>) {
  return action({ schema: partIds.and(schema), permission: "offers:write" }, async (input, { user, db }) => {
    const { offerId: id, id: partId, ...fields } = input as z.output<typeof partIds> & Record<string, unknown>;
    await change(db, user.orgId, id, partId, fields as z.output<S>);
    refresh(id);
  });
}

export const addGoalAction = action({ schema: goalInputSchema.extend(offerId), permission: "offers:write" }, async ({ offerId: id, ...input }, { user, db }) => {
  await addGoal(db, user.orgId, id, input);
  refresh(id);
});

export const changeGoalAction = partChangeAction(goalChangeSchema, changeGoal);

export const addPayoutRuleAction = action({ schema: payoutRuleInputSchema.extend(offerId), permission: "offers:write" }, async ({ offerId: id, ...input }, { user, db }) => {
  await addPayoutRule(db, user.orgId, id, input);
  refresh(id);
});

export const addCapAction = action({ schema: capInputSchema.extend(offerId), permission: "offers:write" }, async ({ offerId: id, ...input }, { user, db }) => {
  await addCap(db, user.orgId, id, input);
  refresh(id);
});

export const changePayoutRuleAction = partChangeAction(payoutRuleChangeSchema, changePayoutRule);

export const changeCapAction = partChangeAction(capChangeSchema, changeCap);

export const changeRuleAction = partChangeAction(ruleChangeSchema, changeRule);

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
