// The fixed vocabularies of an offer's program. No imports: the offer page's forms read them in the browser.

/** What a conversion rule checks. */
export const RULE_KINDS = ["min_click_seconds", "max_click_seconds", "ip_limit", "countries", "blocked_subs", "blocked_ips"] as const;

/** The click parameters a blocked_subs rule may read: the affiliate's sub ids and source. */
export const BLOCKABLE_PARAMS = ["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10", "source"] as const;

/** The periods a cap counts over, in the network's time zone. */
export const CAP_PERIODS = ["hour", "day", "week", "month", "total"] as const;
