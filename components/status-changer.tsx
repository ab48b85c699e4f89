"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { changeConversionStatusAction, previewStatusChangeAction } from "@/app/(workspace)/network/conversions/actions";
import { ALLOWED_TRANSITIONS, type ConversionStatus } from "@/lib/conversions/statuses";
import { buttonClass } from "./ui/styles";

type Preview = { to: ConversionStatus; postbacks: { id: string; name: string; ownerName: string; recipientName: string | null; own: boolean }[] };

/** "2 postbacks: to “My Keitaro” (Bright Media's) and to “Acme S2S” (yours, to Acme Outdoor Shop)". */
export function describePostbacks(postbacks: Preview["postbacks"]): string {
  if (postbacks.length === 0) return "No postback listens for this status: nothing is sent.";
  const each = postbacks.map((p) => `to “${p.name}” (${p.own ? `yours${p.recipientName ? `, to ${p.recipientName}` : ""}` : `${p.ownerName}'s`})`);
  const list = each.length === 1 ? each[0] : `${each.slice(0, -1).join(", ")} and ${each.at(-1)}`;
  return `This sends ${postbacks.length} postback${postbacks.length === 1 ? "" : "s"}: ${list}.`;
}

/**
 * A network's manual status change for one conversion. It is final and fires the relays like any
 * other event, so it asks first, saying which postbacks it would send.
 */
export function StatusChanger({ id, status }: { id: string; status: ConversionStatus }) {
  const next = ALLOWED_TRANSITIONS[status];
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [to, setTo] = useState<string>(next[0] ?? "");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  // Opened once its content is rendered, so the dialog's focus lands on Cancel.
  useEffect(() => {
    if (preview && !dialog.current?.open) dialog.current?.showModal();
  }, [preview]);
  if (next.length === 0) return <span className="text-xs text-slate-400">final</span>;

  const ask = () =>
    start(async () => {
      setMessage(null);
      const result = await previewStatusChangeAction({ id, status: to as ConversionStatus });
      if (!result.ok) return setMessage(result.error.message);
      setPreview(result.data);
    });
  const confirm = () =>
    start(async () => {
      dialog.current?.close();
      const result = await changeConversionStatusAction({ id, status: to as ConversionStatus });
      setMessage(result.ok ? `Now ${result.data.status}; ${result.data.relayed} postback(s) queued.` : result.error.message);
      router.refresh();
    });

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`to-${id}`}>New status</label>
      <select id={`to-${id}`} value={to} onChange={(e) => setTo(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-xs">
        {next.map((s) => <option key={s} value={s}>{s}</option>)}
      </select>
      <button type="button" disabled={pending} className={buttonClass("secondary", "px-2 py-1 text-xs")} onClick={ask}>
        Change
      </button>
      {message ? <span role="status" className="text-xs text-slate-600">{message}</span> : null}
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40" onClose={() => setPreview(null)}>
        {preview ? (
          <div className="space-y-4 p-5 text-sm whitespace-normal">
            <h2 id={titleId} className="text-base font-semibold">Change to {preview.to}?</h2>
            <p className="text-slate-700">{describePostbacks(preview.postbacks)}</p>
            <p className="text-xs text-slate-500">A status change cannot be undone, and the postbacks go out at once.</p>
            <div className="flex justify-end gap-2">
              <button type="button" className={buttonClass("ghost")} onClick={() => dialog.current?.close()} autoFocus>
                Cancel
              </button>
              <button type="button" disabled={pending} className={buttonClass("primary")} onClick={confirm}>
                Change to {preview.to}
              </button>
            </div>
          </div>
        ) : null}
      </dialog>
    </div>
  );
}
