import { Badge, type BadgeTone } from "./ui/page";

const TONES: Record<string, BadgeTone> = {
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

/** `label` is the status in the reader's words where the page has them; the tone follows the status itself. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <Badge tone={TONES[status] ?? "neutral"}>{label ?? status}</Badge>;
}
