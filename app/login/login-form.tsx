"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { FieldError } from "@/components/ui/field-error";
import { buttonClass, inputClass, labelClass } from "@/components/ui/styles";
import type { ActionError, ActionResult } from "@/lib/access/action";
import { loginAction } from "./actions";

export function LoginForm({ next }: { next?: string }) {
  const [state, formAction, pending] = useActionState<ActionResult | null, FormData>(
    (_previous, form) => loginAction(form),
    null,
  );
  const t = useTranslations("signIn");
  const error = state && !state.ok ? inReadersWords(state.error, { email: t("emailInvalid"), password: t("passwordMissing") }) : null;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <div>
        <label htmlFor="email" className={labelClass}>
          {t("email")}
        </label>
        <input id="email" name="email" type="email" autoComplete="email" required className={inputClass} />
        <FieldError error={error} field="email" />
      </div>
      <div>
        <label htmlFor="password" className={labelClass}>
          {t("password")}
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} />
        <FieldError error={error} field="password" fallback />
      </div>
      <button type="submit" disabled={pending} className={buttonClass("primary", "w-full")}>
        {pending ? t("submitting") : t("submit")}
      </button>
    </form>
  );
}

/** The schema's checks answer in English for every client; the form shows the reader's words for the fields it knows. */
function inReadersWords(error: ActionError, words: Record<"email" | "password", string>): ActionError {
  if (!error.fields) return error;
  const fields = Object.fromEntries(Object.keys(error.fields).map((field) => [field, field in words ? words[field as keyof typeof words] : error.fields![field]!]));
  return { ...error, fields };
}
