"use client";

import { useRouter } from "next/navigation";
import { type ReactNode, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/access/action";
import { buttonClass } from "./ui/styles";

/** One button, one server action with a fixed input; the answer (or the refusal) shows beside it. */
export function ActionButton<I, T>({
  action,
  input,
  label,
  confirm,
  variant = "secondary",
  done,
}: {
  action: (input: I) => Promise<ActionResult<T>>;
  input: I;
  label: string;
  confirm?: string;
  variant?: "primary" | "secondary" | "ghost";
  done?: (data: T) => ReactNode;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<ReactNode>(null);
  const [pending, start] = useTransition();
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={pending}
        className={buttonClass(variant, "px-2 py-1 text-xs")}
        onClick={() => {
          if (confirm && !window.confirm(confirm)) return;
          start(async () => {
            const result = await action(input);
            setMessage(result.ok ? (done ? done(result.data) : null) : <span className="text-red-600">{result.error.message}</span>);
            router.refresh();
          });
        }}
      >
        {label}
      </button>
      {message ? <span role="status" className="text-xs">{message}</span> : null}
    </span>
  );
}
