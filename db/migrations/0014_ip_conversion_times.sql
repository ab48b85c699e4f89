CREATE TABLE "ip_conversion_times" (
	"offer_id" text NOT NULL,
	"ip" text NOT NULL,
	"times" timestamp with time zone[] NOT NULL,
	CONSTRAINT "ip_conversion_times_offer_id_ip_pk" PRIMARY KEY("offer_id","ip")
);
