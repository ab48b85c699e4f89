"use client";

import { useTranslations } from "next-intl";
import { createApiKeyAction } from "@/app/(workspace)/api-keys/actions";
import { ActionForm } from "./action-form";
import { CopyButton } from "./copy-button";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

export function ApiKeyForm() {
  const t = useTranslations("apiKeys");
  return (
    <ActionForm
      action={createApiKeyAction}
      submitLabel={t("create")}
      success={(data) => (
        <span className="inline-flex flex-wrap items-center gap-2">
          {t("shownOnce")} <code data-testid="api-key" className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-900">{data.key}</code>
          <CopyButton value={data.key} />
        </span>
      )}
    >
      {(error) => (
        <div className="grid gap-4 sm:grid-cols-3">
          <div>
            <label htmlFor="k-name" className={labelClass}>{t("name")}</label>
            <input id="k-name" name="name" className={inputClass} placeholder={t("namePlaceholder")} />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="k-access" className={labelClass}>{t("access")}</label>
            <select id="k-access" name="access" className={inputClass} defaultValue="write">
              <option value="write">{t("readWrite")}</option>
              <option value="read">{t("readOnly")}</option>
            </select>
            <FieldError error={error} field="access" />
          </div>
          <div>
            <label htmlFor="k-expires" className={labelClass}>{t("expiresOn")}</label>
            <input id="k-expires" name="expiresOn" type="date" className={inputClass} />
            <FieldError error={error} field="expiresOn" />
          </div>
        </div>
      )}
    </ActionForm>
  );
}
