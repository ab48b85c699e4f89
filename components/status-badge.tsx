import { useTranslations } from "next-intl";
import type activity from "@/messages/en/activity.json";
import { Badge, type BadgeTone } from "./ui/page";

type Status = keyof typeof activity.statuses;

const TONES: Record<Status, BadgeTone> = {
  approved: "good",
  accepted: "good",
  delivered: "good",
  ok: "good",
  duplicate: "neutral",
  ignored: "warn",
  failed: "bad",
  cancelled: "neutral",
  active: "good",
  enabled: "good",
  pending: "warn",
  lead: "info",
  hold: "warn",
  paused: "warn",
  rejected: "bad",
  disabled: "bad",
};

const isKnown = (status: string): status is Status => Object.hasOwn(TONES, status);

/**
 * A status in the reader's language (`label` where the page has its own word for it); the value
 * itself stays in URLs, filters and logs, and the tone follows it. An unknown value shows as it is.
 */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const t = useTranslations();
  return <Badge tone={isKnown(status) ? TONES[status] : "neutral"}>{label ?? (isKnown(status) ? t(`statuses.${status}`) : status)}</Badge>;
}
