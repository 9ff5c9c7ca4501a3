// The HTTPS server: ARM (/subscriptions/…), Entra ID sign-in (/{tenant}/…) and the admin endpoint
// (/_emulator/…) on one port. Paths are normalised (`//` collapses) before routing.

import { createServer, type Server } from 'node:https';
import { handleAdmin, type AdminDeps } from './admin.js';
import type { ArmContext } from './arm/context.js';
import { handleArm } from './arm/router.js';
import { entraOperation, handleEntra, type EntraConfig } from './entra.js';
import { ArmError, armErrorAnswer, parseRequestUrl, send, type HttpAnswer } from './http-kit.js';
import type { RequestLogger } from './request-log.js';
import type { TlsMaterial } from './tls.js';
import type { TokenService } from './tokens.js';
import { handleGithub } from './identity/github-actions.js';

export interface ArmServerDeps {
  ctx: ArmContext;
  tokens: TokenService;
  tls: TlsMaterial;
  logger: RequestLogger;
  entra: EntraConfig;
  admin: AdminDeps;
}

/** The HTTPS server (not yet listening). */
export function createArmServer(deps: ArmServerDeps): Server {
  return createServer({ cert: deps.tls.cert, key: deps.tls.key }, (req, res) => {
    const setOp = deps.logger.track(req, res);
    const url = parseRequestUrl(req.url);
    // Polling URLs and nextLinks must reach us the way the client did (127.0.0.1:port or management.azure.com).
    const baseUrl = `https://${req.headers.host ?? 'localhost'}`;
    const answer = async (): Promise<HttpAnswer | undefined> => {
      const path = url.pathname.toLowerCase();
      if (path.startsWith('/_emulator/')) return handleAdmin(deps.admin, req, res, url, setOp);
      if (path.startsWith('/_github/')) {
        setOp(path.startsWith('/_github/idtoken') ? 'github.idToken' : 'github.discovery');
        req.resume();
        return handleGithub(deps.entra.directory, deps.entra.keys.github, req.headers.authorization, url, Date.now());
      }
      const entraOp = entraOperation(url.pathname);
      if (entraOp && !path.startsWith('/subscriptions/')) {
        setOp(entraOp);
        return handleEntra(deps.entra, req, url, baseUrl);
      }
      return handleArm(deps.ctx, deps.tokens, req, url, baseUrl, setOp);
    };
    answer().then(
      (a) => {
        if (a) send(res, a);
      },
      (e: unknown) => {
        req.resume();
        if (res.headersSent) return void res.destroy();
        const err = e instanceof ArmError ? e : new ArmError(500, 'InternalServerError', `emulator error: ${(e as Error)?.stack ?? String(e)}`);
        send(res, armErrorAnswer(err));
      },
    );
  });
}
