"use client";

import { useTranslations } from "next-intl";
import { createOfferAction, updateOfferAction } from "@/app/(workspace)/network/offers/actions";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

export type OfferFormValues = {
  id?: string;
  name: string;
  merchantId: string;
  description: string;
  landingUrl: string;
  defaultPayout: string;
  defaultRevenue: string;
  currency: string;
  allowMultipleConversions: boolean;
  clickLifetimeHours: number;
  status: "active" | "paused";
};

export function OfferForm({ initial, merchants }: { initial: OfferFormValues; merchants: { id: string; name: string }[] }) {
  const t = useTranslations("network");
  const action = (initial.id ? updateOfferAction : createOfferAction) as typeof createOfferAction;
  return (
    <ActionForm action={action} submitLabel={initial.id ? t("offerForm.save") : t("offerForm.create")} success={() => (initial.id ? t("common.saved") : t("offerForm.created"))} className="grid gap-4 sm:grid-cols-2">
      {(error) => (
        <>
          {initial.id ? <input type="hidden" name="id" value={initial.id} /> : null}
          <div>
            <label htmlFor="o-name" className={labelClass}>{t("common.name")}</label>
            <input id="o-name" name="name" defaultValue={initial.name} className={inputClass} />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="o-merchant" className={labelClass}>{t("common.merchant")}</label>
            <select id="o-merchant" name="merchantId" defaultValue={initial.merchantId} className={inputClass}>
              {merchants.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
            </select>
            <FieldError error={error} field="merchantId" />
          </div>
          <div className="sm:col-span-2">
            <label htmlFor="o-landing" className={labelClass}>{t("offerForm.landingUrl", { clickId: "{click_id}", sub1: "{sub1}" })}</label>
            <input id="o-landing" name="landingUrl" defaultValue={initial.landingUrl} className={`${inputClass} font-mono`} placeholder="https://shop.example.com/?click_id={click_id}&sub1={sub1}" />
            <FieldError error={error} field="landingUrl" />
          </div>
          <div>
            <label htmlFor="o-payout" className={labelClass}>{t("offers.defaultPayout")}</label>
            <input id="o-payout" name="defaultPayout" defaultValue={initial.defaultPayout} className={inputClass} inputMode="decimal" />
            <FieldError error={error} field="defaultPayout" />
          </div>
          <div>
            <label htmlFor="o-revenue" className={labelClass}>{t("offers.defaultRevenue")}</label>
            <input id="o-revenue" name="defaultRevenue" defaultValue={initial.defaultRevenue} className={inputClass} inputMode="decimal" />
            <FieldError error={error} field="defaultRevenue" />
          </div>
          <div>
            <label htmlFor="o-currency" className={labelClass}>{t("offerForm.currency")}</label>
            <input id="o-currency" name="currency" defaultValue={initial.currency} className={inputClass} maxLength={3} />
            <FieldError error={error} field="currency" />
          </div>
          <div>
            <label htmlFor="o-lifetime" className={labelClass}>{t("offerForm.clickLifetime")}</label>
            <input id="o-lifetime" name="clickLifetimeHours" type="number" min={1} defaultValue={initial.clickLifetimeHours} className={inputClass} />
            <FieldError error={error} field="clickLifetimeHours" />
          </div>
          <div>
            <label htmlFor="o-status" className={labelClass}>{t("common.state")}</label>
            <select id="o-status" name="status" defaultValue={initial.status} className={inputClass}>
              <option value="active">{t("offerForm.active")}</option>
              <option value="paused">{t("offerForm.paused")}</option>
            </select>
          </div>
          <label className="inline-flex items-center gap-2 self-end text-sm">
            <input type="checkbox" name="allowMultipleConversions" defaultChecked={initial.allowMultipleConversions} className="h-4 w-4" />
            {t("offerForm.multiple")}
          </label>
          <div className="sm:col-span-2">
            <label htmlFor="o-description" className={labelClass}>{t("offerForm.description")}</label>
            <textarea id="o-description" name="description" rows={2} defaultValue={initial.description} className={inputClass} />
          </div>
        </>
      )}
    </ActionForm>
  );
}
