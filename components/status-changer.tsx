"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { changeConversionStatusAction, previewStatusChangeAction } from "@/app/(workspace)/network/conversions/actions";
import { ALLOWED_TRANSITIONS, type ConversionStatus } from "@/lib/conversions/statuses";
import { buttonClass } from "./ui/styles";

type Preview = { to: ConversionStatus; postbacks: { id: string; name: string; ownerName: string; recipientName: string | null; own: boolean }[] };

/** "This sends 2 postbacks: to “My Keitaro” (Bright Media's) and to “Acme S2S” (yours, to Acme Outdoor Shop)." */
function PostbacksSent({ postbacks }: { postbacks: Preview["postbacks"] }) {
  const t = useTranslations("statusChanger");
  const format = useFormatter();
  if (postbacks.length === 0) return <>{t("noPostbacks")}</>;
  const each = postbacks.map((p) =>
    t("postbackTo", { name: p.name, whose: p.own ? (p.recipientName ? "ownTo" : "own") : "other", recipient: p.recipientName ?? "", owner: p.ownerName }),
  );
  return <>{t("sends", { count: postbacks.length, list: format.list(each, { type: "conjunction" }) })}</>;
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
  const t = useTranslations("statusChanger");
  const statusLabel = useTranslations("statuses");
  // Opened once its content is rendered, so the dialog's focus lands on Cancel.
  useEffect(() => {
    if (preview && !dialog.current?.open) dialog.current?.showModal();
  }, [preview]);
  if (next.length === 0) return <span className="text-xs text-slate-400">{t("final")}</span>;

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
      setMessage(result.ok ? t("done", { status: statusLabel(result.data.status), relayed: result.data.relayed }) : result.error.message);
      router.refresh();
    });

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`to-${id}`}>{t("newStatus")}</label>
      <select id={`to-${id}`} value={to} onChange={(e) => setTo(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-xs">
        {next.map((s) => <option key={s} value={s}>{statusLabel(s)}</option>)}
      </select>
      <button type="button" disabled={pending} className={buttonClass("secondary", "px-2 py-1 text-xs")} onClick={ask}>
        {t("change")}
      </button>
      {message ? <span role="status" className="text-xs text-slate-600">{message}</span> : null}
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl p-0 shadow-xl backdrop:bg-slate-900/40" onClose={() => setPreview(null)}>
        {preview ? (
          <div className="space-y-4 p-5 text-sm whitespace-normal">
            <h2 id={titleId} className="text-base font-semibold">{t("question", { status: statusLabel(preview.to) })}</h2>
            <p className="text-slate-700"><PostbacksSent postbacks={preview.postbacks} /></p>
            <p className="text-xs text-slate-500">{t("irreversible")}</p>
            <div className="flex justify-end gap-2">
              <button type="button" className={buttonClass("ghost")} onClick={() => dialog.current?.close()} autoFocus>
                {t("cancel")}
              </button>
              <button type="button" disabled={pending} className={buttonClass("primary")} onClick={confirm}>
                {t("confirm", { status: statusLabel(preview.to) })}
              </button>
            </div>
          </div>
        ) : null}
      </dialog>
    </div>
  );
}
