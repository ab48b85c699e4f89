"use client";

import { setTimeZoneAction } from "@/app/(workspace)/network/settings-actions";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

/** The network's time zone: caps and stats count days in it. */
export function TimeZoneForm({ timeZone }: { timeZone: string }) {
  return (
    <ActionForm action={setTimeZoneAction} submitLabel="Save time zone" success={() => "Saved."} className="flex flex-wrap items-end gap-3">
      {(error) => (
        <div className="min-w-64">
          <label htmlFor="tz" className={labelClass}>Days are counted in</label>
          <input id="tz" name="timeZone" list="tz-list" defaultValue={timeZone} className={inputClass} />
          <datalist id="tz-list">{Intl.supportedValuesOf("timeZone").map((zone) => <option key={zone} value={zone} />)}</datalist>
          <FieldError error={error} field="timeZone" />
        </div>
      )}
    </ActionForm>
  );
}
