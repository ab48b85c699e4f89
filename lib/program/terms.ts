// The program's fixed vocabularies, for the domain and for code that runs in the browser: nothing
// here may import more than these lists (a client component's import pulls its whole graph in).
import { RULE_KINDS } from "@/db/schema/program-terms";

export { BLOCKABLE_PARAMS, CAP_PERIODS, RULE_KINDS } from "@/db/schema/program-terms";

/** What may act on a conversion, and what the conversions page filters by: a rule's kind, or a cap. */
export const DECISION_KINDS = [...RULE_KINDS, "cap_reached"] as const;
