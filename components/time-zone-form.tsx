"use client";

import { useTranslations } from "next-intl";
import { setTimeZoneAction } from "@/app/(workspace)/network/settings-actions";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

/** The network's time zone: caps and stats count days in it. */
export function TimeZoneForm({ timeZone }: { timeZone: string }) {
  const t = useTranslations("network");
  return (
    <ActionForm action={setTimeZoneAction} submitLabel={t("timeZoneForm.submit")} success={() => t("common.saved")} className="flex flex-wrap items-end gap-3">
      {(error) => (
        <div className="min-w-64">
          <label htmlFor="tz" className={labelClass}>{t("timeZoneForm.label")}</label>
          <input id="tz" name="timeZone" list="tz-list" defaultValue={timeZone} className={inputClass} />
          <datalist id="tz-list">{Intl.supportedValuesOf("timeZone").map((zone) => <option key={zone} value={zone} />)}</datalist>
          <FieldError error={error} field="timeZone" />
        </div>
      )}
    </ActionForm>
  );
}
