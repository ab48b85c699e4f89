"use client";

import { useActionState } from "react";
import { FieldError } from "@/components/ui/field-error";
import { buttonClass, inputClass, labelClass } from "@/components/ui/styles";
import type { ActionResult } from "@/lib/access/action";
import { loginAction } from "./actions";

export function LoginForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState<ActionResult | null, FormData>(
    (_previous, form) => loginAction(form),
    null,
  );
  const error = state && !state.ok ? state.error : null;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <div>
        <label htmlFor="email" className={labelClass}>
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="email" required className={inputClass} />
        <FieldError error={error} field="email" />
      </div>
      <div>
        <label htmlFor="password" className={labelClass}>
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
        <FieldError error={error} field="password" fallback />
      </div>
      <button type="submit" disabled={pending} className={buttonClass("primary", "w-full")}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
