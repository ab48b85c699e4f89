-- Indexes that no query reads, on the tables every click and postback writes: each was written on
-- every insert (a delivery's also on each change of its state) for nobody (BENCHMARKS.md).
DROP INDEX "clicks_offer_time_idx";--> statement-breakpoint
DROP INDEX "clicks_created_idx";--> statement-breakpoint
DROP INDEX "conversions_click_idx";--> statement-breakpoint
DROP INDEX "incoming_log_endpoint_seq_idx";--> statement-breakpoint
DROP INDEX "incoming_log_click_idx";--> statement-breakpoint
DROP INDEX "incoming_log_transaction_idx";--> statement-breakpoint
DROP INDEX "deliveries_conversion_idx";