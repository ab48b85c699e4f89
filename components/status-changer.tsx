"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changeConversionStatusAction } from "@/app/(workspace)/network/conversions/actions";
import type { ConversionStatus } from "@/db/schema";
import { ALLOWED_TRANSITIONS } from "@/lib/conversions/statuses";
import { buttonClass } from "./ui/styles";


/** A network's manual status change for one conversion; it fires the relays like any other event. */
export function StatusChanger({ id, status }: { id: string; status: ConversionStatus }) {
  const next = ALLOWED_TRANSITIONS[status];
  const router = useRouter();
  const [to, setTo] = useState<string>(next[0] ?? "");
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  if (next.length === 0) return <span className="text-xs text-slate-400">final</span>;
  return (
    <div className="flex items-center gap-2">
      <label className="sr-only" htmlFor={`to-${id}`}>New status</label>
      <select id={`to-${id}`} value={to} onChange={(e) => setTo(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-xs">
        {next.map((s) => <option key={s} value={s}>{s}</option>)}
      </select>
      <button
        type="button"
        disabled={pending}
        className={buttonClass("secondary", "px-2 py-1 text-xs")}
        onClick={() => start(async () => {
          const result = await changeConversionStatusAction({ id, status: to as "approved" });
          setMessage(result.ok ? `Now ${result.data.status}; ${result.data.relayed} postback(s) queued.` : result.error.message);
          router.refresh();
        })}
      >
        Change
      </button>
      {message ? <span role="status" className="text-xs text-slate-600">{message}</span> : null}
    </div>
  );
}
