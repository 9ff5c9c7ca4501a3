// An HttpClient for ManagedIdentityCredential that sends every request to a given IMDS origin
// (the emulator's) instead of 169.254.169.254. @azure/identity only offers an environment variable
// for this; rewriting here keeps process.env untouched and guarantees nothing reaches the real IMDS.

import type { HttpClient, HttpHeaders, PipelineRequest, PipelineResponse, RawHttpHeaders } from '@azure/core-rest-pipeline';

/** An HttpClient that replaces the scheme, host and port of each request with `origin`'s. */
export function imdsRedirectClient(origin: string): HttpClient {
  const target = new URL(origin);
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const url = new URL(request.url);
      url.protocol = target.protocol;
      url.host = target.host;
      const signals = [request.abortSignal, request.timeout > 0 ? AbortSignal.timeout(request.timeout) : undefined]
        .filter((s): s is AbortSignal => s !== undefined);
      const body = typeof request.body === 'string' ? request.body : Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : undefined;
      const response = await fetch(url, {
        method: request.method,
        headers: request.headers.toJSON(),
        body,
        signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
      });
      const headers = plainHeaders();
      response.headers.forEach((value, name) => headers.set(name, value));
      return { request, status: response.status, headers, bodyAsText: await response.text() };
    },
  };
}

function plainHeaders(): HttpHeaders {
  const map = new Map<string, { name: string; value: string }>();
  return {
    get: (name) => map.get(name.toLowerCase())?.value,
    has: (name) => map.has(name.toLowerCase()),
    set: (name, value) => { map.set(name.toLowerCase(), { name, value: String(value) }); },
    delete: (name) => { map.delete(name.toLowerCase()); },
    toJSON: (options) => {
      const out: RawHttpHeaders = {};
      for (const [key, entry] of map) out[options?.preserveCase ? entry.name : key] = entry.value;
      return out;
    },
    *[Symbol.iterator]() {
      for (const [key, entry] of map) yield [key, entry.value] as [string, string];
    },
  };
}
