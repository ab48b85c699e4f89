-- The baselines' tables: the same two writes per postback (an upsert of a conversion on its
-- transaction id, and a log row) and one insert per click, with nothing else around them.
DROP TABLE IF EXISTS bench_conversions, bench_log, bench_clicks;
CREATE TABLE bench_conversions (id bigserial PRIMARY KEY, txid text NOT NULL UNIQUE, click_id text NOT NULL, status text NOT NULL, payout numeric(14,4), created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE bench_log (id bigserial PRIMARY KEY, conversion_id bigint, params jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE bench_clicks (id text PRIMARY KEY, code text NOT NULL, sub1 text, ip text, created_at timestamptz NOT NULL DEFAULT now());
