"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { decideInBulkAction, previewBulkDecisionAction } from "@/app/(workspace)/network/conversions/actions";
import { buttonClass } from "./ui/styles";

type Filters = { status?: string; goal?: string; rule?: string; flagged?: string };

/**
 * Approves or rejects every conversion the filters match (pending or held; approved ones too when
 * flagged: the review), after a confirmation that says how many and how many postbacks that sends.
 */
export function BulkDecision({ filters }: { filters: Filters }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [to, setTo] = useState<"approved" | "rejected">("approved");
  const [question, setQuestion] = useState<{ conversions: number; postbacks: number } | null>(null);
  const [asOf, setAsOf] = useState<string>("");
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const t = useTranslations("bulkDecision");
  const input = (decision: "approved" | "rejected", at?: string) =>
    ({ to: decision, status: filters.status ?? "", goal: filters.goal ?? "", rule: filters.rule ?? "", flagged: filters.flagged === "1" ? "1" : "", ...(at ? { asOf: at } : {}) }) as never;

  const ask = (decision: "approved" | "rejected") =>
    start(async () => {
      setTo(decision);
      const preview = await previewBulkDecisionAction(input(decision));
      if (!preview.ok) return setMessage(preview.error.message);
      const { conversions, postbacks } = preview.data;
      setAsOf(preview.data.asOf);
      setQuestion({ conversions, postbacks });
      dialog.current?.showModal();
    });

  const confirm = () =>
    start(async () => {
      const done = await decideInBulkAction(input(to, asOf));
      dialog.current?.close();
      setMessage(done.ok ? t("done", { to, moved: done.data.moved, relayed: done.data.relayed }) : done.error.message);
      router.refresh();
    });

  return (
    <div className="flex flex-wrap items-center gap-2">
      <button type="button" disabled={pending} className={buttonClass("secondary")} onClick={() => ask("approved")}>{t("approveAll")}</button>
      <button type="button" disabled={pending} className={buttonClass("secondary")} onClick={() => ask("rejected")}>{t("rejectAll")}</button>
      {message ? <span role="status" className="text-sm text-slate-600">{message}</span> : null}
      <dialog ref={dialog} aria-label={t("dialog")} className="rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <p className="mb-4 max-w-md text-sm">
          {question === null ? null : question.conversions === 0 ? t("noneMatch") : t("question", { to, conversions: question.conversions, postbacks: question.postbacks })}
        </p>
        <div className="flex justify-end gap-2">
          <button type="button" autoFocus className={buttonClass("secondary")} onClick={() => dialog.current?.close()}>{t("cancel")}</button>
          <button type="button" disabled={pending || question?.conversions === 0} className={buttonClass("primary")} onClick={confirm}>{t("confirm", { to })}</button>
        </div>
      </dialog>
    </div>
  );
}
