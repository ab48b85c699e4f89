// No imports: the offer page's forms read these lists in the browser.

/** What a conversion rule checks. */
export const RULE_KINDS = ["min_click_seconds", "max_click_seconds", "ip_limit", "countries", "blocked_subs"] as const;

/** The click parameters a blocked_subs rule may read: the affiliate's sub ids and source. */
export const BLOCKABLE_PARAMS = ["sub1", "sub2", "sub3", "sub4", "sub5", "sub6", "sub7", "sub8", "sub9", "sub10", "source"] as const;
