"use client";

import { useTranslations } from "next-intl";
import { createCampaignAction } from "@/app/(workspace)/affiliate/actions";
import { ActionForm } from "./action-form";
import { FieldError } from "./ui/field-error";
import { inputClass, labelClass } from "./ui/styles";

export function CampaignForm({ offers }: { offers: { id: string; name: string }[] }) {
  const t = useTranslations("campaignForm");
  return (
    <ActionForm action={createCampaignAction} submitLabel={t("submit")} success={() => t("created")} className="grid gap-4 sm:grid-cols-2">
      {(error) => (
        <>
          <div>
            <label htmlFor="c-name" className={labelClass}>{t("name")}</label>
            <input id="c-name" name="name" className={inputClass} placeholder={t("namePlaceholder")} />
            <FieldError error={error} field="name" />
          </div>
          <div>
            <label htmlFor="c-offer" className={labelClass}>{t("offer")}</label>
            <select id="c-offer" name="offerId" className={inputClass}>
              {offers.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
            <FieldError error={error} field="offerId" />
          </div>
        </>
      )}
    </ActionForm>
  );
}
