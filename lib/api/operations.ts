import { compileRoutes } from "./handle";
import type { Operation } from "./operation";
import { conversionOperations } from "./resources/conversions";
import { deliveryOperations } from "./resources/deliveries";
import { postbackOperations } from "./resources/postbacks";
import { statsOperations } from "./resources/stats";
import { offerOperations } from "./resources/offers";
import { programOperations } from "./resources/program";
import { membershipOperations } from "./resources/memberships";
import { campaignOperations } from "./resources/campaigns";
import { endpointOperations } from "./resources/endpoints";
import { exchangeRateOperations } from "./resources/exchange-rates";

/** Every endpoint of /api/v1, in the order the reference lists them. */
export const API_OPERATIONS: Operation[] = [...offerOperations, ...programOperations, ...membershipOperations, ...campaignOperations, ...endpointOperations, ...exchangeRateOperations, ...postbackOperations, ...conversionOperations, ...deliveryOperations, ...statsOperations];

export const API_ROUTES = compileRoutes(API_OPERATIONS);
