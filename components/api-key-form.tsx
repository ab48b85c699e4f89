"use client";

import { createApiKeyAction } from "@/app/(workspace)/affiliate/actions";
import { ActionForm } from "./action-form";
import { CopyButton } from "./copy-button";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

export function ApiKeyForm() {
  return (
    <ActionForm
      action={createApiKeyAction}
      submitLabel="Create key"
      success={(data) => (
        <span className="inline-flex flex-wrap items-center gap-2">
          Key, shown once: <code data-testid="api-key" className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-900">{data.key}</code>
          <CopyButton value={data.key} />
        </span>
      )}
    >
      {(error) => (
        <div>
          <label htmlFor="k-name" className={labelClass}>Name</label>
          <input id="k-name" name="name" className={inputClass} placeholder="Landing page server" />
          <FieldError error={error} field="name" />
        </div>
      )}
    </ActionForm>
  );
}
