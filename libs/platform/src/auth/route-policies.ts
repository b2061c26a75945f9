import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { POLICY } from './policy';

/** Every HTTP route with the name of its handler, and whether it declares a policy. */
export function routePolicies(app: INestApplication): Array<{ route: string; hasPolicy: boolean }> {
  const routes: Array<{ route: string; hasPolicy: boolean }> = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: unknown[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = type.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const hasPolicy =
          Reflect.getMetadata(POLICY, handler) !== undefined ||
          Reflect.getMetadata(POLICY, type) !== undefined;
        routes.push({ route: `${type.name}.${name}`, hasPolicy });
      }
    }
  }
  return routes;
}

/** Deny by default, checked at start-up: a route that says nothing about who may call it stops the app. */
export function assertEveryRouteHasPolicy(app: INestApplication): void {
  const missing = routePolicies(app)
    .filter((route) => !route.hasPolicy)
    .map((route) => route.route);
  if (missing.length > 0) throw new Error(`Routes without an access policy: ${missing.join(', ')}`);
}
