"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { type ReactNode, useRef, useState, useTransition } from "react";
import type { ActionError, ActionResult } from "@/lib/access/action";
import { FieldError } from "./ui/field-error";
import { buttonClass } from "./ui/styles";

/**
 * A small form bound to one server action: each invalid field's message next to it, all at once
 * (the render prop gets the error), a message on success, and the form kept as typed when the action refuses it.
 */
export function ActionForm<T>({
  action,
  submitLabel,
  success,
  children,
  className = "space-y-4",
}: {
  action: (form: FormData) => Promise<ActionResult<T>>;
  submitLabel: string;
  success?: (data: T) => ReactNode;
  children: (error: ActionError | null) => ReactNode;
  className?: string;
}) {
  const t = useTranslations("common");
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [result, setResult] = useState<ActionResult<T> | null>(null);
  const [pending, start] = useTransition();
  const error = result && !result.ok ? result.error : null;
  return (
    <form
      ref={formRef}
      noValidate
      className={className}
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        start(async () => {
          const outcome = await action(form);
          setResult(outcome);
          if (outcome.ok) {
            formRef.current?.reset();
            router.refresh();
          }
        });
      }}
    >
      {children(error)}
      <FieldError error={error} field="" fallback />
      <div className="flex items-center gap-3">
        <button type="submit" disabled={pending} className={buttonClass("primary")}>
          {pending ? t("working") : submitLabel}
        </button>
        {result?.ok && success ? <div role="status" className="text-sm text-emerald-700">{success(result.data)}</div> : null}
      </div>
    </form>
  );
}
