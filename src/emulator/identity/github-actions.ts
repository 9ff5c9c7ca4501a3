// The GitHub Actions OIDC token service, as a job sees it: GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=…
// with "Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>" answers {"count","value"} where value
// is an ID token issued by https://token.actions.githubusercontent.com for the job's repository.
// Served on the HTTPS port under /_github/; jobs (request tokens) are registered in the directory.

import { randomUUID } from 'node:crypto';
import type { HttpAnswer } from '../http-kit.js';
import type { Directory, GithubJob } from './directory.js';
import { epochSeconds, signJwt } from './jwt.js';
import { GITHUB_ISSUER } from './client-assertion.js';
import { jwks, type SigningKey } from './signing-keys.js';

export const GITHUB_TOKEN_PATH = '/_github/idtoken';

/** The subject GitHub puts in a job's ID token. */
export function githubSubject(job: GithubJob): string {
  return job.environment ? `repo:${job.repository}:environment:${job.environment}` : `repo:${job.repository}:ref:${job.ref ?? 'refs/heads/main'}`;
}

/** The request URL a job of this emulator gets as ACTIONS_ID_TOKEN_REQUEST_URL. */
export function githubRequestUrl(baseUrl: string): string {
  return `${baseUrl}${GITHUB_TOKEN_PATH}?api-version=2.0`;
}

/** Handles GET /_github/…: the token request, and the issuer's discovery documents. */
export function handleGithub(directory: Directory, key: SigningKey, authorization: string | undefined, url: URL, now: number, lifetimeSeconds = 300): HttpAnswer {
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '/_github/.well-known/openid-configuration') {
    return { status: 200, body: { issuer: GITHUB_ISSUER, jwks_uri: `${GITHUB_ISSUER}/.well-known/jwks`, subject_types_supported: ['public', 'pairwise'], response_types_supported: ['id_token'], id_token_signing_alg_values_supported: ['RS256'], claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'repository_owner', 'run_id', 'environment', 'job_workflow_ref'] } };
  }
  if (path === '/_github/.well-known/jwks') return { status: 200, body: jwks(key) };
  if (path !== GITHUB_TOKEN_PATH) return { status: 404, body: { message: `no such endpoint ${path}` } };
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const job = token ? directory.githubJob(token) : undefined;
  if (!job) return { status: 401, body: { message: 'Unauthorized: the request token is not a running job\'s ACTIONS_ID_TOKEN_REQUEST_TOKEN' } };
  const [owner] = job.repository.split('/');
  const iat = epochSeconds(now);
  const ref = job.ref ?? 'refs/heads/main';
  const claims = {
    jti: randomUUID(),
    sub: githubSubject(job),
    aud: url.searchParams.get('audience') ?? `https://github.com/${owner}`,
    ref,
    sha: '0000000000000000000000000000000000000000',
    repository: job.repository,
    repository_owner: owner,
    run_id: '1',
    run_number: '1',
    run_attempt: '1',
    actor: owner,
    workflow: 'build',
    event_name: 'push',
    ref_type: 'branch',
    job_workflow_ref: `${job.repository}/.github/workflows/build.yml@${ref}`,
    ...(job.environment ? { environment: job.environment } : {}),
    iss: GITHUB_ISSUER,
    nbf: iat,
    exp: iat + lifetimeSeconds,
    iat,
  };
  return { status: 200, body: { count: 1, value: signJwt(claims, key.privateKey, { kid: key.kid, x5t: key.kid }) } };
}
