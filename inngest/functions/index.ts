import { deliverPostback } from "./deliver-postback";
import { approveHeldConversionFunction } from "./approve-held-conversion";
import { rollUpStats } from "./roll-up-stats";
import { maintainPartitionsFunction } from "./maintain-partitions";
import { sweepDeliveries } from "./sweep-deliveries";

export const functions = [deliverPostback, sweepDeliveries, approveHeldConversionFunction, rollUpStats, maintainPartitionsFunction];
