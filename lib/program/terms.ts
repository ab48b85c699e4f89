// The program's fixed vocabularies, for the domain and for forms that run in the browser (no other imports).
export { BLOCKABLE_PARAMS, CAP_PERIODS, RULE_KINDS } from "@/db/schema/program-terms";
