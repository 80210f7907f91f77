/** Every route of the server, in one table. */
import type { Route } from '../routeContext.ts';
import { assistantRoutes } from './assistantRoutes.ts';
import { fileRoutes } from './fileRoutes.ts';
import { runRoutes } from './runRoutes.ts';
import { threadRoutes } from './threadRoutes.ts';
import { vectorStoreRoutes } from './vectorStoreRoutes.ts';

export const allRoutes: readonly Route[] = [...assistantRoutes, ...threadRoutes, ...runRoutes, ...fileRoutes, ...vectorStoreRoutes];
