import { compileRoutes } from "./handle";
import type { Operation } from "./operation";
import { postbackOperations } from "./resources/postbacks";

/** Every endpoint of /api/v1, in the order the reference lists them. */
export const API_OPERATIONS: Operation[] = [...postbackOperations];

export const API_ROUTES = compileRoutes(API_OPERATIONS);
