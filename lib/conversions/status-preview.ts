import { aliasedTable, and, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { conversions, organizations, outgoingPostbacks } from "@/db/schema";
import { postbacksFor } from "@/lib/outgoing/deliveries";
import { AppError } from "@/lib/platform/errors";
import { type ConversionStatus, decideTransition } from "./statuses";

export type PostbackPreview = { id: string; name: string; ownerOrgId: string; ownerName: string; recipientName: string | null };

/**
 * What a network's manual status change would send, asked before it is made: the postbacks the
 * fan-out (`postbacksFor`, the rule that writes the deliveries) matches for the new status now.
 * Another network's conversion is "not found"; a change the rules refuse is a conflict.
 */
/** A change the transition rules refuse, in the reader's words (the decision's English reason stays in the logs). */
export function refusedChange(from: ConversionStatus, to: ConversionStatus): AppError {
  return new AppError("conflict", from === "rejected" ? "errors.conversions.rejectedFinal" : "errors.conversions.noGoingBack", { field: "status", values: { from, to } });
}

export async function previewStatusChange(db: Executor, networkId: string, conversionId: string, to: ConversionStatus) {
  const [conversion] = await db
    .select()
    .from(conversions)
    .where(and(eq(conversions.id, conversionId), eq(conversions.networkId, networkId)));
  if (!conversion) throw new AppError("not_found", "errors.notFound.networkConversion");
  const decision = decideTransition(conversion.status, to);
  if (decision.kind === "same") throw new AppError("conflict", "errors.conversions.alreadyInStatus", { field: "status", values: { status: to } });
  if (decision.kind === "refused") throw refusedChange(conversion.status, to);
  const owner = aliasedTable(organizations, "owner");
  const recipient = aliasedTable(organizations, "recipient");
  const postbacks: PostbackPreview[] = await db
    .select({ id: outgoingPostbacks.id, name: outgoingPostbacks.name, ownerOrgId: outgoingPostbacks.ownerOrgId, ownerName: owner.name, recipientName: recipient.name })
    .from(outgoingPostbacks)
    .innerJoin(owner, eq(owner.id, outgoingPostbacks.ownerOrgId))
    .leftJoin(recipient, eq(recipient.id, outgoingPostbacks.recipientOrgId))
    .where(postbacksFor(conversion, to))
    .orderBy(outgoingPostbacks.name);
  return { from: conversion.status, to, postbacks };
}
