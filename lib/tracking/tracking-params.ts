/**
 * What a tracking link captures from its query string, under the names affiliates' trackers
 * send (sub1…sub10; TUNE's aff_sub…aff_sub5; s1…s10; aff_click_id, clickid, subid or external_id).
 */
const SUB_ALIASES: Record<string, number> = {};
for (let i = 1; i <= 10; i++) {
  SUB_ALIASES[`sub${i}`] = i;
  SUB_ALIASES[`s${i}`] = i;
  SUB_ALIASES[`sub_id${i}`] = i;
}
SUB_ALIASES.aff_sub = 1;
for (let i = 2; i <= 5; i++) SUB_ALIASES[`aff_sub${i}`] = i;

/**
 * The names that carry the affiliate tracker's own click id. Each is also a macro of that id
 * ({clickid}, {subid}… render aff_click_id), so a name means the same on the link and in a
 * postback; click_id is not one of them: {click_id} is Postline's id.
 */
export const AFF_CLICK_ID_KEYS = ["aff_click_id", "external_id", "externalid", "clickid", "subid", "sub_id"];
const SOURCE_KEYS = ["source", "source_id", "src", "site_id"];

/** Values are kept up to this length; a longer one is cut, not refused (a click is never lost to a long sub-id). */
export const MAX_TRACKING_VALUE = 255;

export type TrackingParams = {
  subs: (string | null)[]; // index 0 is sub1
  affClickId: string | null;
  source: string | null;
};

export function parseTrackingParams(search: URLSearchParams): TrackingParams {
  const subs: (string | null)[] = Array(10).fill(null);
  const canonicalFirst = (index: number, key: string, value: string) => {
    // sub1 beats s1 beats aff_sub: the canonical name wins when several are sent.
    if (subs[index] === null || key.startsWith("sub") && !key.startsWith("sub_id")) subs[index] = clip(value);
  };
  let affClickId: string | null = null;
  let source: string | null = null;
  for (const [rawKey, value] of search) {
    if (!value) continue;
    const key = rawKey.toLowerCase();
    const sub = SUB_ALIASES[key];
    if (sub) canonicalFirst(sub - 1, key, value);
    else if (AFF_CLICK_ID_KEYS.includes(key)) affClickId ??= clip(value);
    else if (SOURCE_KEYS.includes(key)) source ??= clip(value);
  }
  return { subs, affClickId, source };
}

function clip(value: string): string {
  return value.replaceAll("\u0000", "").slice(0, MAX_TRACKING_VALUE);
}
