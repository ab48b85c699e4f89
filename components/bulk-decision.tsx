"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { decideInBulkAction, previewBulkDecisionAction } from "@/app/(workspace)/network/conversions/actions";
import { buttonClass } from "./ui/styles";

type Filters = { status?: string; goal?: string; rule?: string; flagged?: string };

/**
 * Approves or rejects every conversion the filters match (pending or held), after a confirmation
 * that says how many conversions move and how many postbacks that sends.
 */
export function BulkDecision({ filters }: { filters: Filters }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [to, setTo] = useState<"approved" | "rejected">("approved");
  const [question, setQuestion] = useState<string | null>(null);
  const [asOf, setAsOf] = useState<string>("");
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const input = (decision: "approved" | "rejected", at?: string) =>
    ({ to: decision, status: filters.status ?? "", goal: filters.goal ?? "", rule: filters.rule ?? "", flagged: filters.flagged === "1" ? "1" : "", ...(at ? { asOf: at } : {}) }) as never;

  const ask = (decision: "approved" | "rejected") =>
    start(async () => {
      setTo(decision);
      const preview = await previewBulkDecisionAction(input(decision));
      if (!preview.ok) return setMessage(preview.error.message);
      const { conversions, postbacks } = preview.data;
      setAsOf(preview.data.asOf);
      setQuestion(
        conversions === 0
          ? "No pending or held conversion matches these filters."
          : `${decision === "approved" ? "Approve" : "Reject"} ${conversions} conversion${conversions === 1 ? "" : "s"}? This sends ${postbacks} postback${postbacks === 1 ? "" : "s"}.`,
      );
      dialog.current?.showModal();
    });

  const confirm = () =>
    start(async () => {
      const done = await decideInBulkAction(input(to, asOf));
      dialog.current?.close();
      setMessage(done.ok ? `${done.data.moved} ${to}, ${done.data.relayed} postbacks queued.` : done.error.message);
      router.refresh();
    });

  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" disabled={pending} className={buttonClass("secondary")} onClick={() => ask("approved")}>Approve all matching…</button>
      <button type="button" disabled={pending} className={buttonClass("secondary")} onClick={() => ask("rejected")}>Reject all matching…</button>
      {message ? <span role="status" className="text-sm text-slate-600">{message}</span> : null}
      <dialog ref={dialog} aria-label="Confirm the bulk decision" className="rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <p className="mb-4 max-w-md text-sm">{question}</p>
        <div className="flex justify-end gap-2">
          <button type="button" autoFocus className={buttonClass("secondary")} onClick={() => dialog.current?.close()}>Cancel</button>
          <button type="button" disabled={pending || question?.startsWith("No ")} className={buttonClass("primary")} onClick={confirm}>{to === "approved" ? "Approve" : "Reject"}</button>
        </div>
      </dialog>
    </div>
  );
}
