"use client";

import { useTranslations } from "next-intl";
import { setExchangeRateAction } from "@/app/(workspace)/network/settings-actions";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

/** Sets the rate of a currency pair: one `from` is worth `rate` of `to` (lib/program/exchange-rates.ts). */
export function ExchangeRateForm() {
  const t = useTranslations("network.exchangeRateForm");
  const field = (id: string, name: string, label: string, placeholder: string, error: Parameters<typeof FieldError>[0]["error"]) => (
    <div className="w-32">
      <label htmlFor={id} className={labelClass}>{label}</label>
      <input id={id} name={name} className={inputClass} placeholder={placeholder} />
      <FieldError error={error} field={name} />
    </div>
  );
  return (
    <ActionForm action={setExchangeRateAction} submitLabel={t("submit")} success={() => t("saved")} className="flex flex-wrap items-end gap-3">
      {(error) => (
        <>
          {field("xr-from", "fromCurrency", t("from"), "EUR", error)}
          {field("xr-rate", "rate", t("rate"), "1.08", error)}
          {field("xr-to", "toCurrency", t("to"), "USD", error)}
        </>
      )}
    </ActionForm>
  );
}
